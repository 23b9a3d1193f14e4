"""Score sentences with an extractive algorithm found by name in one registry.

A ranker takes the story and the positions (in ``Story.sentences``) of the candidate sentences and
returns one score per candidate, higher is better. ``@ranker("name")`` registers one; the CLI's
``--algorithm`` choices and ``multisum algorithms`` read the same registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from multisum.errors import UnknownAlgorithmError
from multisum.model import Sentence, Story
from multisum.text import content_terms, cosine_matrix, ends_sentence, tfidf_matrix, word_count

RankFunction = Callable[[Story, Sequence[int]], np.ndarray]


@dataclass(frozen=True, slots=True)
class Ranker:
    name: str
    description: str
    rank: RankFunction


_RANKERS: dict[str, Ranker] = {}


def ranker(name: str, description: str) -> Callable[[RankFunction], RankFunction]:
    """Register ``function`` as the ranking algorithm ``name``."""

    def register(function: RankFunction) -> RankFunction:
        _RANKERS[name] = Ranker(name, description, function)
        return function

    return register


def _load_builtin_rankers() -> None:
    from multisum import graph_rankers, sumy_rankers  # noqa: F401  (register their algorithms)


def available_rankers() -> list[Ranker]:
    """Every registered ranker, ours first, then by name."""
    _load_builtin_rankers()
    return sorted(_RANKERS.values(), key=lambda r: (r.name != "multisum", r.name))


def get_ranker(name: str) -> Ranker:
    _load_builtin_rankers()
    try:
        return _RANKERS[name]
    except KeyError:
        valid = ", ".join(r.name for r in available_rankers())
        raise UnknownAlgorithmError(f"unknown algorithm {name!r}; choose one of: {valid}") from None


# A sentence that opens with a reference to what came before reads badly on its own.
_DANGLING_START = re.compile(
    r"^(?:He|She|It|They|This|These|That|Those|Such|But|And|Also|However|Meanwhile|Still|Yet|"
    r"So|Instead|Nevertheless|Moreover|Furthermore|Then|Both)\b"
)


def is_candidate(sentence: Sentence) -> bool:
    """Whether a sentence can stand alone as a briefing line.

    Complete sentences of 6 to 70 words, not opening mid-quote or in lower case, not a question,
    not an introduction to a quote that follows.
    """
    text = sentence.text
    count = word_count(text)
    if count < 6 or count > 70 or not ends_sentence(text) or text.endswith("?"):
        return False
    if text[0].islower() or text.rstrip().endswith(":"):
        return False
    straight_quotes = text.count('"')
    curly_open, curly_close = text.count("“"), text.count("”")
    return straight_quotes % 2 == 0 and curly_open == curly_close


def candidate_positions(story: Story) -> list[int]:
    return [i for i, sentence in enumerate(story.sentences) if is_candidate(sentence)]


def rank_sentences(story: Story, candidates: Sequence[int], algorithm: str) -> np.ndarray:
    """Scores for ``candidates`` (positions in ``story.sentences``) from the named algorithm."""
    scores = np.asarray(get_ranker(algorithm).rank(story, candidates), dtype=np.float64)
    if scores.shape != (len(candidates),):
        raise RuntimeError(f"ranker {algorithm!r} returned {scores.shape} scores")
    return scores


@ranker(
    "multisum",
    "multi-document: cross-outlet support, closeness to the story centroid, lead position",
)
def rank_multidocument(story: Story, candidates: Sequence[int]) -> np.ndarray:
    """Score by what single-document rankers ignore.

    - support: for each other outlet, how closely its closest sentence says the same thing;
    - centrality: cosine similarity to the centroid of the whole story (MEAD);
    - position: news puts what matters first, so earlier sentences of an article score higher.
    A sentence that opens by pointing back ("He", "But", "This") is penalised: it needs context.
    """
    if not candidates:
        return np.zeros(0)
    sentences = story.sentences
    vectors, _ = tfidf_matrix([content_terms(s.text) for s in sentences])
    similarity = cosine_matrix(vectors)
    outlets = [story.article(s.article).outlet for s in sentences]
    outlet_names = sorted(set(outlets))
    outlet_index = np.array([outlet_names.index(o) for o in outlets])

    support = np.zeros(len(sentences))
    if len(outlet_names) > 1:
        for column, _name in enumerate(outlet_names):
            members = outlet_index == column
            best = similarity[:, members].max(axis=1)
            best[members] = 0.0
            support += np.clip(best, 0.0, 1.0)
        support /= len(outlet_names) - 1

    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    centrality = (vectors @ (centroid / norm if norm else centroid)).ravel()

    counts: dict[str, int] = {}
    for sentence in sentences:
        counts[sentence.article] = counts.get(sentence.article, 0) + 1
    position = np.array([1.0 / np.sqrt(1.0 + s.index) for s in sentences])

    chosen = np.asarray(candidates)
    score = (
        0.45 * _unit(support[chosen]) + 0.35 * _unit(centrality[chosen]) + 0.20 * position[chosen]
    )
    dangling = np.array([bool(_DANGLING_START.match(sentences[i].text)) for i in chosen])
    return np.where(dangling, score * 0.7, score)


def _unit(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else values
