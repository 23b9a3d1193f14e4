"""Merge sentences that state the same thing in several outlets into one attributed line."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from multisum.model import Ranking, Story
from multisum.text import content_terms, cosine_matrix, tfidf_matrix

#: Cosine similarity (tf-idf of content words) at which two sentences report the same fact.
SAME_FACT = 0.52
#: A shared quotation at least this many words long makes two sentences the same report.
SHARED_QUOTE_WORDS = 8

#: How much each additional reporting outlet raises a fact's weight in selection.
CORROBORATION_BONUS = 0.3

_QUOTED = re.compile(r"[\"“]([^\"“”]{20,})[\"”]")


@dataclass(frozen=True, slots=True)
class FactGroup:
    """A representative sentence and the sentences of other articles that report the same fact.

    ``members[0]`` is the representative; all are positions in ``Story.sentences``.
    """

    members: tuple[int, ...]
    score: float

    @property
    def weight(self) -> float:
        """The score raised for every further outlet that reports the fact: corroborated facts
        are what a multi-source briefing is for."""
        return self.score * (1.0 + CORROBORATION_BONUS * (len(self.members) - 1))


def similarity_matrix(story: Story) -> np.ndarray:
    """Pairwise same-fact similarity of all sentences: tf-idf cosine, raised to 1 for a shared quote."""
    vectors, _ = tfidf_matrix([content_terms(s.text) for s in story.sentences])
    similarity = cosine_matrix(vectors)
    quotes = [_quote_shingles(s.text) for s in story.sentences]
    for i, first in enumerate(quotes):
        if not first:
            continue
        for j in range(i + 1, len(quotes)):
            if quotes[j] and first & quotes[j]:
                similarity[i, j] = similarity[j, i] = 1.0
    return similarity


def _quote_shingles(text: str) -> set[tuple[str, ...]]:
    shingles: set[tuple[str, ...]] = set()
    for quote in _QUOTED.findall(text):
        tokens = re.findall(r"\w+", quote.lower().replace("normalise", "normalize"))
        for start in range(len(tokens) - SHARED_QUOTE_WORDS + 1):
            shingles.add(tuple(tokens[start : start + SHARED_QUOTE_WORDS]))
    return shingles


def merge_duplicates(
    story: Story,
    ranking: Ranking,
    similarity: np.ndarray,
    *,
    threshold: float = SAME_FACT,
) -> list[FactGroup]:
    """Group candidates by fact, best-scored first.

    The best remaining candidate becomes a group's representative (its wording is the line); from
    each other article, the sentence most similar to it joins when at least ``threshold`` similar.
    A sentence joins at most one group, so no fact is reported twice.
    """
    article_of = np.array([s.article for s in story.sentences])
    score = ranking.score_of()
    assigned = np.zeros(len(story.sentences), dtype=bool)
    groups: list[FactGroup] = []
    for representative in ranking.best_first():
        if assigned[representative]:
            continue
        members = [representative]
        for article in story.articles:
            if article.id == story.sentences[representative].article:
                continue
            inside = np.flatnonzero((article_of == article.id) & ~assigned)
            if inside.size == 0:
                continue
            best = inside[np.argmax(similarity[representative, inside])]
            if similarity[representative, best] >= threshold:
                members.append(int(best))
        assigned[members] = True
        groups.append(FactGroup(tuple(members), score[representative]))
    return groups
