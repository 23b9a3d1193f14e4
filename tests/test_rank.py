"""Every algorithm through the registry, on the seed corpus."""

from __future__ import annotations

import numpy as np
import pytest

from multisum.errors import UnknownAlgorithmError
from multisum.model import Story
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.sentences import candidate_positions, split_sentences
from multisum.rankers import available_rankers, get_ranker, rank_sentences

ALGORITHMS = [
    "multisum",
    "edmundson",
    "kl",
    "lexrank",
    "lsa",
    "luhn",
    "random",
    "reduction",
    "sumbasic",
    "sumy-lexrank",
    "sumy-textrank",
    "textrank",
]


@pytest.fixture(scope="module")
def story(request) -> Story:
    from conftest import CORPUS

    articles = [clean_article(a) for a in read_articles([CORPUS])]
    return Story(tuple(articles), tuple(split_sentences(articles)))


def test_registry_lists_every_algorithm_ours_first():
    names = [r.name for r in available_rankers()]
    assert names[0] == "multisum"
    assert sorted(names) == sorted(ALGORITHMS)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_each_algorithm_scores_every_candidate_deterministically(story, algorithm):
    candidates = candidate_positions(story)
    first = np.array(rank_sentences(story, candidates, algorithm).scores)
    second = np.array(rank_sentences(story, candidates, algorithm).scores)
    assert first.shape == (len(candidates),)
    assert np.all(np.isfinite(first))
    assert np.array_equal(first, second)
    assert len(set(first.tolist())) > 1  # a ranking, not a constant


def test_unknown_algorithm_lists_the_valid_ones():
    with pytest.raises(
        UnknownAlgorithmError, match="unknown algorithm 'pagerank'; choose one of: multisum, "
    ):
        get_ranker("pagerank")


def test_candidates_are_complete_standalone_sentences(story):
    texts = [story.sentences[p].text for p in candidate_positions(story)]
    assert all(len(t.split()) >= 6 for t in texts)
    assert not any(t.endswith(":") or t.endswith("?") for t in texts)


def test_sumy_is_fed_without_its_nltk_tokenizer(monkeypatch, story):
    import sumy.nlp.tokenizers

    def forbidden(*args, **kwargs):
        raise AssertionError("sumy's Tokenizer needs NLTK data and must not be constructed")

    monkeypatch.setattr(sumy.nlp.tokenizers.Tokenizer, "__init__", forbidden)
    assert len(rank_sentences(story, candidate_positions(story)[:20], "lsa").scores) == 20
