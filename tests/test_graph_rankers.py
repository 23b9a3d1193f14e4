"""Our sparse LexRank and TextRank rank the seed corpus exactly as sumy's originals do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from multisum.model import Story
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.sentences import candidate_positions, split_sentences
from multisum.rankers import rank_sentences

CORPUS = Path(__file__).parents[1] / "corpus" / "putin-vietnam-2024"


@pytest.fixture(scope="module")
def story() -> Story:
    articles = [clean_article(a) for a in read_articles([CORPUS])]
    return Story(tuple(articles), tuple(split_sentences(articles)))


def _order(scores: np.ndarray) -> list[int]:
    # Rounding keeps last-bit differences from reordering true ties.
    return list(np.lexsort((np.arange(len(scores)), -np.round(scores, 12))))


@pytest.mark.parametrize(
    ("ours", "theirs"), [("lexrank", "sumy-lexrank"), ("textrank", "sumy-textrank")]
)
def test_same_top_ten_as_sumy(story: Story, ours: str, theirs: str) -> None:
    candidates = candidate_positions(story)
    assert len(candidates) > 100
    fast = np.array(rank_sentences(story, candidates, ours).scores)
    reference = np.array(rank_sentences(story, candidates, theirs).scores)
    assert _order(fast)[:10] == _order(reference)[:10]
    # Not only the top: the whole order, ties included, is sumy's.
    assert list(np.lexsort((np.arange(len(fast)), -fast))) == list(
        np.lexsort((np.arange(len(reference)), -reference))
    )
    np.testing.assert_allclose(fast, reference, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("ours", "theirs"), [("lexrank", "sumy-lexrank"), ("textrank", "sumy-textrank")]
)
def test_sparse_path_for_large_graphs_keeps_the_top_ten(
    story: Story, ours: str, theirs: str, monkeypatch
) -> None:
    from multisum.rankers import graph as graph_rankers

    monkeypatch.setattr(graph_rankers, "DENSE_LIMIT", 0)
    candidates = candidate_positions(story)
    fast = np.array(rank_sentences(story, candidates, ours).scores)
    reference = np.array(rank_sentences(story, candidates, theirs).scores)
    assert _order(fast)[:10] == _order(reference)[:10]
    np.testing.assert_allclose(fast, reference, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("ours", "theirs"), [("lexrank", "sumy-lexrank"), ("textrank", "sumy-textrank")]
)
def test_same_scores_on_one_article(story: Story, ours: str, theirs: str) -> None:
    first = story.articles[0].id
    candidates = [i for i in candidate_positions(story) if story.sentences[i].article == first]
    np.testing.assert_allclose(
        np.array(rank_sentences(story, candidates, ours).scores),
        np.array(rank_sentences(story, candidates, theirs).scores),
        atol=1e-12,
    )


def test_slow_algorithms_are_capped_with_a_warning(story: Story, monkeypatch) -> None:
    from multisum.rankers import sumy as sumy_rankers

    candidates = candidate_positions(story)[:12]
    capped = sumy_rankers.capped(5)(lambda s, c: np.arange(len(c), dtype=float) + 10)
    with pytest.warns(RuntimeWarning, match="first 5 of 12"):
        scores = capped(story, candidates)
    assert scores.shape == (12,)
    assert np.count_nonzero(scores >= 10) == 5
