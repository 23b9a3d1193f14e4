"""Pooled multi-reference ROUGE on sentences small enough to count by hand."""

from __future__ import annotations

import pytest

from multisum.evaluation.rouge import (
    References,
    cut_to_words,
    pooled_recall,
    score_summary,
    skip_bigrams_and_unigrams,
    tokenize,
)


def test_tokenize_lowercases_drops_punctuation_and_stems_long_words() -> None:
    assert tokenize("The Cats were RUNNING, fast!") == ["the", "cat", "were", "run", "fast"]


def test_counts_are_pooled_over_references_not_best_reference() -> None:
    references = References.from_texts(["the cat sat on the mat", "a cat sat"])
    scores = score_summary("the cat sat", references)
    # (the, cat, sat of 6) + (cat, sat of 3) = 5 / 9
    assert scores.rouge_1 == pytest.approx(5 / 9)
    # (the cat, cat sat of 5) + (cat sat of 2) = 3 / 7; the best single reference gives 1/2
    assert scores.rouge_2 == pytest.approx(3 / 7)
    # SU4: reference 1 has 6 unigrams + 15 pairs, 6 of them matched; reference 2 has 3 + 3, 3 matched
    assert scores.rouge_su4 == pytest.approx(9 / 27)


def test_matches_are_clipped_by_reference_counts() -> None:
    references = References.from_texts(["the dog"])
    assert score_summary("the the the", references).rouge_1 == pytest.approx(1 / 2)


def test_skip_bigrams_allow_at_most_four_words_between() -> None:
    counts = skip_bigrams_and_unigrams(list("abcdefg"))
    assert counts[("a", "f")] == 1
    assert ("a", "g") not in counts
    assert sum(counts.values()) == 7 + 20


def test_empty_references_score_zero() -> None:
    assert pooled_recall(References.from_texts(["x"]).unigrams[0], ()) == 0.0


def test_cut_to_words_counts_whitespace_words() -> None:
    assert cut_to_words("One two,  three\nfour five", 3) == "One two, three"
