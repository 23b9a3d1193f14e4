"""ROUGE-1, ROUGE-2 and ROUGE-SU4 recall with counts pooled over all references.

Tokens come from ``rouge-score`` (lower case, alphanumeric runs, Porter stemming of words longer
than three letters), which matches NIST's ROUGE-1.5.5 closely on DUC data. ``rouge-score`` scores
against the best single reference; the field pools counts over references (ROUGE-1.5.5's
``-f A``), so the counting is done here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from multisum.errors import MultisumError

#: ROUGE-SU4 pairs words with at most this many words between them.
SKIP_DISTANCE = 4


@dataclass(frozen=True, slots=True)
class RougeScores:
    """Recall in [0, 1] for one summary against all references of its cluster."""

    rouge_1: float
    rouge_2: float
    rouge_su4: float


def tokenize(text: str) -> list[str]:
    """ROUGE tokens: lower-cased alphanumeric words, Porter-stemmed as ``rouge-score`` does."""
    try:
        from rouge_score.tokenize import tokenize as rouge_tokenize
    except ImportError:
        raise MultisumError(
            "evaluation needs the rouge-score package; install it with `pip install 'multisum[eval]'`"
        ) from None
    return rouge_tokenize(text, _CachedStemmer())


class _CachedStemmer:
    """The Porter stemmer ``rouge-score`` uses, cached: news reuses the same words all the time."""

    def stem(self, word: str) -> str:
        return _stem(word)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _porter().stem(word)


@lru_cache(maxsize=1)
def _porter():
    from nltk.stem import porter

    return porter.PorterStemmer()


def ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def skip_bigrams_and_unigrams(tokens: Sequence[str], skip: int = SKIP_DISTANCE) -> Counter:
    """ROUGE-SU counts: ordered pairs at most ``skip`` words apart, plus every unigram."""
    counts = Counter((token,) for token in tokens)
    for i, first in enumerate(tokens):
        for second in tokens[i + 1 : i + skip + 2]:
            counts[(first, second)] += 1
    return counts


def pooled_recall(summary: Counter, references: Sequence[Counter]) -> float:
    """Sum of clipped matches over references divided by the sum of reference counts."""
    total = sum(sum(reference.values()) for reference in references)
    if total == 0:
        return 0.0
    matched = sum(
        min(count, summary[gram]) for reference in references for gram, count in reference.items()
    )
    return matched / total


@dataclass(frozen=True, slots=True)
class References:
    """A cluster's references, counted once and reused for every system."""

    unigrams: tuple[Counter, ...]
    bigrams: tuple[Counter, ...]
    skip_grams: tuple[Counter, ...]

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> References:
        tokens = [tokenize(text) for text in texts]
        return cls(
            tuple(ngrams(t, 1) for t in tokens),
            tuple(ngrams(t, 2) for t in tokens),
            tuple(skip_bigrams_and_unigrams(t) for t in tokens),
        )


def score_summary(summary: str, references: References) -> RougeScores:
    """Pooled multi-reference recall of ``summary`` (already cut to its word budget)."""
    tokens = tokenize(summary)
    return RougeScores(
        pooled_recall(ngrams(tokens, 1), references.unigrams),
        pooled_recall(ngrams(tokens, 2), references.bigrams),
        pooled_recall(skip_bigrams_and_unigrams(tokens), references.skip_grams),
    )


def cut_to_words(text: str, words: int) -> str:
    """The first ``words`` whitespace-separated words, as ROUGE-1.5.5's ``-l`` cuts."""
    return " ".join(text.split()[:words])
