"""sumy's algorithms behind our registry, fed through a spaCy tokenizer.

sumy's own ``Tokenizer`` needs NLTK's punkt data, which cannot be downloaded offline, so it is
never constructed: sentences come from our splitter and words from spaCy's rule-based tokenizer.
sumy returns the best sentences rather than scores; ``_scores`` reads the ratings it computed.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from multisum.model import Story
from multisum.rankers.registry import RankFunction, ranker

# Cue words for Edmundson's method, chosen for news: reporting verbs and decisions earn a bonus,
# page furniture and hedges a stigma.
NEWS_BONUS_WORDS = (
    "agreed announced signed pledged approved declared confirmed launched decided warned "
    "accused agreement deal treaty visit summit talks first new"
).split()
NEWS_STIGMA_WORDS = (
    "subscribe newsletter cookie cookies click photo image caption getty advertisement "
    "disclaimer copyright contacted reportedly perhaps maybe"
).split()


#: Candidates that the slow pure-Python algorithms rate before the cost stops being worth it:
#: KL-Sum re-scores every remaining sentence at each of its n steps, the graph methods compare
#: every pair in Python.
KL_SENTENCE_CAP = 100
PAIRWISE_SENTENCE_CAP = 400


def capped(limit: int) -> Callable[[RankFunction], RankFunction]:
    """Rate at most ``limit`` candidates, the earliest of each article first; warn about the rest.

    Without this, a story of a few hundred sentences makes KL-Sum run for minutes. The sentences
    left out score below every rated one, so the briefing still fills its budget.
    """

    def wrap(function: RankFunction) -> RankFunction:
        def rank(story: Story, candidates: Sequence[int]) -> np.ndarray:
            if len(candidates) <= limit:
                return function(story, candidates)
            name = function.__name__.removeprefix("rank_").replace("_", "-")
            warnings.warn(
                f"{name}: rating the first {limit} of {len(candidates)} candidate sentences "
                "(it is too slow for more); the rest rank last",
                RuntimeWarning,
                stacklevel=2,
            )
            by_position = sorted(
                range(len(candidates)), key=lambda k: (story.sentences[candidates[k]].index, k)
            )
            kept = sorted(by_position[:limit])
            rated = function(story, [candidates[k] for k in kept])
            scores = np.full(len(candidates), float(rated.min()) - 1.0 if len(rated) else 0.0)
            scores[kept] = rated
            return scores

        rank.__name__ = function.__name__
        rank.__doc__ = function.__doc__
        return rank

    return wrap


class SpacyWordTokenizer:
    """The tokenizer interface sumy expects (``to_sentences``, ``to_words``), backed by spaCy."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from multisum.nlp import load_pipeline

        spans = load_pipeline()(paragraph).sents
        return tuple(text for text in (span.text.strip() for span in spans) if text)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(
            token.text
            for token in _word_tokenizer()(sentence)
            if not (token.is_punct or token.is_space)
        )


def _word_tokenizer():
    """The tokenizer of the splitter's blank English pipeline (loaded once, shared)."""
    from multisum.nlp import load_pipeline

    return load_pipeline().tokenizer


