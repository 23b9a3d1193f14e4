"""Copies: one article republished by several outlets (a wire story on three sites) is one report.

Counting each copy as an outlet would turn one agency's text into "3 of 4 outlets" on every line it
gives. Copies are recognised on the cleaned text, so the sites' own furniture does not hide them:
the same words (case, punctuation, spacing and invisible characters such as soft hyphens aside),
or five-word shingles of the shorter text at least 90 % contained in the longer one (a copy cut
short, or with a line of its own added).
The briefing keeps one article of each family, the one that can be told to be the original, and
its notes name the copies, so the reader sees who else carried the text and why they do not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from multisum.model import Article
from multisum.pipeline.ingest import outlet_from_text
from multisum.text import visible_text, words

#: Words in a shingle: long enough that two reports of one event in their own words share few.
SHINGLE_WORDS = 5
#: Share of the shorter text's shingles found in the other text at which it is a copy.
SAME_TEXT = 0.9
#: A text with fewer shingles than this is a copy only when its words are identical.
MIN_SHINGLES = 20


@dataclass(frozen=True, slots=True)
class CopyFamily:
    """An article and the articles that carry its text."""

    original: Article
    copies: tuple[Article, ...]

    @property
    def note(self) -> str:
        """What the briefing tells the reader about the family."""
        carry = "carries" if len(self.copies) == 1 else "carry"
        return (
            f"{_join([_describe(a) for a in self.copies])} {carry} the same text as "
            f"{_describe(self.original)}: counted once, as {self.original.label}"
        )


@dataclass(frozen=True, slots=True)
class Distinct:
    """The articles with each family of copies reduced to its original, in input order."""

    articles: tuple[Article, ...]
    families: tuple[CopyFamily, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(family.note for family in self.families)


def merge_copies(raw: Sequence[Article], cleaned: Sequence[Article]) -> Distinct:
    """Keep one of each set of copies among the ``cleaned`` articles.

    ``raw`` are the same articles before cleaning, whose datelines ("VALMORA (AP) —", which
    cleaning strips) name the agency a copy comes from.
    """
    articles = cleaned
    agencies = [outlet_from_text(article.text)[0] for article in raw]
    # compared as read: a CMS's soft hyphens or zero-width spaces must not hide a copy
    keys = [" ".join(words(visible_text(a.text).lower())) for a in articles]
    shingles = [_shingles(key) for key in keys]
    parent = list(range(len(articles)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for second in range(len(articles)):
        for first in range(second):
            if root(first) != root(second) and _same_text(
                keys[first], keys[second], shingles[first], shingles[second]
            ):
                parent[root(second)] = root(first)
    members: dict[int, list[int]] = {}
    for position in range(len(articles)):
        members.setdefault(root(position), []).append(position)
    kept, families = [], []
    for family in members.values():
        named = {agencies[p] for p in family} - {""}
        original = min(family, key=lambda p: _original_rank(articles[p], named, p))
        kept.append(original)
        if len(family) > 1:
            copies = tuple(articles[p] for p in family if p != original)
            families.append(CopyFamily(articles[original], copies))
    return Distinct(tuple(articles[p] for p in sorted(kept)), tuple(families))


def _shingles(key: str) -> set[str]:
    tokens = key.split()
    return {
        " ".join(tokens[start : start + SHINGLE_WORDS])
        for start in range(len(tokens) - SHINGLE_WORDS + 1)
    }


def _same_text(first: str, second: str, first_set: set[str], second_set: set[str]) -> bool:
    if first == second:
        return bool(first)
    smaller = min(len(first_set), len(second_set))
    if smaller < MIN_SHINGLES:
        return False
    return len(first_set & second_set) >= SAME_TEXT * smaller


def _original_rank(article: Article, named: set[str], position: int) -> tuple:
    """The original is the agency a copy names in its dateline, else an article whose outlet is
    known, else the earliest published, else the first given."""
    return (article.outlet not in named, not article.outlet_known, _moment(article), position)


def _moment(article: Article) -> float:
    """Seconds since the epoch of an ISO date; undated articles come last."""
    try:
        moment = datetime.fromisoformat(article.published.strip().replace("Z", "+00:00"))
    except ValueError:
        return float("inf")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _describe(article: Article) -> str:
    return f"{article.label} ({article.path or article.id})"


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
