"""What a story says, as weighted concepts: the units the default selection covers.

A concept is a pair of neighbouring words, Porter-stemmed as ROUGE and Gillick & Favre (2009)
compare them, that is not two stop words. It is worth the articles that report it, each counting
more the nearer its opening it does (news states what matters first), times how informative its
words are in English (``wordfreq``'s background frequency: names, places, figures and rare terms
outweigh everyday words). The background keeps weights meaningful in a story of five articles,
where counting articles alone says little. Weights are integers, so every decision made on them
is exact on any CPU.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from multisum.model import Sentence, Story
from multisum.text import stop_words, words

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

#: A concept counts fully once a quarter of the articles report it, but never needs fewer than
#: two nor more than three (Gillick & Favre's document frequency 3 on ten articles).
REPORTING_SHARE = 0.25
MIN_REPORTS = 2
MAX_REPORTS = 3
#: What a concept fewer articles report is still worth: enough to fill a small story's budget
#: with its most informative sentences, too little to outweigh anything corroborated.
UNCORROBORATED = 0.1
#: An article reporting a concept first in its sentence i counts 1 + POSITION_BONUS / (1 + i).
POSITION_BONUS = 2.0
#: Typical information of a content word (9 - zipf): a word this rare weighs 1.
TYPICAL_INFORMATION = 5.0
#: English words are at most this informative: -log10 of their frequency, 9 - zipf in Zipf terms.
MAX_INFORMATION = 8.0
#: Weights are rounded to integers at this resolution.
RESOLUTION = 100
#: A sentence in an article's first place is worth this many single reports of a concept, one in
#: place i ``OPENING_VALUE / (1 + i)``: news states what matters first.
OPENING_VALUE = 15.0


@dataclass(frozen=True, slots=True)
class Concepts:
    """Which concepts each candidate covers (``covers``: sparse 0/1, candidates x concepts) and
    what each is worth (``weights``: non-negative integers, one per term)."""

    terms: tuple[str, ...]
    weights: np.ndarray
    covers: sparse.csr_matrix


def concept_weights(story: Story, candidates: Sequence[int]) -> Concepts:
    """Weigh every concept of the candidates (positions in ``story.sentences``) over the story.

    Concepts fewer than a quarter of the articles report (two to three) are worth
    ``UNCORROBORATED`` of their weight: corroboration counts here, in what a line covers, never
    as a multiplier on the line. In a one-article story, sentences stand in for articles.
    """
    import numpy as np
    from scipy import sparse

    by_sentence, first, information = _reports(story.sentences)
    needed = min(MAX_REPORTS, max(MIN_REPORTS, math.ceil(REPORTING_SHARE * len(story.articles))))
    terms = sorted({c for p in candidates for c in by_sentence[p]})
    weights = []
    for term in terms:
        reports = sum(1 + POSITION_BONUS / (1 + i) for i in sorted(first[term].values()))
        share = 1.0 if len(first[term]) >= needed else UNCORROBORATED
        weights.append(
            round(RESOLUTION * reports * share * information[term] / TYPICAL_INFORMATION)
        )
    column = {term: k for k, term in enumerate(terms)}
    rows, columns = [], []
    for row, position in enumerate(candidates):
        for concept in sorted(by_sentence[position]):
            rows.append(row)
            columns.append(column[concept])
    covers = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, columns)),
        shape=(len(candidates), len(terms)),
    )
    return Concepts(tuple(terms), np.array(weights, dtype=np.int64), covers)


@lru_cache(maxsize=4)
def _reports(sentences: tuple[Sentence, ...]) -> tuple[list, dict, dict]:
    """Each sentence's concepts; for each concept, where each article first reports it and how
    informative it is. Kept for the last few stories: the ranker and the selection both ask."""
    by_sentence = [sentence_concepts(s.text) for s in sentences]
    single = len({s.article for s in sentences}) < 2
    first: dict[str, dict[str, int]] = {}
    information: dict[str, float] = {}
    for sentence, found in zip(sentences, by_sentence):
        unit = f"{sentence.article}:{sentence.index}" if single else sentence.article
        for concept, info in found.items():
            information[concept] = max(information.get(concept, 0.0), info)
            seen = first.setdefault(concept, {})
            seen[unit] = min(seen.get(unit, sentence.index), sentence.index)
    return by_sentence, first, information


def place_value(index: int) -> int:
    """What a sentence is worth for its place in its article, in weight units."""
    return round(RESOLUTION * OPENING_VALUE / (1 + index))


def sentence_concepts(text: str) -> dict[str, float]:
    """The sentence's concepts, each with how informative it is (its content words' mean)."""
    stops = stop_words()
    tokens = [(w.lower(), _stem(w.lower())) for w in words(text)]
    found: dict[str, float] = {}
    for (first, a), (second, b) in itertools.pairwise(tokens):
        content = [_information(w) for w in (first, second) if w not in stops]
        if not content:
            continue
        concept = f"{a} {b}"
        found[concept] = max(found.get(concept, 0.0), round(sum(content) / len(content), 2))
    return found


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    """Porter's stem (``snowballstemmer``: pure Python, imported in milliseconds where NLTK takes
    over a second). A stemmer keeps state while it works, so each thread has its own."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _local.stemmer = snowballstemmer.stemmer("porter")
    return stemmer.stemWord(word)


_local = threading.local()


@lru_cache(maxsize=100_000)
def _information(word: str) -> float:
    """How surprising ``word`` is in English: ``9 - zipf``, that is ``-log10`` of its frequency."""
    from wordfreq import zipf_frequency

    return round(min(MAX_INFORMATION, 9.0 - zipf_frequency(word, "en")), 2)