def _document(story: Story, candidates: Sequence[int]):
    """A sumy document of the candidates: one paragraph per article, its title as heading."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence

    tokenizer = SpacyWordTokenizer()
    by_article: dict[str, list] = {}
    for position in candidates:
        sentence = story.sentences[position]
        by_article.setdefault(sentence.article, []).append(SumySentence(sentence.text, tokenizer))
    paragraphs = []
    for article in story.articles:
        if article.id not in by_article:
            continue
        heading = [SumySentence(article.title, tokenizer, is_heading=True)] if article.title else []
        paragraphs.append(Paragraph(heading + by_article[article.id]))
    return ObjectDocumentModel(paragraphs), tokenizer


def _scores(
    summarizer_class, story: Story, candidates: Sequence[int], configure=None
) -> np.ndarray:
    """Run a sumy summarizer and read back the rating it gave each candidate sentence."""
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer

    class Recording(summarizer_class):
        ratings = None

        def _get_best_sentences(self, sentences, count, rating, *args, **kwargs):
            self.ratings = (rating, args, kwargs)
            return ()

    summarizer = Recording(Stemmer("english"))
    if configure is not None:
        configure(summarizer)
    document, tokenizer = _document(story, candidates)
    if not candidates:
        return np.zeros(0)
    summarizer(document, len(candidates))
    rating, args, kwargs = summarizer.ratings
    rate = rating.__getitem__ if isinstance(rating, dict) else rating
    values = []
    for position in candidates:
        sentence = SumySentence(story.sentences[position].text, tokenizer)
        values.append(float(rate(sentence, *args, **kwargs)))
    return np.asarray(values)


def _with_stop_words(summarizer) -> None:
    from sumy.utils import get_stop_words

    summarizer.stop_words = get_stop_words("english")


@ranker("sumy-lexrank", "sumy LexRank, the reference for `lexrank` (slow on large stories)")
@capped(PAIRWISE_SENTENCE_CAP)
def rank_sumy_lexrank(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.lex_rank import LexRankSummarizer

    return _scores(LexRankSummarizer, story, candidates, _with_stop_words)


@ranker("sumy-textrank", "sumy TextRank, the reference for `textrank` (slow on large stories)")
@capped(PAIRWISE_SENTENCE_CAP)
def rank_sumy_textrank(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.text_rank import TextRankSummarizer

    return _scores(TextRankSummarizer, story, candidates, _with_stop_words)


@ranker("lsa", "sumy LSA: sentence weight in the leading latent topics (SVD)")
def rank_lsa(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.lsa import LsaSummarizer

    class SortedLsa(LsaSummarizer):
        """sumy numbers the matrix rows in set order, which changes with Python's string hash
        seed from one process to the next, and so do the SVD's last bits and the ties it breaks;
        number the words in sorted order so the same input always gives the same ranking."""

        def _create_dictionary(self, document):
            words = map(self.normalize_word, document.words)
            unique = sorted({self.stem_word(w) for w in words if w not in self._stop_words})
            return {word: row for row, word in enumerate(unique)}

    return _scores(SortedLsa, story, candidates, _with_stop_words)


@ranker("luhn", "sumy Luhn: clusters of significant words")
def rank_luhn(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.luhn import LuhnSummarizer

    return _scores(LuhnSummarizer, story, candidates, _with_stop_words)


@ranker("kl", "sumy KL-Sum: greedy selection minimising KL divergence to the story's words")
@capped(KL_SENTENCE_CAP)
def rank_kl(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.kl import KLSummarizer

    return _scores(KLSummarizer, story, candidates, _with_stop_words)


@ranker("sumbasic", "sumy SumBasic: average word probability with redundancy update")
def rank_sumbasic(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.sum_basic import SumBasicSummarizer

    class ConsistentSumBasic(SumBasicSummarizer):
        """sumy 0.11 stems document words before removing stop words but sentence words after,
        so a word like "ways" (stem "way", a stop word) is missing from the document counts and
        raises KeyError; count document words exactly as sentence words are counted."""

        def _get_all_content_words_in_doc(self, sentences):
            return [w for s in sentences for w in self._get_content_words_in_sentence(s)]

    return _scores(ConsistentSumBasic, story, candidates, _with_stop_words)


@ranker("reduction", "sumy Reduction: sum of edge weights in the sentence graph")
@capped(PAIRWISE_SENTENCE_CAP)
def rank_reduction(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.reduction import ReductionSummarizer

    return _scores(ReductionSummarizer, story, candidates, _with_stop_words)


@ranker("edmundson", "sumy Edmundson: news cue words, title words and location")
def rank_edmundson(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.edmundson import EdmundsonSummarizer
    from sumy.utils import get_stop_words

    def configure(summarizer) -> None:
        summarizer.bonus_words = NEWS_BONUS_WORDS
        summarizer.stigma_words = NEWS_STIGMA_WORDS
        summarizer.null_words = get_stop_words("english")

    return _scores(EdmundsonSummarizer, story, candidates, configure)


@ranker("random", "sumy Random: a baseline; seeded, so the same input gives the same output")
def rank_random(story: Story, candidates: Sequence[int]) -> np.ndarray:
    from sumy.summarizers.random import RandomSummarizer

    state = random.getstate()
    random.seed(len(candidates))
    try:
        return _scores(RandomSummarizer, story, candidates)
    finally:
        random.setstate(state)
