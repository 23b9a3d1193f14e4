"""Read digest sources: folders of article files, RSS/Atom feeds and HTML pages, from disk or URLs.

Nothing a source holds may stop a digest: every source, file, feed item or JSON line that cannot
be used becomes a ``Skipped`` that names it (the file and line, the item's URL or number) with a
reason the user can act on, and the rest goes on.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from multisum.digests.execution import (
    SMALL_TASKS_PER_BATCH,
    Failed,
    LocalRunner,
    Progress,
    Runner,
)
from multisum.digests.fetch import fetch_url, is_url
from multisum.errors import InputError, MissingExtraError, MultisumError, SourceError
from multisum.model import Article, Skipped
from multisum.options import DEFAULT_MAX_ARTICLE_SIZE, FetchOptions
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import (
    JSONL_SUFFIXES,
    SUPPORTED_SUFFIXES,
    numbered_jsonl,
    outlet_from_text,
    read_file,
    read_text,
    size_problem,
    tidy_article,
)
from multisum.text import CLOSING_QUOTES, stop_words, words

FEED_SUFFIXES = (".xml", ".rss", ".atom")
PAGE_SUFFIXES = (".html", ".htm")
#: An item with fewer words than this is a stub or a teaser, not an article to summarise ...
MIN_WORDS = 30
#: ... unless it states an event: one whole sentence of at least this many words (who did what,
#: where or when), as a two- or three-sentence news item does and a teaser or a label does not.
EVENT_SENTENCE_WORDS = 12
#: Share of English function words below which a text is taken to be in another language.
MIN_ENGLISH_SHARE = 0.12

#: An article as read, with the name a skip gives it: a path, a URL, or "file, line 7".
Named = tuple[str, Article]

__all__ = [
    "Harvest",
    "Harvested",
    "MissingExtraError",
    "html_to_text",
    "is_url",
    "parse_feed",
    "parse_page",
    "prepare_article",
    "read_sources",
    "unusable_reason",
]


@dataclass(frozen=True, slots=True)
class Harvested:
    """A usable article as read, the same article cleaned (the digest cleans each article once,
    here), and where it came from, for naming it if a later step leaves it out."""

    article: Article
    cleaned: Article
    where: str


@dataclass(frozen=True, slots=True)
class Harvest:
    """Every usable article read from the sources, and everything that was skipped.

    ``sources_read`` counts the sources that did not fail as a whole: when it is 0, nothing could
    be read, which is worth an exit status of its own (a cron job should hear of it).
    """

    items: tuple[Harvested, ...]
    skipped: tuple[Skipped, ...]
    sources_read: int

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(item.article for item in self.items)


def read_sources(
    sources: Sequence[str],
    fetch: FetchOptions | None = None,
    *,
    runner: Runner | None = None,
    report: Progress | None = None,
    max_article_size: int | None = DEFAULT_MAX_ARTICLE_SIZE,
) -> Harvest:
    """Read every source in order; a bad source or item is skipped with a reason, never raised.

    Sources are read here; each article is prepared (``prepare_article``) by ``runner``, in this
    process unless the digest runs on a cluster. An article over ``max_article_size`` bytes is
    skipped before it is prepared, as ``brief`` skips it: a few megabytes of text in one article
    took a digest past 12 GB of memory.
    """
    fetch = fetch or FetchOptions()
    reads: list[tuple[list[Named], list[Skipped]]] = []
    read = 0
    for source in sources:
        found, missed = _guarded(source, lambda source=source: _read_source(source, fetch))
        usable: list[Named] = []
        for where, article in found:
            if reason := size_problem(article.text, max_article_size):
                missed.append(Skipped(where, reason))
            else:
                usable.append((where, article))
        found = usable
        if found or not missed:  # a source that yields nothing but skips has failed
            read += 1
        reads.append((found, missed))
    articles = [article for found, _ in reads for _, article in found]
    outcomes = iter(
        (runner or LocalRunner()).map(
            prepare_article,
            articles,
            stage="articles",
            report=report or (lambda stage, done, total: None),
            batch=SMALL_TASKS_PER_BATCH,
            sizes=[len(article.text) for article in articles],
        )
    )
    items: list[Harvested] = []
    skipped: list[Skipped] = []
    for found, missed in reads:  # skips keep the order of reading
        skipped.extend(missed)
        for where, article in found:
            outcome = next(outcomes)
            prepared, reason = (None, outcome.reason) if isinstance(outcome, Failed) else outcome
            if reason or prepared is None:
                skipped.append(Skipped(where, reason))
            else:
                items.append(Harvested(article, prepared, where))
    return Harvest(tuple(items), tuple(skipped), read)


def prepare_article(article: Article) -> tuple[Article | None, str]:
    """The article cleaned, and why it cannot enter a digest (``""`` when it can).

    A task of its own (it may run on a cluster worker), so it never raises: one article's surprise
    is that article's skip, not the end of the batch.
    """
    try:
        cleaned = clean_article(article)
        return cleaned, unusable_reason(article, cleaned)
    except Exception as error:  # one article's surprise must not stop the rest
        return None, unexpected(error)


def _guarded(
    where: str, read: Callable[[], tuple[list[Named], list[Skipped]]]
) -> tuple[list[Named], list[Skipped]]:
    """Run ``read`` for one source or file; whatever it raises becomes one skip naming ``where``.

    Third-party parsers and the standard library raise many unrelated types (ValueError for a
    malformed URL, http.client.IncompleteRead, UnicodeError, parser errors), so anything an
    ``Exception`` is turns into a skip here; our own errors keep their message.
    """
    try:
        return read()
    except MultisumError as error:
        return [], [Skipped(where, str(error).removeprefix(f"{where}: "))]
    except Exception as error:  # see the docstring
        return [], [Skipped(where, unexpected(error))]


def unexpected(error: Exception) -> str:
    """The reason for a skip that no rule foresaw: the error's type and text, to report."""
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"an error multisum did not expect ({detail}); please report it"


