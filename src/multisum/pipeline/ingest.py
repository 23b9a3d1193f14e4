"""Read articles from folders, Markdown/text files (with or without front matter) and JSON lines."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from multisum.errors import InputError, OutputError
from multisum.model import Article, Skipped
from multisum.options import (
    DEFAULT_MAX_ARTICLE_SIZE,
    JSON_LINE_RATIO,
    MAX_ARTICLES,
    MAX_JSON_LINES_SIZE,
    format_size,
)
from multisum.pipeline.language import language_problem
from multisum.text import normalize_name, strip_controls

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES

_AGENCIES = {
    "AP": "Associated Press",
    "AFP": "Agence France-Presse",
    "Reuters": "Reuters",
    "REUTERS": "Reuters",
}
# "By Rebecca Ratcliffe – The Guardian with Reuters ... – June 20, 2024"
_BYLINE_FOOTER = re.compile(
    r"^By (?P<author>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})\s[–—-]\s"
    r"(?P<outlet>(?:The )?[A-Z][\w&'.]*(?: [A-Z][\w&'.]*){0,3})",
    re.MULTILINE,
)
# "Newsweek has contacted the U.S. Department of State for their reaction"
_HAS_CONTACTED = re.compile(
    r"^(?P<outlet>(?:The )?[A-Z][\w&'.]*(?: [A-Z][\w&'.]*){0,2}) has (?:contacted|reached out to)\b",
    re.MULTILINE,
)
# "LONDON (AP) _ ..." or "HANOI, Vietnam (AP) — ..."
_DATELINE_AGENCY = re.compile(
    r"^[A-Z][A-Z ,.'a-z]{1,40}\((?P<agency>AP|AFP|Reuters)\) ?[_—–-]", re.M
)
_PHOTO_AGENCY = re.compile(r"\bPhoto: (?P<agency>AP|AFP|Reuters)\s*$", re.MULTILINE)


#: The start of a file multisum wrote: the Markdown briefing's opening line (the packaged template
#: writes it after the title), the Markdown digest's heading, and the generator field or tag of
#: JSON and HTML output. Such a file in an input folder is an earlier run's output, not an article.
_OWN_OUTPUT = re.compile(
    r"\A\s*# [^\n]*\n\s*\n\*\d+ articles? by \d+ outlets?\. Each line is one outlet's sentence"
    # ... and as earlier versions wrote it
    r"|\A\s*# [^\n]*\n\s*\n\*A briefing from \d+ articles? by \d+ outlets?\. Every line is a sentence"
    r"|\A\s*# News digest — \d{4}-\d{2}-\d{2}\n"
    r'|\A\s*\{\s*"generator": "multisum'
    r'|<meta name="generator" content="multisum'
)
#: Characters of a file searched for that mark.
_OWN_OUTPUT_HEAD = 4096


def is_multisum_output(text: str) -> bool:
    """Whether ``text`` is a briefing or digest that multisum wrote (with its packaged templates)."""
    return bool(_OWN_OUTPUT.search(text[:_OWN_OUTPUT_HEAD]))


@dataclass(frozen=True, slots=True)
class Reading:
    """What reading the inputs gave: the articles, and every file or line left out with why."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def read_articles(inputs: Iterable[str | Path | Article]) -> list[Article]:
    """Read every article named by ``inputs`` (paths or ready ``Article`` objects), in a stable order.

    Folders are read recursively, their files sorted by name; files of other types inside a folder
    are ignored, but a file named explicitly must be of a supported type. Any file that cannot be
    read raises; ``gather_articles`` is the forgiving reader that ``multisum brief`` uses.
    """
    articles: list[Article] = []
    for item in _input_files(inputs):
        if isinstance(item, Article):
            articles.append(tidy_article(item))
        else:
            articles.extend(read_file(item[0], given_as=item[1]))
    if not articles:
        raise InputError("no articles given")
    return unique_ids(articles)


