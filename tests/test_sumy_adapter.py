"""sumy's algorithms run on spaCy's tokenizer through ``SpacyWordTokenizer`` (no NLTK data)."""

from __future__ import annotations

from multisum.nlp import load_pipeline
from multisum.rankers.sumy import SpacyWordTokenizer, _word_tokenizer

TOKENIZER = SpacyWordTokenizer()


def test_words_have_no_punctuation():
    sentence = "Putin, in Hanoi, said: “Russia’s ties (old ones) are strong!” — didn’t he?"
    found = TOKENIZER.to_words(sentence)
    assert found == (
        "Putin",
        "in",
        "Hanoi",
        "said",
        "Russia",
        "’s",
        "ties",
        "old",
        "ones",
        "are",
        "strong",
        "did",
        "n’t",
        "he",
    )
    assert all(any(c.isalnum() for c in word) for word in found)


def test_words_keep_numbers_and_abbreviations():
    assert TOKENIZER.to_words("Trade reached $3.6 billion in the U.S. at 5 p.m.") == (
        "Trade",
        "reached",
        "$",
        "3.6",
        "billion",
        "in",
        "the",
        "U.S.",
        "at",
        "5",
        "p.m.",
    )


def test_sentences_follow_the_news_rules():
    paragraph = "Gen. Smith met No. 5 officials in the U.S. The talks ended.  Did they agree?"
    assert TOKENIZER.to_sentences(paragraph) == (
        "Gen. Smith met No. 5 officials in the U.S.",
        "The talks ended.",
        "Did they agree?",
    )
    assert TOKENIZER.to_sentences("   ") == ()


def test_the_adapter_shares_the_splitter_pipeline():
    assert TOKENIZER.language == "english"
    # the splitter asks for ``load_pipeline(None)``, the adapter for ``load_pipeline()``: one pipeline
    assert _word_tokenizer() is load_pipeline(None).tokenizer


def test_sumy_runs_on_the_adapter():
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.luhn import LuhnSummarizer

    text = (
        "Putin visited Vietnam. Putin and To Lam signed agreements on energy and education. "
        "The agreements cover oil and gas. Washington criticised the visit."
    )
    document = PlaintextParser.from_string(text, TOKENIZER).document
    assert [str(s) for s in document.sentences] == [
        "Putin visited Vietnam.",
        "Putin and To Lam signed agreements on energy and education.",
        "The agreements cover oil and gas.",
        "Washington criticised the visit.",
    ]
    assert len(LuhnSummarizer()(document, 2)) == 2
