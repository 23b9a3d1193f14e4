"""Read articles from folders, Markdown/text files (with or without front matter) and JSON lines."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from multisum.errors import InputError
from multisum.model import Article

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


def read_articles(inputs: Iterable[str | Path | Article]) -> list[Article]:
    """Read every article named by ``inputs`` (paths or ready ``Article`` objects), in a stable order.

    Folders are read recursively, their files sorted by name; files of other types inside a folder
    are ignored, but a file named explicitly must be of a supported type.
    """
    articles: list[Article] = []
    for item in inputs:
        if isinstance(item, Article):
            articles.append(item)
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
                articles.extend(read_file(file, given_as=str(Path(given) / file.relative_to(path))))
        else:
            articles.extend(read_file(path, given_as=given))
    if not articles:
        raise InputError("no articles given")
    return unique_ids(articles)


def _raise(error: InputError) -> None:
    """The default for ``on_error``: a bad line stops the read (``brief`` wants all or nothing)."""
    raise error from None


def read_file(
    path: Path,
    *,
    given_as: str | None = None,
    on_error: Callable[[InputError], None] = _raise,
) -> list[Article]:
    """Read one file: a Markdown/text article, or JSON lines with one article per line.

    ``on_error``, when given, hears of each bad JSON line instead of the whole file failing.
    """
    given_as = given_as if given_as is not None else str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{given_as}: unsupported file type {suffix or '(none)'}; "
            f"multisum reads {', '.join(SUPPORTED_SUFFIXES)}"
        )
    text = _decode(path.read_bytes(), given_as)
    if suffix in JSONL_SUFFIXES:
        return parse_jsonl(text, path=given_as, on_error=on_error)
    return [parse_text_article(text, path=given_as, stem=path.stem)]


#: Byte-order marks and their encodings; UTF-32's marks come first, as they begin with UTF-16's.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
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
        raise InputError(
            f"{given_as}: not text (it holds NUL bytes: a binary file, or UTF-16/UTF-32 without a "
            "byte-order mark); save it as UTF-8"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{given_as}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it with e.g. `iconv -f latin1 -t utf-8`"
        ) from None


def parse_text_article(text: str, *, path: str, stem: str) -> Article:
    """Parse a text or Markdown article; front matter, when present, supplies the metadata."""
    import frontmatter

    try:
        metadata, body = frontmatter.parse(text)
    except Exception as error:  # the YAML parser raises several unrelated types
        raise InputError(f"{path}: the front matter is not valid YAML ({error})") from None
    article_id = _text_field(metadata, "id") or stem
    return _article(metadata, body, article_id=article_id, fallback_outlet=stem, path=path)


def parse_jsonl(
    text: str, *, path: str, on_error: Callable[[InputError], None] = _raise
) -> list[Article]:
    """Parse JSON lines: ``text`` is required; id, outlet/source, title, url, published/date optional.

    A bad line raises, unless ``on_error`` says otherwise: then it is told of the line and the rest
    is read (a digest keeps every good article of a file with one broken line).
    """
    articles = []
    for number, record in json_lines(text, path=path, on_error=on_error):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            on_error(InputError(f'{path}, line {number}: each line needs a "text" string'))
            continue
        article_id = _text_field(record, "id") or f"{Path(path).stem}-{number}"
        articles.append(
            _article(
                record, record["text"], article_id=article_id, fallback_outlet=article_id, path=path
            )
        )
    return articles


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
    return Article(
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


def json_lines(
    text: str, *, path: str | Path, on_error: Callable[[InputError], None] = _raise
) -> Iterator[tuple[int, object]]:
    """The decoded objects of a JSON-lines text with their line numbers; blank lines are skipped.

    A line that is not JSON goes to ``on_error``, which raises unless told otherwise.
    """
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except json.JSONDecodeError as error:
            on_error(InputError(f"{path}, line {number}: not valid JSON ({error.msg})"))


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
    """Keep ids unique (two files may share a stem) without renaming the first of each."""
    from dataclasses import replace

    seen: dict[str, int] = {}
    unique = []
    for article in articles:
        count = seen.get(article.id, 0)
        seen[article.id] = count + 1
        unique.append(article if count == 0 else replace(article, id=f"{article.id}-{count + 1}"))
    return unique