def gather_articles(
    inputs: Iterable[str | Path | Article],
    *,
    max_size: int | None = DEFAULT_MAX_ARTICLE_SIZE,
    exclude: Iterable[str | Path] = (),
    max_articles: int | None = None,
) -> Reading:
    """Read every usable article of ``inputs``; each file or line that is not usable is skipped
    with its reason, so one junk file in a folder never costs the briefing of the good ones.

    Not usable: a file that is binary, not UTF-8 (nor marked UTF-16/32), unreadable, larger than
    ``max_size`` bytes, empty, not in English, or written by multisum itself (an earlier briefing);
    a bad line of a JSON-lines file. ``exclude`` names files never to read, not even as skips
    (``brief -o`` passes the file it is about to replace). A missing path or a folder without
    article files still raises: that is a mistake in the command, not a bad file. Raises
    ``InputError``, naming what was skipped, when no usable article is left, and as soon as
    there are more than ``max_articles`` usable articles (before any is cleaned or compared).
    """
    excluded = [Path(path) for path in exclude]
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for item in _input_files(inputs):
        if isinstance(item, Article):
            found = [tidy_article(item)]
        else:
            path, given_as = item
            if any(_same_file(path, other) for other in excluded):
                continue
            try:
                found = read_file(
                    path,
                    given_as=given_as,
                    max_size=max_size,
                    on_error=lambda error, name=given_as: skipped.append(_skip(error, name)),
                )
            except InputError as error:
                skipped.append(_skip(error, given_as))
                continue
        for article in found:
            reason = _unusable(article, max_size)
            if reason:
                source = article.path or article.id
                if len(found) > 1 or isinstance(item, Article):
                    source = f"{source} (article {article.id})"
                skipped.append(Skipped(source, reason))
            else:
                articles.append(article)
                if max_articles is not None and len(articles) > max_articles:
                    raise InputError(_too_many(max_articles))
    if not articles:
        raise InputError(_nothing_usable(skipped))
    return Reading(tuple(unique_ids(articles)), tuple(skipped))


def _unusable(article: Article, max_size: int | None) -> str:
    """Why a parsed article cannot be briefed, or ``""``."""
    if not article.text.strip():
        return "empty: no article text"
    return size_problem(article.text, max_size) or language_problem(article.text)


def size_problem(text: str, max_size: int | None) -> str:
    """Why an article's text is too large to brief (over ``max_size`` bytes as UTF-8), or ``""``."""
    if max_size is None or len(text) <= max_size // 4:  # at most 4 bytes a character
        return ""
    size = len(text.encode("utf-8"))
    return _too_large(size, max_size) if size > max_size else ""


def _too_large(size: int, limit: int) -> str:
    return (
        f"too large for an article ({format_size(size)}; the limit is {format_size(limit)}, "
        "raise it with --max-article-size)"
    )


def _line_too_large(size: int, limit: int) -> str:
    return (
        f"too large for an article (a line of {format_size(size)}; a line may hold "
        f"{format_size(limit)}, {JSON_LINE_RATIO} times the article limit: raise it with "
        "--max-article-size)"
    )


def _too_large_json_lines(size: int) -> str:
    return (
        f"too large for a JSON-lines file of articles ({format_size(size)}; the limit is "
        f"{format_size(MAX_JSON_LINES_SIZE)}: a briefing takes at most {MAX_ARTICLES} articles); "
        "split it by story, or run `multisum digest` on it"
    )


def _too_many(limit: int) -> str:
    return (
        f"more than {limit} articles: a briefing takes at most {limit} (one story as its outlets "
        "tell it); for a day's news or a feed's worth, run `multisum digest` on them, which "
        "groups the articles into stories and briefs each"
    )


def _skip(error: InputError, given_as: str) -> Skipped:
    """A ``Skipped`` from a reading error, whose message starts with the file (and line)."""
    message = str(error)
    rest = message.removeprefix(given_as)
    if rest.startswith(", line "):
        line, _, reason = rest[2:].partition(": ")
        return Skipped(f"{given_as}, {line}", reason)
    if rest.startswith(": "):
        return Skipped(given_as, rest[2:])
    return Skipped(given_as, message)


