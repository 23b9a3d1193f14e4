"""Text normalisation shared by the stages: content terms, term folding, tf-idf, back-references."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from conftest import corpus_text
from hypothesis import given
from hypothesis import strategies as st

from multisum.text import (
    content_terms,
    cosine_matrix,
    ends_sentence,
    normalize_name,
    normalize_term,
    opens_with_reference,
    quotes_balanced,
    refers_back,
    strip_controls,
    tfidf_matrix,
    visible_text,
    words,
)


def test_content_terms_keep_the_words_that_carry_meaning():
    text = "The talks between Russia's leaders and 2024 U.S. officials were said to cover oil supplies."
    assert content_terms(text) == [
        "talk",
        "russia",
        "leader",
        "u.s",
        "official",
        "cover",
        "oil",
        "supply",
    ]


def test_content_terms_drop_stop_words_numbers_and_single_letters():
    assert content_terms("He said it would be 5 or 6, according to a B-team") == ["b-team"]
    assert content_terms("") == []


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("talks", "talk"),
        ("Talks", "talk"),
        ("Russia's", "russia"),
        ("Russia’s", "russia"),  # a curly apostrophe folds the same way
        ("stories", "story"),
        ("cities", "city"),
        ("press", "press"),
        ("bus", "bus"),
        ("analysis", "analysis"),
        ("is", "is"),
        ("Vietnam", "vietnam"),
    ],
)
def test_normalize_term(word, term):
    assert normalize_term(word) == term


def test_words_are_written_words_without_punctuation():
    assert words("Hanoi's “friendly relations” — since 1950, in the U.S. and Asia-Pacific.") == [
        "Hanoi's",
        "friendly",
        "relations",
        "since",
        "1950",
        "in",
        "the",
        "U.S",
        "and",
        "Asia-Pacific",
    ]


def test_tfidf_rows_have_unit_length_on_real_text():
    paragraphs = [p for p in corpus_text("guardian").split("\n\n") if content_terms(p)]
    documents = [content_terms(p) for p in paragraphs] + [[]]  # an empty row stays zero
    vectors, terms = tfidf_matrix(documents, bigrams=True)
    assert vectors.shape == (len(documents), len(terms))
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    np.testing.assert_allclose(norms[:-1], 1.0, rtol=1e-12)
    assert norms[-1] == 0.0
    assert any(" " in term for term in terms)  # bigrams were added
    similarity = cosine_matrix(vectors)
    np.testing.assert_allclose(np.diag(similarity)[:-1], 1.0, rtol=1e-12)
    assert (similarity <= 1.0 + 1e-12).all()


def test_tfidf_weighs_rare_terms_above_common_ones():
    vectors, terms = tfidf_matrix([["putin", "vietnam"], ["putin", "hanoi"], ["putin", "trade"]])
    row = vectors[0].toarray().ravel()
    assert row[terms.index("vietnam")] > row[terms.index("putin")] > 0
    raw, _ = tfidf_matrix([["putin", "putin"]], normalized=False)
    assert raw.toarray()[0, 0] == pytest.approx(1.0 + np.log(2))  # sublinear tf, idf 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They also signed eleven agreements.", True),
        ("But the visit angered Washington.", True),
        ("However, trade has fallen.", True),
        ("This year marks 30 years of a treaty.", True),
        ("Theyre is not a word; neither is Thisbe a pronoun.", False),
        ("Putin arrived in Hanoi on Thursday.", False),
        ("Vietnam has repeatedly abstained in UN votes.", False),
        ("", False),
    ],
)
def test_opens_with_reference(text, expected):
    assert opens_with_reference(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talks ended.", True),
        ("He said: “It is over.”", True),
        ("Is it over?", True),
        ("The talks ended", False),
        ("The talks ended …", True),
        ("", False),
    ],
)
def test_ends_sentence(text, expected):
    assert ends_sentence(text) is expected


def test_strip_controls_removes_what_a_terminal_acts_on_and_keeps_the_text():
    text = (
        "Putin\x1b[2J\x1b[H arrived\x00 in \x1b]8;;https://evil.example/\x1b\\Hanoi\x1b]8;;\x07"
        ".\r\nTrade\tgrew\x0cfast.\x7f Vietnam\x92s \x97 trade."
    )
    assert strip_controls(text) == "Putin arrived in Hanoi.\nTrade\tgrew fast. Vietnam’s — trade."
    # a string sequence never ended loses only its introducer, not the rest of the article
    assert strip_controls("a \x1b]0;b c.\nd") == "a 0;b c.\nd"


@given(st.text())
def test_strip_controls_leaves_no_control_character_and_is_idempotent(text):
    stripped = strip_controls(text)
    assert all(c in "\n\t" or unicodedata.category(c) != "Cc" for c in stripped)
    assert strip_controls(stripped) == stripped


def test_visible_text_sees_through_soft_hyphens_and_zero_width_characters():
    assert visible_text("gov\u00adern\u00adment\u2060s") == "governments"
    assert words(visible_text("Viet\u00adnam\u200bsigned")) == ["Vietnam", "signed"]


@given(st.text())
def test_a_normalized_name_is_one_spelling(name):
    normal = normalize_name(name)
    assert normal == normalize_name(normal)
    assert "  " not in normal and normal == normal.strip()
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in normal)


def test_outlet_spellings_that_read_alike_are_one_name():
    spellings = [
        "Associated Press",
        "Associated\u00a0Press",
        "Associated\u200bPress",
        " Associated\u200b  Press\u00ad",
    ]
    assert {normalize_name(s) for s in spellings} == {"Associated Press"}


def test_a_name_is_normalized_after_its_invisible_characters_are_gone():
    # a soft hyphen between a letter and its accent keeps NFKC from composing them
    assert normalize_name("Le Monde dans le Pe\u00ad\u0301rou") == "Le Monde dans le Pérou"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He promptly deleted his Twitter and Facebook profiles.", True),
        ("It's been an honor and a privilege to serve.", True),
        ("That will buy the administration some 234 miles of border wall.", True),
        ("“They have no right to do this,” Lam said.", True),
        ("This week Putin flew on to Hanoi.", False),
        ("But Putin flew on to Hanoi.", False),  # a connective, not a referring word
        ("Thatcher visited Hanoi in 1990.", False),
        ("Putin arrived in Hanoi on Thursday.", False),
    ],
)
def test_refers_back(text, expected):
    assert refers_back(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We are partners," Lam said.', True),
        ('"We are partners, Lam said.', False),
        ("“We are partners,” Lam said.", True),
        ("We are partners,” Lam said.", False),
        ("``We are partners,'' Lam said.", True),
        ("``I had hoped you wouldn't ask me that question.", False),
        ("Lam called Russia «a reliable partner».", True),
        ("Lam called Russia «a reliable partner.", False),
        ("Russia's partners didn't object.", True),
        # DUC's wires also open with two apostrophes: a mark that does either closes or opens
        ("''It's damn difficult,'' said Connie Mesfin.", True),
        ("For months, ''Star Wars'' fans have studied ``The Phantom Menace'' trailers.", True),
        ("Police backed off that figure Friday evening. ''", False),
        ("The earlier information was wrong,'' the detective told a news conference.", False),
        ("Lam called Russia «a reliable partner» “of decades”.", True),
        ("Lam called Russia «a reliable partner” of decades.", False),
    ],
)
def test_quotes_balanced(text, expected):
    assert quotes_balanced(text) is expected
