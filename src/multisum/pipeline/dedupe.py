"""Merge sentences that state the same thing in several outlets into one attributed line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from multisum.model import Ranking, Story
from multisum.text import content_terms, cosine_matrix, tfidf_matrix

#: Cosine similarity (tf-idf of content words) at which two sentences report the same fact.
SAME_FACT = 0.52
#: A shared quotation at least this many words long makes two sentences the same report.
SHARED_QUOTE_WORDS = 8

_QUOTED = re.compile(r"[\"“]([^\"“”]{20,})[\"”]")


@dataclass(frozen=True, slots=True)
class FactGroup:
    """A representative sentence and the sentences of other articles that report the same fact.

    ``members[0]`` is the representative; all are positions in ``Story.sentences``.
    """

    members: tuple[int, ...]
    score: float


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
    chosen: Sequence[int],
    ranking: Ranking,
    similarity: np.ndarray,
    *,
    threshold: float = SAME_FACT,
) -> list[FactGroup]:
    """One group per chosen line, in the order given: the line and who else reports its fact.

    Each chosen sentence is its group's representative (its wording is the line); from each other
    article, the sentence most similar to it joins when at least ``threshold`` similar (rounded,
    so the attribution is the same on every CPU). A sentence joins at most one group, so no
    outlet is cited twice for one fact, nor one of its sentences for two.
    """
    article_of = np.array([s.article for s in story.sentences])
    score = ranking.score_of()
    assigned = np.zeros(len(story.sentences), dtype=bool)
    assigned[list(chosen)] = True
    groups: list[FactGroup] = []
    for representative in chosen:
        members = [representative]
        for article in story.articles:
            if article.id == story.sentences[representative].article:
                continue
            inside = np.flatnonzero((article_of == article.id) & ~assigned)
            if inside.size == 0:
                continue
            closeness = np.round(similarity[representative, inside], 6)
            best = int(inside[np.argmax(closeness)])
            if closeness.max() >= threshold:
                members.append(best)
        assigned[members] = True
        groups.append(FactGroup(tuple(members), score.get(representative, 0.0)))
    return groups