def _nothing_usable(skipped: Sequence[Skipped]) -> str:
    if len(skipped) == 1:
        return f"{skipped[0].source}: {skipped[0].reason}"
    shown = "; ".join(f"{s.source}: {s.reason}" for s in skipped[:3])
    more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
    return f"none of the {len(skipped)} inputs is a usable article ({shown}{more})"


def check_output_path(output: str | Path, inputs: Iterable[str | Path | Article]) -> None:
    """Refuse to write a briefing over one of its input articles: that would destroy it.

    Every file the inputs name counts, those inside input folders too, except a file multisum
    wrote itself: running ``brief DIR -o DIR/briefing.md`` again replaces the earlier briefing.
    """
    target = Path(output)
    if not target.exists():
        return
    inputs = list(inputs)
    try:
        for item in _input_files(inputs):
            if isinstance(item, Article) or not _same_file(item[0], target):
                continue
            path, given_as = item
            which = "" if given_as == str(output) else f" ({given_as})"
            if given_as in (str(i) for i in inputs if not isinstance(i, Article)):
                raise OutputError(
                    f"{output} is one of the input articles{which}; writing the briefing there "
                    "would destroy it: choose another output file"
                )
            if not _written_by_multisum(path):
                raise OutputError(
                    f"{output} is one of the input articles{which}, not a briefing multisum "
                    "can recognise (only those written with its own templates are); writing there "
                    "would destroy it: choose another output file, outside the input folders"
                )
    except InputError:
        return  # a missing input: reading reports it, and nothing is written


def _written_by_multisum(path: Path) -> bool:
    """Whether the file starts like multisum's output (multisum writes UTF-8 without a mark)."""
    try:
        with path.open("rb") as file:
            head = file.read(_OWN_OUTPUT_HEAD * 4)
    except OSError:
        return False
    return is_multisum_output(head.decode("utf-8", errors="replace"))


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:  # one of them does not exist (yet)
        return first.resolve() == second.resolve()


def _input_files(
    inputs: Iterable[str | Path | Article],
) -> Iterator[Article | tuple[Path, str]]:
    """Each ``Article`` as given, and each file to read with the name to report it by.

    Folders are walked recursively, their supported files sorted by name; a missing path or a
    folder with no article files raises.
    """
    for item in inputs:
        if isinstance(item, Article):
            yield item
            continue
        given = str(item)
        path = Path(given)
        if not path.exists():
            raise InputError(f"no such file or folder: {given}")
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not files:
                raise InputError(
                    f"the folder {given} holds no article files ({', '.join(SUPPORTED_SUFFIXES)})"
                )
            for file in files:
                yield file, str(Path(given) / file.relative_to(path))
        else:
            yield path, given


def _raise(error: InputError) -> None:
    """The default for ``on_error``: a bad line stops the read (``brief`` wants all or nothing)."""
    raise error from None


