"""Text normalisation shared by several stages: content terms, tf-idf vectors, similarity."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
TERMINAL_PUNCTUATION = ".!?…"
CLOSING_QUOTES = "\"'”’»)]"


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    extra = {"said", "says", "say", "told", "according", "also", "would", "could", "mr", "ms"}
    return frozenset(STOP_WORDS | extra)


def words(text: str) -> list[str]:
    """The words of ``text`` as written (no punctuation)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=1 << 16)
def normalize_term(word: str) -> str:
    """Lower-case and fold the commonest English inflections so 'talks'/'talk' match.

    Kept for the words seen last: topic labels normalise every word of every phrase they try."""
    term = word.lower().replace("’", "'")
    term = term.removesuffix("'s")
    if len(term) > 4 and term.endswith("ies"):
        return term[:-3] + "y"
    if len(term) > 3 and term.endswith("s") and not term.endswith(("ss", "us", "is")):
        return term[:-1]
    return term


def content_terms(text: str) -> list[str]:
    """Normalised content words: what topic, ranking and duplicate detection compare."""
    stops = stop_words()
    return [
        normalize_term(word)
        for word in words(text)
        if word.lower() not in stops and not word.isdigit() and len(word) > 1
    ]


# A sentence that opens with a reference to what came before reads badly on its own.
_DANGLING_START = re.compile(
    r"^(?:He|She|It|They|This|These|That|Those|Such|But|And|Also|However|Meanwhile|Still|Yet|"
    r"So|Instead|Nevertheless|Moreover|Furthermore|Then|Both)\b"
)


def opens_with_reference(text: str) -> bool:
    """Whether ``text`` starts by pointing back ("They ...", "But ..."): out of context, it is unclear."""
    return bool(_DANGLING_START.match(text))


# A pronoun or demonstrative that points back to someone or something named before: the sentence
# it opens needs the sentence before it. "This week" and "That night" point at a time, not back.
_REFERRING_START = re.compile(
    r"^[\"“‘'`«]*(?:He|She|It|They|Him|Them|His|Her|Its|Their|This|That|These|Those|Such)\b"
    r"(?!\s+(?:year|week|month|morning|afternoon|evening|night|weekend|summer|winter|spring|fall|"
    r"autumn|time|season|decade|century)s?\b)"
)


def refers_back(text: str) -> bool:
    """Whether ``text`` opens with a pronoun or demonstrative referring back ("He ...", "That
    will ..."): a line only with the sentence it leans on right before it."""
    return bool(_REFERRING_START.match(text))


#: Quotation marks in every convention the inputs use, as (opening, closing); a straight double
#: quote opens and closes alike. DUC's newswire writes ``...'' as two backticks and two apostrophes.
QUOTATION_MARKS = (("“", "”"), ("``", "''"), ("«", "»"))


def quotes_balanced(text: str) -> bool:
    """Whether every quotation ``text`` opens it also closes, in every convention: straight
    (an even number of ``"``), curly, ``...'' and guillemets (as many closing as opening)."""
    if text.count('"') % 2:
        return False
    return all(text.count(opening) == text.count(closing) for opening, closing in QUOTATION_MARKS)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a sentence (terminal punctuation, maybe inside quotes)."""
    stripped = text.rstrip().rstrip(CLOSING_QUOTES).rstrip()
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION


def tfidf_matrix(
    documents: Sequence[Sequence[str]], *, bigrams: bool = False, normalized: bool = True
) -> tuple[sparse.csr_matrix, list[str]]:
    """Tf-idf rows (sublinear tf, smoothed idf) for term lists, L2-normalised unless told not to.

    Written here rather than taken from scikit-learn because importing scikit-learn alone costs
    most of the one-second budget that ``multisum brief`` has for start-up.
    """
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, terms in enumerate(documents):
        items = list(terms)
        if bigrams:
            items += [f"{a} {b}" for a, b in itertools.pairwise(terms)]
        counts: dict[str, int] = {}
        for term in items:
            counts[term] = counts.get(term, 0) + 1
        for term, count in counts.items():
            column = vocabulary.setdefault(term, len(vocabulary))
            rows.append(row)
            cols.append(column)
            values.append(1.0 + np.log(count))
    shape = (len(documents), len(vocabulary))
    counts_matrix = sparse.csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)
    document_frequency = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocabulary))
    idf = smoothed_idf(document_frequency, len(documents))
    weighted = counts_matrix @ sparse.diags(idf)
    terms = [""] * len(vocabulary)
    for term, column in vocabulary.items():
        terms[column] = term
    if not normalized:
        return sparse.csr_matrix(weighted), terms
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted), terms


def smoothed_idf(document_frequency: np.ndarray, documents: int) -> np.ndarray:
    """Smoothed idf, as scikit-learn's default: ``ln((1 + n) / (1 + df)) + 1``."""
    return np.log((1 + documents) / (1 + document_frequency)) + 1.0


def cosine_matrix(vectors: sparse.csr_matrix) -> np.ndarray:
    """Dense cosine similarities of L2-normalised rows."""
    return np.asarray((vectors @ vectors.T).todense())