def unusable_reason(article: Article, cleaned: Article) -> str:
    """Why an article cannot enter a digest (empty, a stub, another language), or ``""``.

    Length is judged on ``cleaned`` (the article after cleaning), so a page that is only furniture
    (an archive notice, a sign-up form, a video player's message) counts as having no article text.
    """
    tokens = words(article.text)
    if not tokens:
        return "empty: no article text"
    stops = stop_words()
    share = sum(token.lower() in stops for token in tokens) / len(tokens)
    if share < MIN_ENGLISH_SHARE:
        return "not in English (multisum summarises English articles)"
    kept = words(cleaned.text)
    if not kept:
        return "no article text: only page furniture (notices, sign-up forms, captions)"
    if len(kept) < MIN_WORDS and not states_event(cleaned.text):
        return f"too short to be an article ({len(kept)} word{'s' if len(kept) != 1 else ''})"
    return ""


def states_event(text: str) -> bool:
    """Whether ``text`` holds a whole sentence that reports something: ``EVENT_SENTENCE_WORDS``
    words or more, starting with a capital, ending with a full stop, "!" or "?" (not a teaser's
    "..."), and naming someone or somewhere (a capitalised word inside it that is not a function
    word: "Queens", "Betty Ford"), which "Read the full story on our website." does not.
    """
    stops = stop_words()
    # a short text needs no sentence splitter: a full stop before a capital ends a sentence
    for sentence in re.split(r"(?<=[.!?])[\"'”’»)\]]*\s+(?=[\"“‘(]?[A-Z])", text):
        stripped = sentence.strip().rstrip(CLOSING_QUOTES)
        tokens = words(stripped)
        if (
            stripped[:1].isupper()
            and stripped.endswith((".", "!", "?"))
            and not stripped.endswith("...")
            and len(tokens) >= EVENT_SENTENCE_WORDS
            and any(t[:1].isupper() and t.lower() not in stops for t in tokens[1:])
        ):
            return True
    return False


def _read_source(source: str, fetch: FetchOptions) -> tuple[list[Named], list[Skipped]]:
    if is_url(source):
        data = fetch_url(source, fetch)
        if _looks_like_feed(data):
            return read_feed(data, origin=source)
        return [(source, parse_page(data, origin=source))], []
    path = Path(source)
    if not path.exists():
        raise SourceError("no such file or folder")
    if path.is_dir():
        return _read_folder(path, given=source, fetch=fetch)
    return _read_path(path, given=source, fetch=fetch)


def _read_folder(
    folder: Path, *, given: str, fetch: FetchOptions
) -> tuple[list[Named], list[Skipped]]:
    known = SUPPORTED_SUFFIXES + FEED_SUFFIXES + PAGE_SUFFIXES
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in known)
    if not files:
        raise SourceError("the folder holds no article, feed or page files")
    found: list[Named] = []
    skipped: list[Skipped] = []
    for file in files:
        shown = str(Path(given) / file.relative_to(folder))
        items, missed = _guarded(shown, lambda f=file, s=shown: _read_path(f, given=s, fetch=fetch))
        found.extend(items)
        skipped.extend(missed)
    return found, skipped


def _read_path(path: Path, *, given: str, fetch: FetchOptions) -> tuple[list[Named], list[Skipped]]:
    """The articles of one file, and its bad JSON lines (skipped one by one, not the whole file)."""
    suffix = path.suffix.lower()
    bad_lines: list[Skipped] = []

    def skip_line(error: InputError) -> None:
        where, _, reason = str(error).partition(": ")
        bad_lines.append(Skipped(where, reason))

    try:
        size = path.stat().st_size
        if size > fetch.max_bytes:
            raise SourceError(
                f"larger than the {fetch.max_mb:g} MB limit for one source (--max-mb): "
                f"the file is {size / 1e6:.1f} MB"
            )
        if suffix in FEED_SUFFIXES:
            return read_feed(path.read_bytes(), origin=given)
        if suffix in PAGE_SUFFIXES:
            return [(given, parse_page(path.read_bytes(), origin=given))], []
        if suffix in JSONL_SUFFIXES:
            lines = numbered_jsonl(read_text(path, given_as=given), path=given, on_error=skip_line)
            return [(_line_name(given, path.stem, n, a), a) for n, a in lines], bad_lines
        return [(given, article) for article in read_file(path, given_as=given)], []
    except OSError as error:
        raise SourceError(f"cannot be read ({error.strerror or error})") from None