def read_file(
    path: Path,
    *,
    given_as: str | None = None,
    on_error: Callable[[InputError], None] = _raise,
    max_size: int | None = None,
) -> list[Article]:
    """Read one file: a Markdown/text article, or JSON lines with one article per line.

    ``on_error``, when given, hears of each bad JSON line instead of the whole file failing.
    A Markdown or text file larger than ``max_size`` bytes is refused before it is read (cleaning
    and ranking grow faster than the text: 1 MB of prose takes minutes and gigabytes), and so is
    one that multisum wrote itself. With ``max_size``, a JSON-lines file is bounded too: the whole
    file by ``MAX_JSON_LINES_SIZE`` (checked before reading), each line by ``JSON_LINE_RATIO``
    times ``max_size`` (a longer line is skipped unread); it is read a line at a time.
    """
    given_as = given_as if given_as is not None else str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{given_as}: unsupported file type {suffix or '(none)'}; "
            f"multisum reads {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
        if max_size is not None and suffix in TEXT_SUFFIXES and size > max_size:
            raise InputError(f"{given_as}: {_too_large(size, max_size)}")
        if suffix in JSONL_SUFFIXES:
            if max_size is not None and size > MAX_JSON_LINES_SIZE:
                raise InputError(f"{given_as}: {_too_large_json_lines(size)}")
            line_limit = None if max_size is None else JSON_LINE_RATIO * max_size
            lines = read_json_lines(path, given_as=given_as, max_line=line_limit, on_error=on_error)
            return [
                article for _, article in numbered_articles(lines, path=given_as, on_error=on_error)
            ]
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{given_as}: cannot be read ({error.strerror or error})") from None
    text = _decode(data, given_as)
    if is_multisum_output(text):
        raise InputError(f"{given_as}: a briefing or digest multisum wrote, not an article")
    return [parse_text_article(text, path=given_as, stem=path.stem)]


def read_text(path: Path, *, given_as: str) -> str:
    """The text of an article file, decoded as ``read_file`` decodes it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{given_as}: cannot be read ({error.strerror or error})") from None
    return _decode(data, given_as)


#: Byte-order marks and their encodings; UTF-32's marks come first, as they begin with UTF-16's.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: The marks of the encodings whose text is not read a line at a time (UTF-16 and UTF-32).
_WIDE_MARKS = tuple(mark for mark, encoding in _BYTE_ORDER_MARKS if encoding != "utf-8")


def _binary(given_as: str) -> str:
    return (
        f"{given_as}: not text (it holds NUL bytes: a binary file, or UTF-16/UTF-32 without a "
        "byte-order mark); save it as UTF-8"
    )


def _decode(data: bytes, given_as: str) -> str:
    """An article file's text: UTF-8, or UTF-8, UTF-16 or UTF-32 announced by a byte-order mark
    (what Windows editors write when told to save as "Unicode"); else one line saying why not."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(encoding)
            except UnicodeDecodeError as error:
                offset = error.start + len(mark)
                raise InputError(
                    f"{given_as}: starts with a {encoding.upper()} byte-order mark but is not "
                    f"{encoding.upper()} text (bad bytes at offset {offset})"
                ) from None
    if b"\x00" in data[:8192]:
        raise InputError(_binary(given_as))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{given_as}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it with e.g. `iconv -f latin1 -t utf-8`"
        ) from None


def parse_text_article(text: str, *, path: str, stem: str) -> Article:
    """Parse a text or Markdown article; front matter, when present, supplies the metadata.

    YAML front matter is read without aliases (``*name``): a few hundred bytes of nested aliases
    expand to gigabytes once a field is turned into text, so such a file is refused, not read.
    """
    import frontmatter

    try:
        metadata, body = frontmatter.parse(text, handler=_front_matter_handler(text))
    except _AliasRefused:
        raise InputError(
            f"{path}: the front matter uses YAML aliases (*name), which multisum does not read "
            "(they can expand without bound); write each value out"
        ) from None
    except Exception as error:  # the YAML parser raises several unrelated types
        raise InputError(f"{path}: the front matter is not valid YAML ({error})") from None
    article_id = _text_field(metadata, "id") or stem
    return _article(metadata, body, article_id=article_id, fallback_outlet=stem, path=path)


class _AliasRefused(Exception):
    """A YAML alias in front matter, refused by ``_front_matter_handler``'s loader."""


def _front_matter_handler(text: str):  # type: ignore[no-untyped-def]
    """The handler python-frontmatter would pick for ``text``, with YAML read alias-free."""
    import frontmatter
    from frontmatter.default_handlers import YAMLHandler

    handler = frontmatter.detect_format(text.strip(), frontmatter.handlers)
    return _no_alias_yaml_handler() if isinstance(handler, YAMLHandler) else handler


