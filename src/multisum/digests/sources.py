"""Read digest sources: folders of article files, RSS/Atom feeds and HTML pages, from disk or URLs.

Nothing a source holds may stop a digest: every item that cannot be used becomes a ``Skipped``
with a reason the user can act on, and the rest goes on.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from multisum.errors import InputError, MissingExtraError, SourceError
from multisum.model import Article, Skipped
from multisum.options import FetchOptions
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import SUPPORTED_SUFFIXES, outlet_from_text, read_file
from multisum.text import stop_words, words

FEED_SUFFIXES = (".xml", ".rss", ".atom")
PAGE_SUFFIXES = (".html", ".htm")
#: An item with fewer words than this is a stub or a teaser, not an article to summarise.
MIN_WORDS = 30
#: Share of English function words below which a text is taken to be in another language.
MIN_ENGLISH_SHARE = 0.12
USER_AGENT = "multisum-digest/0.1 (+https://github.com/multisum)"


@dataclass(frozen=True, slots=True)
class Harvest:
    """Every usable article read from the sources, and everything that was skipped.

    ``cleaned[i]`` is ``articles[i]`` cleaned: the digest cleans each article once, here.
    """

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    cleaned: tuple[Article, ...]


def read_sources(sources: Sequence[str], fetch: FetchOptions | None = None) -> Harvest:
    """Read every source in order; bad items are skipped with a reason, never raised."""
    fetch = fetch or FetchOptions()
    articles: list[Article] = []
    skipped: list[Skipped] = []
    cleaned: list[Article] = []
    for source in sources:
        try:
            found, missed = _read_source(source, fetch)
        except (SourceError, InputError) as error:
            skipped.append(Skipped(source, str(error)))
            continue
        skipped.extend(missed)
        for article in found:
            prepared = clean_article(article)
            reason = unusable_reason(article, prepared)
            if reason:
                skipped.append(Skipped(article.url or article.path or article.id, reason))
            else:
                articles.append(article)
                cleaned.append(prepared)
    return Harvest(tuple(articles), tuple(skipped), tuple(cleaned))


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
    if len(kept) < MIN_WORDS:
        return f"too short to be an article ({len(kept)} word{'s' if len(kept) != 1 else ''})"
    return ""


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def _read_source(source: str, fetch: FetchOptions) -> tuple[list[Article], list[Skipped]]:
    if is_url(source):
        data = fetch_url(source, fetch)
        if _looks_like_feed(data):
            return parse_feed(data, origin=source), []
        return [parse_page(data, origin=source)], []
    path = Path(source)
    if not path.exists():
        raise SourceError(f"no such file or folder: {source}")
    if path.is_dir():
        return _read_folder(path, given=source)
    return _read_path(path, given=source)


def _read_folder(folder: Path, *, given: str) -> tuple[list[Article], list[Skipped]]:
    known = SUPPORTED_SUFFIXES + FEED_SUFFIXES + PAGE_SUFFIXES
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in known)
    if not files:
        raise SourceError(f"the folder {given} holds no article, feed or page files")
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for file in files:
        shown = str(Path(given) / file.relative_to(folder))
        try:
            found, missed = _read_path(file, given=shown)
        except (SourceError, InputError) as error:
            skipped.append(Skipped(shown, str(error).removeprefix(f"{shown}: ")))
            continue
        articles.extend(found)
        skipped.extend(missed)
    return articles, skipped


def _read_path(path: Path, *, given: str) -> tuple[list[Article], list[Skipped]]:
    """The articles of one file, and its bad JSON lines (skipped one by one, not the whole file)."""
    suffix = path.suffix.lower()
    bad_lines: list[Skipped] = []

    def skip_line(error: InputError) -> None:
        where, _, reason = str(error).partition(": ")
        bad_lines.append(Skipped(where, reason))

    try:
        if suffix in FEED_SUFFIXES:
            return parse_feed(path.read_bytes(), origin=given), []
        if suffix in PAGE_SUFFIXES:
            return [parse_page(path.read_bytes(), origin=given)], []
        return read_file(path, given_as=given, on_error=skip_line), bad_lines
    except OSError as error:
        raise SourceError(f"{given}: cannot be read ({error.strerror})") from None


def fetch_url(url: str, fetch: FetchOptions) -> bytes:
    """GET ``url`` with a timeout, retrying transient failures; one clear error when all fail."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    problem = ""
    for attempt in range(fetch.retries + 1):
        if attempt:
            time.sleep(fetch.backoff * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=fetch.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            problem = f"HTTP {error.code} {error.reason}"
            if error.code < 500 and error.code != 429:
                break  # the server said no; asking again will not change its mind
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            problem = str(getattr(error, "reason", error))
    tries = "once" if fetch.retries == 0 else f"{fetch.retries + 1} times"
    raise SourceError(f"could not fetch {url} (tried {tries}): {problem}")


def _looks_like_feed(data: bytes) -> bool:
    head = data[:500].lstrip().lower()
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def parse_feed(data: bytes, *, origin: str) -> list[Article]:
    """Articles from an RSS or Atom feed: each entry's full content, else its summary."""
    import feedparser

    feed = feedparser.parse(data)
    readable = [e for e in feed.entries if e.get("content") or e.get("summary")]
    if not feed.entries or (feed.get("bozo") and not readable):
        problem = feed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise SourceError(f"{origin}: malformed or empty RSS/Atom feed{detail}")
    feed_title = str(feed.feed.get("title", "")).strip()
    outlet = feed_title or urlsplit(str(feed.feed.get("link", ""))).hostname or ""
    articles = []
    for number, entry in enumerate(feed.entries, start=1):
        content = entry.get("content") or []
        body = content[0].get("value", "") if content else entry.get("summary", "")
        text = html_to_text(str(body))
        link = str(entry.get("link", "")).strip()
        named, author = outlet_from_text(text)
        articles.append(
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
    return articles


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
    """The article on an HTML page, extracted with trafilatura (the ``[html]`` extra)."""
    import json

    try:
        import trafilatura
    except ImportError as error:
        raise MissingExtraError(
            f"{origin}: reading HTML pages needs trafilatura; "
            "install it with `pip install 'multisum[html]'`"
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
    return Article(
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
