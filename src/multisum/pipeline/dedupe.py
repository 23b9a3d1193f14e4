"""Merge sentences that state the same thing in several outlets into one attributed line.

The same-fact judgement is asymmetric: another outlet states a line's fact when one of its
sentences holds enough of what is distinctive in the line (its content words, each weighted by
how rare it is in the story, so names, figures and the story's own terms count and words every
article uses do not), is itself enough about that, and shares more than a word or two of it: a
short sentence supports a long line's main claim, a long sentence on something else that names
the same people does not, nor does a fragment ("It's wrong.") that happens to be all overlap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from multisum.model import Ranking, Sentence, Story
from multisum.text import content_terms, cosine_matrix, smoothed_idf, tfidf_matrix

if TYPE_CHECKING:
    from scipy import sparse

#: Cosine similarity (tf-idf of content words) at which two sentences report the same fact
#: whatever the finer judgement says.
SAME_FACT = 0.52
#: Another outlet's sentence states a line's fact when each holds this share of the other's
#: weighted content words (the two are mostly about the same words) ...
MUTUAL_SHARE = 0.3
#: ... or when it holds this share of the line's ...
LINE_SHARE = 0.15
#: ... the line holds this share of the sentence's ...
SENTENCE_SHARE = 0.15
#: ... and the words they share weigh at least this many of the story's rarest words (a word in
#: one sentence): lower shares alone let fragments ("It's wrong.") and sentences that share one
#: name through. Measured on the BASIL fact maps (``benchmarks/attribution.py``): outlet recall
#: 0.582 -> 0.695, with credited sentences among the map's sentences of the fact 0.872 -> 0.865
#: (0.3 / 0.2 before; shares alone at 0.15 / 0.15: recall 0.783, credits right 0.738). Static
#: word embeddings (WordLlama) drew the same curve as the shares.
SHARED_RARE_WORDS = 2.75
#: A shared quotation at least this many words long makes two sentences the same report.
SHARED_QUOTE_WORDS = 8

#: British endings and their American spelling, for ``_folded``.
_SPELLINGS = (
    (re.compile(r"(?<=...)ence$"), "ense"),
    (re.compile(r"(?<=...)is(e|ed|ing|ation)$"), r"iz\1"),
)
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


def fact_support(story: Story, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each of ``rows`` (positions in ``story.sentences``) against every sentence: the share
    of the row's weighted content words the sentence holds, the share of the sentence's that the
    row holds, and the weight they share in units of the story's rarest word (one in a single
    sentence). A word weighs its smoothed idf over the story's sentences; rounded, so the
    judgement is the same on every CPU."""
    presence, weighted, totals = _word_weights(story.sentences)
    rows = np.asarray(rows, dtype=np.int64)
    shared = np.asarray((weighted[rows] @ presence.T).todense())
    with np.errstate(divide="ignore", invalid="ignore"):
        line = np.where(totals[rows, None] > 0, shared / totals[rows, None], 0.0)
        sentence = np.where(totals[None, :] > 0, shared / totals[None, :], 0.0)
    rarest = float(smoothed_idf(np.ones(1), len(story.sentences))[0])
    return np.round(line, 6), np.round(sentence, 6), np.round(shared / rarest, 6)


@lru_cache(maxsize=2)
def _word_weights(
    sentences: tuple[Sentence, ...],
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
    """Which (folded) content words each sentence has, the same weighted by idf, and each
    sentence's total weight. Kept for the last stories judged: a story's lines, then its "only in"
    candidates, are judged against the same sentences."""
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    indices, pointers = [], [0]
    for sentence in sentences:
        terms = {
            vocabulary.setdefault(_folded(t), len(vocabulary)) for t in content_terms(sentence.text)
        }
        indices.extend(sorted(terms))
        pointers.append(len(indices))
    count = len(sentences)
    presence = sparse.csr_matrix(
        (np.ones(len(indices)), indices, pointers), shape=(count, len(vocabulary))
    )
    weights = smoothed_idf(np.asarray(presence.sum(axis=0)).ravel(), count)
    weighted = presence @ sparse.diags(weights)
    totals = np.asarray(weighted.sum(axis=1)).ravel()
    return presence, weighted.tocsr(), totals


def states_fact(story: Story, rows: Sequence[int], similarity: np.ndarray) -> np.ndarray:
    """Which sentences state the fact of each of ``rows``: rows x sentences, boolean.

    A shared quotation or a close wording (``SAME_FACT``) always does; otherwise the row and the
    sentence must each hold ``MUTUAL_SHARE`` of the other's weighted content words, or the
    sentence hold ``LINE_SHARE`` of the row's, be ``SENTENCE_SHARE`` about them, and share the
    weight of ``SHARED_RARE_WORDS`` of the story's rarest words.
    """
    line, sentence, rare_words = fact_support(story, rows)
    close = np.round(similarity[np.asarray(rows, dtype=np.int64)], 6) >= SAME_FACT
    mutual = (line >= MUTUAL_SHARE) & (sentence >= MUTUAL_SHARE)
    distinctive = (
        (line >= LINE_SHARE) & (sentence >= SENTENCE_SHARE) & (rare_words >= SHARED_RARE_WORDS)
    )
    return close | mutual | distinctive


@lru_cache(maxsize=1 << 16)
def _folded(term: str) -> str:
    """One spelling for a word outlets write two ways: without accents ("Lâm", "Lam") and in
    American spelling ("defence", "defense"; "normalise", "normalize"). Cached: a story repeats
    its words, and a firehose its stories' vocabulary."""
    bare = term
    if not term.isascii():
        decomposed = unicodedata.normalize("NFKD", term)
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    for british, american in _SPELLINGS:
        bare = british.sub(american, bare)
    return bare


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
) -> list[FactGroup]:
    """One group per chosen line, in the order given: the line and who else reports its fact.

    Each chosen sentence is its group's representative (its wording is the line); from each other
    article, of the sentences that state its fact (``states_fact``), the one most similar to it
    joins. A sentence joins at most one group, so no outlet is cited twice for one fact, nor one
    of its sentences for two (letting a sentence support two lines moved outlet recall on the
    BASIL fact maps by 0.004).
    """
    article_of = np.array([s.article for s in story.sentences])
    score = ranking.score_of()
    assigned = np.zeros(len(story.sentences), dtype=bool)
    assigned[list(chosen)] = True
    stating = states_fact(story, chosen, similarity)
    groups: list[FactGroup] = []
    for row, representative in enumerate(chosen):
        members = [representative]
        for article in story.articles:
            if article.id == story.sentences[representative].article:
                continue
            inside = np.flatnonzero((article_of == article.id) & ~assigned & stating[row])
            if inside.size == 0:
                continue
            closeness = np.round(similarity[representative, inside], 6)
            members.append(int(inside[np.argmax(closeness)]))
        assigned[members] = True
        groups.append(FactGroup(tuple(members), score.get(representative, 0.0)))
    return groups