@lru_cache(maxsize=1)
def _no_alias_yaml_handler():  # type: ignore[no-untyped-def]
    """python-frontmatter's YAML handler with a safe loader that raises ``_AliasRefused``."""
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if self.check_event(yaml.AliasEvent):
                raise _AliasRefused
            return super().compose_node(parent, index)

    class NoAliasHandler(YAMLHandler):
        def load(self, fm: str, **kwargs: object) -> object:
            return yaml.load(fm, Loader=NoAliasLoader)  # a SafeLoader subclass

    return NoAliasHandler()


def parse_jsonl(
    text: str, *, path: str, on_error: Callable[[InputError], None] = _raise
) -> list[Article]:
    """Parse JSON lines: ``text`` is required; id, outlet/source, title, url, published/date optional.

    A bad line raises, unless ``on_error`` says otherwise: then it is told of the line and the rest
    is read (a digest keeps every good article of a file with one broken line).
    """
    return [article for _, article in numbered_jsonl(text, path=path, on_error=on_error)]


def numbered_jsonl(
    text: str, *, path: str, on_error: Callable[[InputError], None] = _raise
) -> Iterator[tuple[int, Article]]:
    """``parse_jsonl`` with the line each article came from, so a digest that skips an article
    can name its line."""
    yield from numbered_articles(_numbered_lines(text), path=path, on_error=on_error)


def numbered_articles(
    lines: Iterable[tuple[int, str]], *, path: str, on_error: Callable[[InputError], None] = _raise
) -> Iterator[tuple[int, Article]]:
    """The article of each numbered JSON line, with its number; a bad line goes to ``on_error``."""
    for number, record in _json_records(lines, path=path, on_error=on_error):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            named = _text_field(record, "id") if isinstance(record, dict) else ""
            where = f"{path}, line {number}" + (f" (id {named})" if named else "")
            on_error(InputError(f'{where}: each line needs a "text" string'))
            continue
        article_id = _text_field(record, "id") or f"{Path(path).stem}-{number}"
        yield (
            number,
            _article(
                record, record["text"], article_id=article_id, fallback_outlet=article_id, path=path
            ),
        )


def _article(
    record: dict, body: str, *, article_id: str, fallback_outlet: str, path: str
) -> Article:
    """An article from a metadata record; the outlet comes from the record, else the text itself,
    else ``fallback_outlet`` (marked unknown)."""
    outlet = _text_field(record, "outlet", "source", "publisher")
    author = _text_field(record, "author")
    outlet_known = bool(outlet)
    if not outlet:
        outlet, guessed_author = outlet_from_text(body)
        outlet_known = bool(outlet)
        author = author or guessed_author
    return tidy_article(
        Article(
            id=article_id,
            text=body,
            outlet=outlet or fallback_outlet,
            outlet_known=outlet_known,
            title=_text_field(record, "title"),
            url=_text_field(record, "url", "link"),
            published=_text_field(record, "published", "date"),
            author=author,
            path=path,
        )
    )


def tidy_article(article: Article) -> Article:
    """The article as it enters multisum: no control characters or terminal escape sequences in
    any field (they would act on a reader's terminal), and its outlet in one spelling (NFKC,
    without invisible characters, spaces folded), so "Associated\\u00a0Press" is not a second
    outlet beside "Associated Press"."""
    tidied = Article(
        id=strip_controls(article.id),
        text=strip_controls(article.text),
        outlet=normalize_name(article.outlet),
        outlet_known=article.outlet_known,
        title=strip_controls(article.title),
        url=strip_controls(article.url),
        published=strip_controls(article.published),
        author=strip_controls(article.author),
        path=article.path,
    )
    return article if tidied == article else tidied


