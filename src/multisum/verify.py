"""Verify a JSON briefing: every cited text must still occur verbatim where its sources say.

The articles are re-read and re-cleaned by the same stages that built the briefing, so the stored
character offsets point into the same text; a line edited by hand, or an article changed since,
no longer matches its offsets and sha256 hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from multisum.errors import MultisumError, VerificationError
from multisum.model import text_hash
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import read_articles


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """How many citations were checked, against how many articles, and each one that failed."""

    checked: int
    articles: int
    failures: tuple[str, ...]


def verify_file(briefing: Path, paths: Sequence[str] = ()) -> VerifyReport:
    try:
        data = json.loads(Path(briefing).read_text(encoding="utf-8"))
    except OSError as error:
        raise VerificationError(f"cannot read {briefing}: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise VerificationError(f"{briefing} is not a JSON briefing") from None
    return verify_briefing(data, paths, base=Path(briefing).parent)


def verify_briefing(
    data: dict[str, Any], paths: Sequence[str] = (), *, base: Path = Path(".")
) -> VerifyReport:
    """Check every line, quote, figure and only-in fact of a ``briefing_to_dict`` result."""
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise VerificationError("the file is not a multisum JSON briefing (no sections)")
    texts = _article_texts(data, paths, base)
    failures = []
    checked = 0
    for label, text, sources in _claims(data):
        checked += 1
        problem = _check(text, sources, texts)
        if problem:
            failures.append(f"{label}: {problem}: {_shorten(text)}")
    return VerifyReport(checked, len(texts), tuple(failures))


def _claims(data: dict[str, Any]) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    number = 0
    for section in data["sections"]:
        for line in section.get("lines", []):
            number += 1
            yield f"line {number} ({section.get('topic', '')})", line["text"], line["sources"]
    for number, quote in enumerate(data.get("quotes", []), start=1):
        yield f"quote {number}", quote["text"], quote["sources"]
    for number, item in enumerate(data.get("disagreements", []), start=1):
        for figure in item["figures"]:
            yield f"disagreement {number} ({figure['figure']})", figure["text"], [figure["source"]]
    for number, item in enumerate(data.get("exclusives", []), start=1):
        yield f"only-in {number}", item["text"], [item["source"]]


def _check(text: str, sources: list[dict[str, Any]], texts: dict[str, str]) -> str:
    """ "" when ``text`` is at its first source's offsets and every source's hash matches."""
    if not sources:
        return "no sources"
    for position, source in enumerate(sources):
        article = texts.get(source.get("article"))
        if article is None:
            return f"article {source.get('article')!r} was not found"
        start, end = source.get("start"), source.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            return "no character offsets (written by an older multisum?)"
        cited = article[start:end]
        if position == 0 and cited != text:
            return f"the text is not at characters {start}-{end} of {source['article']}"
        if text_hash(cited) != source.get("sha256"):
            return f"the sha256 of characters {start}-{end} of {source['article']} differs"
    return ""


def _article_texts(data: dict[str, Any], paths: Sequence[str], base: Path) -> dict[str, str]:
    """Cleaned text of every article, keyed by id, read the way ``multisum brief`` read it."""
    if not paths:
        stored = [a.get("path") or "" for a in data.get("articles", [])]
        if not all(stored):
            raise VerificationError(
                "the briefing does not say where its articles are; give their paths"
            )
        paths = [_locate(path, base) for path in dict.fromkeys(stored)]
    try:
        articles = read_articles(paths)
    except MultisumError as error:
        raise VerificationError(f"cannot re-read the articles: {error}") from None
    return {article.id: clean_article(article).text for article in articles}


def _locate(path: str, base: Path) -> str:
    """A stored path is relative to where ``brief`` ran; try there, then beside the briefing."""
    if Path(path).exists() or Path(path).is_absolute():
        return path
    beside = base / path
    return str(beside) if beside.exists() else path


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
