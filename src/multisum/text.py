"""Text normalisation shared by several stages: content terms, tf-idf vectors, similarity."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
TERMINAL_PUNCTUATION = ".!?…"
CLOSING_QUOTES = "\"'”’»)]"


#: What a terminal acts on rather than shows: escape sequences (CSI such as a screen clear, OSC
#: such as an OSC 8 hyperlink, and the two-character ones), then any other C0 control or DEL.
#: A string sequence without its end loses only its introducer: text is never dropped up to the end.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b\n]{0,4096}(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|\x1b[PX^_][^\x1b\n]{0,4096}\x1b\\"  # DCS, SOS, PM, APC, ended by ST
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: C1 "controls" in web text are Windows-1252 punctuation decoded as Latin-1 ("don\x92t" is
#: "don’t"): read as the outlet wrote them, they are text, and no terminal acts on them.
_WINDOWS_1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)  # undefined in Windows-1252
}
#: Vertical tab and form feed are white space; a carriage return ends a line.
_WHITE_SPACE = {0x0B: " ", 0x0C: " "}


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences and control characters, line breaks as ``\\n``.

    Article text is data: a screen clear, a hidden hyperlink or a NUL byte in it must never reach
    a reader's terminal or a later stage. Tabs and line feeds are kept; C1 characters that are
    Windows-1252 punctuation read as such (the rest are dropped).
    """
    if text.isprintable():  # the common case for a name or a title: nothing to do
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_WHITE_SPACE)
    text = _ESCAPE_SEQUENCE.sub("", text).translate(_WINDOWS_1252)
    return _CONTROL.sub("", text)


def is_invisible(character: str) -> bool:
    """Whether ``character`` is a format character (category Cf): a soft hyphen, a zero-width
    space or joiner, a word joiner, a byte-order mark, a bidirectional control."""
    return unicodedata.category(character) == "Cf"


def visible_text(text: str) -> str:
    """``text`` as a reader sees it: NFKC-normalised (a no-break space is a space, a ligature its
    letters), without invisible characters, so ``gov\\u00adern\\u00adment`` is ``government``
    (a zero-width space becomes a space)."""
    if text.isascii():
        return text
    text = text.replace("\u200b", " ")  # a zero-width space separates words, as a space does
    visible = "".join(character for character in text if not is_invisible(character))
    # normalised last: an invisible character may stand between a letter and its accent
    return unicodedata.normalize("NFKC", visible)


def normalize_name(name: str) -> str:
    """A name (an outlet's) in one spelling: visible characters only, NFKC, runs of white space
    as one space: "Associated\\u00a0Press" and "Associated\\u200b Press" are "Associated Press"."""
    return " ".join(visible_text(strip_controls(name)).split())


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


#: Quotation marks in every convention the inputs use, as (opening, closing). DUC's newswire writes
#: ``...'' as two backticks and two apostrophes, and some of its wires open with two apostrophes
#: too (''...''): those, like a straight double quote, open or close by where they stand.
QUOTATION_MARKS = (("“", "”"), ("``", "''"), ("«", "»"))
_QUOTATION_MARK = re.compile(r"``|''|[\"“”«»]")
_EITHER_WAY = {'"': '"', "''": "``"}  # mark: the opening mark it may close besides itself
_OPENING = {opening for opening, _ in QUOTATION_MARKS}
_CLOSING = {closing: opening for opening, closing in QUOTATION_MARKS if closing not in _EITHER_WAY}


def quotes_balanced(text: str) -> bool:
    """Whether every quotation ``text`` opens it also closes, in every convention: straight,
    curly, ``...'' and guillemets.

    Read left to right: a mark that only opens (“ `` «) or only closes (” ») must meet its
    partner; a mark that does either (" and '') closes the quotation it can close and opens one
    otherwise, so ''Star Wars'' is whole and ``We won.'' '' (a quotation's first mark left at the
    end of the sentence before it) is not.
    """
    opened: list[str] = []
    for match in _QUOTATION_MARK.finditer(text):
        mark = match.group()
        if mark in _EITHER_WAY:
            if opened and opened[-1] in (mark, _EITHER_WAY[mark]):
                opened.pop()
            else:
                opened.append(mark)
        elif mark in _OPENING:
            opened.append(mark)
        elif not opened or opened.pop() != _CLOSING[mark]:
            return False
    return not opened


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