def _line_name(given: str, stem: str, number: int, article: Article) -> str:
    """``file, line 7``, and the article's id when the line gave one."""
    named = f" (id {article.id})" if article.id != f"{stem}-{number}" else ""
    return f"{given}, line {number}{named}"


def _looks_like_feed(data: bytes) -> bool:
    head = data[:500].lstrip().lower()
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def parse_feed(data: bytes, *, origin: str) -> list[Article]:
    """Articles from an RSS or Atom feed; ``read_feed`` also says which items were left out."""
    return [article for _, article in read_feed(data, origin=origin)[0]]


def read_feed(data: bytes, *, origin: str) -> tuple[list[Named], list[Skipped]]:
    """Each entry of an RSS or Atom feed as an article (its full content, else its summary).

    An entry that cannot be read is skipped as ``origin, item N`` and the others are kept: a bad
    item must not cost the whole feed, on this run and every run while the feed carries it.
    """
    import feedparser

    feed = feedparser.parse(data)
    readable = [e for e in feed.entries if e.get("content") or e.get("summary")]
    if not feed.entries and feed.get("version") and not feed.get("bozo"):
        return [], []  # a sound feed with no items today
    if not feed.entries or (feed.get("bozo") and not readable):
        problem = feed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise SourceError(f"malformed or empty RSS/Atom feed{detail}")
    feed_title = str(feed.feed.get("title", "")).strip()
    outlet = feed_title or _host(str(feed.feed.get("link", "")))
    found: list[Named] = []
    skipped: list[Skipped] = []
    for number, entry in enumerate(feed.entries, start=1):
        read, missed = _guarded(
            f"{origin}, item {number}",
            lambda e=entry, n=number: ([_feed_article(e, origin, n, outlet)], []),
        )
        found.extend(read)
        skipped.extend(missed)
    return found, skipped


def _feed_article(entry, origin: str, number: int, outlet: str) -> Named:  # type: ignore[no-untyped-def]
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    text = html_to_text(str(body))
    link = str(entry.get("link", "")).strip()
    try:
        urlsplit(link).port  # noqa: B018 - raises ValueError for a link that does not parse
    except ValueError as error:
        raise SourceError(f"its link is not a valid URL ({error}): {link!r}") from None
    named, author = outlet_from_text(text)
    article = tidy_article(
        Article(
            id=str(entry.get("id") or link or f"{Path(origin).stem}-{number}").strip(),
            text=text,
            outlet=outlet or named or Path(origin).stem,
            outlet_known=bool(outlet or named),
            title=html.unescape(str(entry.get("title", ""))).strip(),
            url=link,
            published=_entry_date(entry),
            author=str(entry.get("author", "")).strip() or author,
            path=origin,
        )
    )
    return (link or f"{origin}, item {number} (id {article.id})"), article


def _host(link: str) -> str:
    try:
        return urlsplit(link).hostname or ""
    except ValueError:
        return ""


def _entry_date(entry) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return str(entry.get("published", "")).strip()


_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(fragment: str) -> str:
    """Plain text of a feed entry's HTML: paragraphs kept, tags dropped, entities decoded."""
    text = _BLOCK_END.sub("\n\n", fragment)
    text = html.unescape(_TAG.sub("", text))
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def parse_page(data: bytes, *, origin: str) -> Article:
    """The article on an HTML page, extracted with trafilatura (a dependency, imported only
    here: a briefing of files never pays for it)."""
    import json

    try:
        import trafilatura
    except ImportError as error:
        raise MissingExtraError(
            f"{origin}: reading HTML pages needs trafilatura, a dependency of multisum that is "
            "missing here; install it with `pip install trafilatura lxml_html_clean`"
        ) from error
    extracted = trafilatura.extract(
        data, output_format="json", with_metadata=True, include_comments=False
    )
    record = json.loads(extracted) if extracted else {}
    text = str(record.get("text") or "").strip()
    if len(words(text)) < MIN_WORDS:
        raise SourceError(f"{origin}: no article text found on the page")
    title = str(record.get("title") or "").strip()
    if text.startswith(title + "\n"):
        text = text[len(title) + 1 :]  # trafilatura repeats the headline as the first line
    site = str(record.get("source-hostname") or record.get("hostname") or "").strip()
    named, author = outlet_from_text(text)
    url = str(record.get("source") or (origin if is_url(origin) else "")).strip()
    return tidy_article(
        Article(
            id=url or Path(origin).stem,
            text=text,
            outlet=site or named or Path(origin).stem,
            outlet_known=bool(site or named),
            title=title,
            url=url,
            published=str(record.get("date") or "").strip(),
            author=str(record.get("author") or "").strip() or author,
            path=origin,
        )
    )
