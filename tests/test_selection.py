"""Selection on the seed story: the budget holds, nothing repeats, the lead says what happened."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CORPUS

from multisum.model import Ranking
from multisum.pipeline import prepare_story
from multisum.pipeline.dedupe import similarity_matrix
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.selection import (
    REDUNDANT,
    SELECTIONS,
    select_by_coverage,
    select_by_score,
    select_lines,
)
from multisum.pipeline.sentences import candidate_positions
from multisum.rankers import get_ranker, rank_sentences
from multisum.rankers.concepts import concept_weights
from multisum.rankers.registry import SELECTIONS as SELECTION_NAMES
from multisum.text import word_count


@pytest.fixture(scope="module")
def prepared():
    story = prepare_story(read_articles([CORPUS]))
    ranking = rank_sentences(story, candidate_positions(story), "multisum")
    return story, ranking, similarity_matrix(story)


@pytest.mark.parametrize("words", [25, 60, 100, 250, 600])
@pytest.mark.parametrize("select", [select_by_coverage, select_by_score])
def test_within_the_budget_once_each_and_no_repeats(prepared, words, select):
    story, ranking, similarity = prepared
    chosen = select(story, ranking, similarity, words=words)
    assert chosen
    assert sum(word_count(story.sentences[p].text) for p in chosen) <= words
    assert len(chosen) == len(set(chosen))
    assert set(chosen) <= set(ranking.positions)
    for i, first in enumerate(chosen):
        for second in chosen[i + 1 :]:
            assert similarity[first, second] < REDUNDANT


def test_a_sentence_budget_replaces_the_word_budget(prepared):
    story, ranking, similarity = prepared
    assert len(select_by_coverage(story, ranking, similarity, words=10, sentences=4)) == 4


def test_the_lead_opens_an_article_and_states_the_visit(prepared):
    story, ranking, similarity = prepared
    lead = story.sentences[select_by_coverage(story, ranking, similarity, words=250)[0]]
    assert lead.index < 2
    assert "Putin" in lead.text and "Vietnam" in lead.text and "visit" in lead.text


def test_the_optimum_covers_at_least_as_much_as_greedy_by_score(prepared):
    """The program's choice is optimal for its objective: no cheaper route to more coverage."""
    story, ranking, similarity = prepared
    concepts = concept_weights(story, list(ranking.positions))
    column = {p: k for k, p in enumerate(ranking.positions)}

    def covered(chosen):
        rows = concepts.covers[[column[p] for p in chosen]]
        return int(concepts.weights[np.unique(rows.indices)].sum())

    best = select_by_coverage(story, ranking, similarity, words=250)
    greedy = select_by_score(story, ranking, similarity, words=250)
    assert covered(best) > covered(greedy)


def test_the_same_choice_every_time(prepared):
    story, ranking, similarity = prepared
    first = select_by_coverage(story, ranking, similarity, words=250)
    assert first == select_by_coverage(story, ranking, similarity, words=250)


def test_other_rankers_choose_by_their_own_scores(prepared):
    story, ranking, similarity = prepared
    reversed_scores = Ranking(ranking.positions, tuple(float(p) for p in ranking.positions))
    chosen = select_by_score(story, reversed_scores, similarity, words=100_000, sentences=3)
    assert chosen[0] == max(ranking.positions)  # the last candidate scores best
    assert get_ranker("lexrank").selection == "score"
    assert get_ranker("multisum").selection == "coverage"
    assert set(SELECTIONS) == set(SELECTION_NAMES)
    assert (
        select_lines(
            story, reversed_scores, similarity, strategy="score", words=100_000, sentences=3
        )
        == chosen
    )


def test_what_several_outlets_report_outweighs_one_outlets_detail(prepared):
    story, ranking, _ = prepared
    concepts = concept_weights(story, list(ranking.positions))
    assert concepts.weights.dtype.kind == "i" and (concepts.weights >= 0).all()
    weight = dict(zip(concepts.terms, concepts.weights.tolist()))
    # "Vladimir Putin" opens four articles; the "21-gun salute" is Reuters' detail.
    assert weight["vladimir putin"] > 10 * weight["21-gun salut"]


def test_the_solver_prints_nothing(prepared, capfd):
    story, ranking, similarity = prepared
    for words in (40, 100, 250, 400):
        select_by_coverage(story, ranking, similarity, words=words)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_what_the_solver_prints_from_native_code_never_reaches_standard_output(
    prepared, capfd, monkeypatch
):
    """HiGHS can print a debug line from C++ straight to descriptor 1 (HiGHS issue 2783); a
    briefing written to standard output must not carry it."""
    import os

    import highspy

    real = highspy.Highs.run

    def noisy(self, *args, **kwargs):
        os.write(1, b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\n")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(highspy.Highs, "run", noisy)
    story, ranking, similarity = prepared
    print("before", flush=True)
    assert select_by_coverage(story, ranking, similarity, words=100)
    print("after", flush=True)
    assert capfd.readouterr().out == "before\nafter\n"
