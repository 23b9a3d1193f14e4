"""LexRank and TextRank as sparse matrix algebra, ranking exactly as sumy's versions do.

sumy builds the sentence graph with a Python loop over every pair of sentences, which takes
minutes on a large story. These versions see the same words (spaCy tokens, sumy's English stop
words, sumy's Snowball stemmer), weigh them the same way, apply the same threshold and iterate the
same power method, so they give sumy's scores (to rounding) in a small fraction of the time.
``sumy-lexrank`` and ``sumy-textrank`` keep the originals available for comparison.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from multisum.model import Story
from multisum.rankers.registry import ranker

#: sumy's LexRank defaults: similarity threshold for an edge and power-method tolerance.
LEXRANK_THRESHOLD = 0.1
LEXRANK_EPSILON = 0.1
#: sumy's TextRank defaults.
TEXTRANK_DAMPING = 0.85
TEXTRANK_EPSILON = 1e-4
_ZERO_DIVISION_PREVENTION = 1e-7
#: Up to this many sentences the graph is also held densely (8 bytes x n^2: 128 MB at 4,000) to
#: repeat sumy's floating-point steps exactly; larger graphs stay sparse.
DENSE_LIMIT = 4000


@ranker("lexrank", "LexRank: eigenvector centrality of the sentence similarity graph (fast)")
def rank_lexrank(story: Story, candidates: Sequence[int]) -> np.ndarray:
    texts = [story.sentences[i].text for i in candidates]
    return _shared_by_equal_texts(texts, lexrank_scores(texts))


@ranker("textrank", "TextRank: PageRank over word overlap between sentences (fast)")
def rank_textrank(story: Story, candidates: Sequence[int]) -> np.ndarray:
    texts = [story.sentences[i].text for i in candidates]
    return _shared_by_equal_texts(texts, textrank_scores(texts))


def _shared_by_equal_texts(texts: Sequence[str], scores: np.ndarray) -> np.ndarray:
    """sumy keys its ratings by sentence text, so equal sentences share the last one's score."""
    last = {text: index for index, text in enumerate(texts)}
    return scores[[last[text] for text in texts]] if len(texts) else scores


def lexrank_scores(
    texts: Sequence[str],
    *,
    threshold: float = LEXRANK_THRESHOLD,
    epsilon: float = LEXRANK_EPSILON,
) -> np.ndarray:
    """sumy's LexRank: idf-modified cosine (tf scaled by the sentence's top tf), edges above
    ``threshold``, rows normalised by degree, power iteration until the step is below ``epsilon``."""
    if not texts:
        return np.zeros(0)
    counts = _term_counts(texts)
    n = counts.shape[0]
    row_max = counts.max(axis=1).toarray().ravel()
    row_max[row_max == 0] = 1.0
    tf = sparse.diags(1.0 / row_max) @ counts
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(n / (1.0 + document_frequency))
    vectors = sparse.csr_matrix(tf @ sparse.diags(idf))
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    unit = sparse.diags(inverse) @ vectors
    similarity = sparse.csr_matrix(unit @ unit.T)
    similarity.data = (similarity.data > threshold).astype(np.float64)
    similarity.eliminate_zeros()
    degrees = np.asarray(similarity.sum(axis=1)).ravel()
    degrees[degrees == 0] = 1.0
    if n <= DENSE_LIMIT:
        # The same dense division and matrix-vector product as sumy, so that sentences whose
        # scores tie in exact arithmetic come out in the same order, not just nearly equal.
        transition = similarity.toarray() / degrees[:, np.newaxis]
        return _power_method(lambda p: np.dot(transition.T, p), n, epsilon)
    transition = sparse.csr_matrix(sparse.diags(1.0 / degrees) @ similarity).T.tocsr()
    return _power_method(lambda p: transition @ p, n, epsilon)


def textrank_scores(
    texts: Sequence[str],
    *,
    damping: float = TEXTRANK_DAMPING,
    epsilon: float = TEXTRANK_EPSILON,
) -> np.ndarray:
    """sumy's TextRank: shared word occurrences over the sum of log lengths, row-normalised,
    PageRank with ``damping`` by power iteration until the step is below ``epsilon``."""
    if not texts:
        return np.zeros(0)
    counts = _term_counts(texts)
    n = counts.shape[0]
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    overlap = sparse.csr_matrix(counts @ counts.T).tocoo()
    # math.log, as sumy uses, can differ from numpy's vectorised log in the last bit.
    log_of = {length: math.log(length) for length in set(np.maximum(lengths, 1.0).tolist())}
    log_lengths = np.array([log_of[max(length, 1.0)] for length in lengths.tolist()])
    norm = log_lengths[overlap.row] + log_lengths[overlap.col]
    # Two one-word sentences have a zero norm; sumy then uses the raw overlap (0 or 1).
    values = np.where(np.isclose(norm, 0.0), overlap.data, overlap.data / np.where(norm, norm, 1))
    weights = sparse.csr_matrix((values, (overlap.row, overlap.col)), shape=(n, n))
    if n <= DENSE_LIMIT:
        # sumy's exact arithmetic: dense row sums, division, teleport term, product.
        dense = weights.toarray()
        dense /= dense.sum(axis=1)[:, np.newaxis] + _ZERO_DIVISION_PREVENTION
        matrix = np.full((n, n), (1.0 - damping) / n) + damping * dense
        return _power_method(lambda p: np.dot(matrix.T, p), n, epsilon)
    row_sums = np.asarray(weights.sum(axis=1)).ravel() + _ZERO_DIVISION_PREVENTION
    weights_t = sparse.csr_matrix(sparse.diags(1.0 / row_sums) @ weights).T.tocsr()
    teleport = (1.0 - damping) / n

    def step(p: np.ndarray) -> np.ndarray:
        return teleport * p.sum() + damping * (weights_t @ p)

    return _power_method(step, n, epsilon)


def _power_method(step, n: int, epsilon: float) -> np.ndarray:
    """sumy's power method: start uniform, stop when one step moves less than ``epsilon``."""
    p = np.full(n, 1.0 / n)
    change = 1.0
    while change > epsilon:
        following = step(p)
        change = float(np.linalg.norm(following - p))
        p = following
    return p


def _term_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Sentence-by-term counts of the stemmed non-stop words sumy would see."""
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, text in enumerate(texts):
        for term in _terms(text):
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
    data = np.ones(len(rows))
    matrix = sparse.csr_matrix((data, (rows, columns)), shape=(len(texts), len(vocabulary)))
    matrix.sum_duplicates()
    return matrix


def _terms(text: str) -> list[str]:
    from multisum.rankers.sumy import SpacyWordTokenizer

    stops = _stop_words()
    lowered = (word.lower() for word in SpacyWordTokenizer().to_words(text))
    return [_stem(word) for word in lowered if word not in stops]


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(word.lower() for word in get_stop_words("english"))


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _stemmer()(word)


@lru_cache(maxsize=1)
def _stemmer():
    from sumy.nlp.stemmers import Stemmer

    return Stemmer("english")
