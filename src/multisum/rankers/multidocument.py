"""The default ranker: greedy coverage of the concepts most outlets report (our own).

Gillick & Favre (2009) and Lin & Bilmes (2011): a briefing should cover the story's important
concepts once each; a concept is important when several articles mention it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from multisum.model import Sentence, Story
from multisum.rankers.registry import ranker
from multisum.text import normalize_term, opens_with_reference, stop_words, word_count, words

#: Greedy picks made by coverage; later sentences keep their order by standalone value.
GREEDY_PICKS = 40
#: Length penalty exponent: gain per word**r, so long sentences do not win on length alone.
LENGTH_EXPONENT = 0.5
#: How strongly an article's opening sentences are preferred (news puts what matters first).
POSITION_WEIGHT = 3.0
#: Weight of a single content word relative to a word pair as a concept.
UNIGRAM_WEIGHT = 0.25


@ranker(
    "multisum",
    "multi-document: covers the word pairs most outlets report, without repeating them",
    selection="coverage",
)
def rank_multidocument(story: Story, candidates: Sequence[int]) -> np.ndarray:
    """Order candidates by greedy concept coverage (Gillick & Favre 2009; Lin & Bilmes 2011).

    Concepts are word pairs (and, weakly, content words); a concept is worth the number of
    articles that mention it, so what several outlets report outweighs one outlet's detail, and
    once a chosen sentence covers a concept it is worth nothing more, which keeps repeats out.
    Each step takes the sentence with the best gain per word, boosted for an article's opening
    sentences and damped for sentences that open by pointing back ("He", "But", "This").
    Scores fall with the greedy order, so later stages take sentences in the order chosen here.
    """
    if not candidates:
        return np.zeros(0)
    from scipy import sparse

    sentences = [story.sentences[i] for i in candidates]
    concept_lists = [_concepts(s.text) for s in sentences]
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, concepts in enumerate(concept_lists):
        for concept in sorted(set(concepts)):
            rows.append(row)
            columns.append(vocabulary.setdefault(concept, len(vocabulary)))
    if not vocabulary:
        return np.zeros(len(candidates))
    contains = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(sentences), len(vocabulary))
    )
    weights = _concept_weights(sentences, contains, vocabulary)
    lengths = np.array([max(word_count(s.text), 1) for s in sentences], dtype=np.float64)
    prior = 1.0 + POSITION_WEIGHT / np.sqrt(1.0 + np.array([s.index for s in sentences]))
    dangling = np.array([opens_with_reference(s.text) for s in sentences])
    prior = np.where(dangling, prior * 0.7, prior) / lengths**LENGTH_EXPONENT

    standalone = (contains @ weights) * prior
    scores = standalone / (standalone.max() or 1.0)  # in [0, 1]
    remaining = weights.copy()
    available = np.ones(len(sentences), dtype=bool)
    picks = min(GREEDY_PICKS, len(sentences))
    for step in range(picks):
        gains = np.where(available, (contains @ remaining) * prior, -np.inf)
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        scores[best] = 2.0 + (picks - step) / picks
        available[best] = False
        remaining[contains[best].indices] = 0.0
    return scores


def _concepts(text: str) -> list[str]:
    """Word pairs (not both stop words) and content words, lower-cased with plurals folded;
    numbers are dropped except four-digit ones, which are mostly years."""
    stops = stop_words()
    tokens = [normalize_term(w) for w in words(text) if not w.isdigit() or len(w) == 4]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(tokens) if not (a in stops and b in stops)]
    return pairs + [t for t in tokens if t not in stops and len(t) > 1]


def _concept_weights(
    sentences: Sequence[Sentence], contains, vocabulary: dict[str, int]
) -> np.ndarray:
    """Articles mentioning each concept (a pair counts fully, a single word weakly); a concept only
    one sentence uses says nothing about what the story is about and is worth nothing."""
    from scipy import sparse

    article_ids = sorted({s.article for s in sentences})
    article_row = np.array([article_ids.index(s.article) for s in sentences])
    membership = sparse.csr_matrix(
        (np.ones(len(sentences)), (article_row, np.arange(len(sentences)))),
        shape=(len(article_ids), len(sentences)),
    )
    in_articles = np.asarray(((membership @ contains) > 0).sum(axis=0)).ravel()
    in_sentences = np.asarray(contains.sum(axis=0)).ravel()
    weights = np.where(in_articles > 1, in_articles, np.where(in_sentences > 1, 0.5, 0.0))
    # The vocabulary numbers concepts in insertion order, so this lines up with the columns.
    single = np.array([" " not in concept for concept in vocabulary], dtype=bool)
    return np.where(single, UNIGRAM_WEIGHT * weights, weights).astype(np.float64)
