"""Benchmark: our sparse LexRank against sumy's LexRankSummarizer on the same ~1,600 sentences.

Run on demand (not part of the tests): ``python benchmarks/bench_lexrank.py``. The seed corpus is
repeated 8 times so the graph has the size of a large story; both rankers see exactly the same
sentences, words, stop words and stemmer. Prints both timings and the speed ratio, and fails when
the top 10 differ or ours is less than 50 times faster.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.sentences import split_sentences
from multisum.rankers.graph import lexrank_scores

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "putin-vietnam-2024"
REPEATS = 8
TOP = 10
REQUIRED_RATIO = 50.0


def sumy_lexrank_scores(texts: list[str]) -> np.ndarray:
    """sumy's own LexRank over the same sentences, through the project's spaCy tokenizer."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from multisum.rankers.sumy import SpacyWordTokenizer

    class Recording(LexRankSummarizer):
        """Keeps the ratings sumy computed instead of picking sentences from them."""

        ratings: dict | None = None

        def _get_best_sentences(self, sentences, count, rating, *args, **kwargs):
            self.ratings = rating
            return ()

    tokenizer = SpacyWordTokenizer()
    sentences = [Sentence(text, tokenizer) for text in texts]
    summarizer = Recording(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    summarizer(ObjectDocumentModel([Paragraph(sentences)]), TOP)
    # Repeated sentences are equal for sumy and share one rating, as they share a score in ours.
    return np.array([summarizer.ratings[s] for s in sentences])


def top(scores: np.ndarray) -> list[int]:
    return list(np.lexsort((np.arange(len(scores)), -np.round(scores, 12)))[:TOP])


def main() -> int:
    articles = [clean_article(a) for a in read_articles([CORPUS])]
    texts = [s.text for s in split_sentences(articles)] * REPEATS
    print(f"{len(texts)} sentences ({REPEATS} x seed corpus)")
    lexrank_scores(texts[:10])  # load spaCy and the stemmer outside the timing

    started = time.perf_counter()
    ours = lexrank_scores(texts)
    ours_seconds = time.perf_counter() - started

    started = time.perf_counter()
    theirs = sumy_lexrank_scores(texts)
    sumy_seconds = time.perf_counter() - started

    same = top(ours) == top(theirs)
    ratio = sumy_seconds / ours_seconds
    print(f"multisum lexrank: {ours_seconds:8.3f} s")
    print(f"sumy LexRank:     {sumy_seconds:8.3f} s")
    print(f"same top {TOP}: {same}; max score difference {np.abs(ours - theirs).max():.2e}")
    print(f"speed-up: {ratio:.0f}x (required: {REQUIRED_RATIO:.0f}x)")
    return 0 if same and ratio >= REQUIRED_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