def json_lines(
    text: str, *, path: str | Path, on_error: Callable[[InputError], None] = _raise
) -> Iterator[tuple[int, object]]:
    """The decoded objects of a JSON-lines text with their line numbers; blank lines are skipped.

    A line that is not JSON goes to ``on_error``, which raises unless told otherwise.
    """
    yield from _json_records(_numbered_lines(text), path=path, on_error=on_error)


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines of a JSON-lines text with their numbers, split at line feeds only: JSON text may
    hold a raw U+2028 or form feed inside a string, where ``str.splitlines`` would cut it."""
    return enumerate((line.removesuffix("\r") for line in text.split("\n")), start=1)


def _json_records(
    lines: Iterable[tuple[int, str]], *, path: str | Path, on_error: Callable[[InputError], None]
) -> Iterator[tuple[int, object]]:
    for number, raw in lines:
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deep"
            on_error(InputError(f"{path}, line {number}: not valid JSON ({reason})"))


def read_json_lines(
    path: Path,
    *,
    given_as: str,
    max_line: int | None = None,
    on_error: Callable[[InputError], None] = _raise,
) -> Iterator[tuple[int, str]]:
    """The numbered lines of a JSON-lines file, read one at a time: a file is never held whole.

    A line longer than ``max_line`` bytes goes to ``on_error`` as too large, and only that much
    of it is ever held. The file is UTF-8 (a byte-order mark allowed); one marked UTF-16 or
    UTF-32 is decoded whole, as ``read_file`` decodes any other article file.
    """
    with path.open("rb") as file:
        head = file.read(8192)
        if head.startswith(_WIDE_MARKS):
            yield from _numbered_lines(_decode(head + file.read(), given_as))
            return
        if b"\x00" in head and not head.startswith(codecs.BOM_UTF8):
            raise InputError(_binary(given_as))
        file.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        offset, number = file.tell(), 0
        while raw := file.readline(-1 if max_line is None else max_line + 2):
            number += 1
            start, offset = offset, offset + len(raw)
            if max_line is not None and len(raw.rstrip(b"\r\n")) > max_line:
                size = len(raw)
                while not raw.endswith(b"\n") and (raw := file.readline(1 << 20)):
                    size += len(raw)  # the rest of the line, skipped a megabyte at a time
                offset = start + size
                size -= len(raw) - len(raw.rstrip(b"\r\n"))
                on_error(
                    InputError(f"{given_as}, line {number}: {_line_too_large(size, max_line)}")
                )
                continue
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{given_as}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset "
                    f"{start + error.start}); convert it with e.g. `iconv -f latin1 -t utf-8`"
                ) from None


def outlet_from_text(text: str) -> tuple[str, str]:
    """Find the outlet (and author, when a byline gives one) in what the article itself says."""
    if match := _BYLINE_FOOTER.search(text):
        return match["outlet"].strip(), match["author"].strip()
    if match := _HAS_CONTACTED.search(text):
        return match["outlet"].strip(), ""
    for pattern in (_DATELINE_AGENCY, _PHOTO_AGENCY):
        if match := pattern.search(text):
            return _AGENCIES[match["agency"]], ""
    return "", ""


def _text_field(record: dict, *names: str) -> str:
    for name in names:
        value = record.get(name)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def unique_ids(articles: Iterable[Article]) -> list[Article]:
    """Keep ids unique (two files may share a stem) without renaming the first of each.

    A later article with a taken id gets the first ``id-N`` (N from 2) that no article has, given
    or made: ``a/index.md``, ``b/index.md`` and ``c/index-2.md`` are ``index``, ``index-3`` and
    ``index-2``. Ids depend only on the articles and their order, so every run gives the same.
    """
    from dataclasses import replace

    articles = list(articles)
    taken = {article.id for article in articles}
    seen: set[str] = set()
    unique = []
    for article in articles:
        if article.id not in seen:
            seen.add(article.id)
            unique.append(article)
            continue
        number = 2
        while f"{article.id}-{number}" in taken:
            number += 1
        new_id = f"{article.id}-{number}"
        taken.add(new_id)
        seen.add(new_id)
        unique.append(replace(article, id=new_id))
    return unique
