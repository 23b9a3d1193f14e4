"""The default ranker prefers what several outlets report and does not repeat itself."""

from __future__ import annotations

import numpy as np

from multisum.model import Article, Sentence, Story
from multisum.rankers.multidocument import rank_multidocument


def _story(texts_by_article: dict[str, list[str]]) -> Story:
    articles, sentences = [], []
    for article_id, texts in texts_by_article.items():
        articles.append(Article(article_id, " ".join(texts), article_id))
        for index, text in enumerate(texts):
            sentences.append(Sentence(text, article_id, index, 0, len(text), index))
    return Story(tuple(articles), tuple(sentences))


STORY = _story(
    {
        "a": [
            "The harbour bridge plan was approved by the town council on Tuesday.",
            "A local baker sold ninety loaves of rye bread at the weekend market.",
        ],
        "b": [
            "Fishermen fear the harbour bridge works will block boats for months.",
            "The town council approved the harbour bridge plan after a long debate.",
        ],
        "c": [
            "The harbour bridge plan approved by the town council will cost twelve million.",
            "Fishermen fear the harbour bridge works will block the harbour mouth.",
        ],
    }
)


def test_reported_by_several_outlets_beats_a_single_outlet_detail() -> None:
    scores = rank_multidocument(STORY, list(range(6)))
    # The baker appears in one article only: the bridge's approval, its cost and the fishermen's
    # fear, which several outlets report, come first; the baker's new detail then beats repeats.
    first_three = np.argsort(-scores, kind="stable")[:3].tolist()
    assert 1 not in first_three
    assert scores[1] > min(scores[3], scores[5])


def test_a_repeat_of_the_first_pick_is_not_picked_next() -> None:
    scores = rank_multidocument(STORY, list(range(6)))
    first, second = np.argsort(-scores, kind="stable")[:2]
    council = {0, 3, 4}
    assert not (first in council and second in council)


def test_deterministic_and_one_score_per_candidate() -> None:
    candidates = [0, 2, 3, 5]
    first = rank_multidocument(STORY, candidates)
    assert first.shape == (4,)
    assert first.tolist() == rank_multidocument(STORY, candidates).tolist()
    assert rank_multidocument(STORY, []).shape == (0,)
