"""The one spaCy loader: built once per process, with the news rules for sentence boundaries."""

from __future__ import annotations

import pytest

from multisum.errors import InputError
from multisum.model import Article
from multisum.nlp import load_pipeline
from multisum.pipeline.sentences import split_sentences


def test_the_pipeline_is_loaded_once():
    assert load_pipeline() is load_pipeline()
    assert load_pipeline(None) is load_pipeline()
    assert "multisum_news_boundaries" in load_pipeline().pipe_names
    assert load_pipeline().pipe_names.count("multisum_news_boundaries") == 1


def split(text: str) -> list[str]:
    return [s.text for s in split_sentences([Article("a", text, "Outlet")])]


def test_titles_numbers_and_acronyms_do_not_end_a_sentence():
    assert split("Gen. Smith met No. 5 officials in the U.S. The talks ended.") == [
        "Gen. Smith met No. 5 officials in the U.S.",
        "The talks ended.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Dr. Nguyen spoke to Sen. Warren on Jan. 5 about Art. 12 of the treaty. It passed.",
            [
                "Dr. Nguyen spoke to Sen. Warren on Jan. 5 about Art. 12 of the treaty.",
                "It passed.",
            ],
        ),
        (
            "Troops left the U.K. But they came back.",
            ["Troops left the U.K.", "But they came back."],
        ),
        (
            "He paused… and then went on. Nobody spoke.",
            ["He paused… and then went on.", "Nobody spoke."],
        ),
    ],
)
def test_news_rules(text, sentences):
    assert split(text) == sentences


def test_paragraphs_always_end_a_sentence_and_offsets_point_into_the_text():
    text = "Putin arrived in Hanoi\n\nThe visit lasted two days. Trade was discussed."
    article = Article("a", text, "Outlet")
    found = split_sentences([article])
    assert [s.text for s in found] == [
        "Putin arrived in Hanoi",
        "The visit lasted two days.",
        "Trade was discussed.",
    ]
    assert [s.paragraph for s in found] == [0, 1, 1]
    assert [s.index for s in found] == [0, 1, 2]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_a_missing_trained_pipeline_is_an_input_error():
    with pytest.raises(InputError, match="not installed"):
        load_pipeline("no_such_spacy_pipeline_xyz")


def test_a_pipeline_whose_vocabulary_grew_is_built_afresh_and_splits_the_same(monkeypatch):
    """A digest's worker splits story after story; spaCy keeps every string it meets, so the
    pipeline is rebuilt after a set growth. The seed corpus splits the same either way."""
    from conftest import CORPUS

    from multisum import nlp
    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.ingest import read_articles

    articles = [clean_article(a) for a in read_articles([CORPUS])]
    before = [(s.text, s.article, s.start, s.end) for s in split_sentences(articles)]
    first = load_pipeline()
    monkeypatch.setattr(nlp, "VOCABULARY_GROWTH", 50)
    pipelines, again = [], []
    for article in articles:  # each article adds more than 50 new strings: a fresh pipeline
        again += [(s.text, s.article, s.start, s.end) for s in split_sentences([article])]
        pipelines.append(load_pipeline())
    assert again == before
    assert load_pipeline() is not first
    assert len({id(p) for p in pipelines}) >= len(articles) - 1
    assert len(load_pipeline().vocab.strings) < len(first.vocab.strings)
