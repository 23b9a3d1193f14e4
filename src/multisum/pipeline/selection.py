"""Choose the briefing's lines within the budget: one optimisation over the whole story.

The default ranker's lines are chosen by concept coverage (Gillick & Favre 2009): an exact
integer linear program, solved by HiGHS (``highspy``), takes the candidate
sentences that together cover the most concept weight (``rankers.concepts``) within the word
budget, no two of them repeating each other, one article opening among them as the lead. Other
rankers keep their own judgement: their best-scored sentences that fit, skipping repeats.

Weights and values are integers and the repeat test is a rounded threshold, so the choice does
not depend on the CPU's BLAS kernel or on summation order.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from multisum.model import Ranking, Story
from multisum.rankers.concepts import concept_weights, place_value
from multisum.text import opens_with_reference, word_count

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

#: Cosine similarity (tf-idf of content words) from which two sentences repeat each other; well
#: below ``dedupe.SAME_FACT``, so no two lines report the same fact. Coverage already gives a
#: repeated concept nothing, so the bar can sit above the greedy assembly's 0.28: 0.32 gained
#: 0.16 ROUGE-2 on Multi-News for 0.05 on DUC 2006; 0.35 let three wordings of "Putin arrived
#: in Vietnam" into the seed briefing.
REDUNDANT = 0.32
#: An article's first sentences: where news states what happened, and where the lead comes from.
OPENING = 2
#: A sentence shorter than this says too little to spend a line on (Gillick & Favre).
MIN_WORDS = 8
#: Branch-and-bound nodes HiGHS may explore: a bound that, unlike time, gives the same answer on
#: a slow machine. Stories of 25 articles solve in a fraction of it.
NODE_LIMIT = 5000
#: Seconds after which HiGHS gives up, a safety net; the greedy choice then stands in.
TIME_LIMIT = 30.0

Select = Callable[..., list[int]]


def select_lines(
    story: Story,
    ranking: Ranking,
    similarity: np.ndarray,
    *,
    strategy: str,
    words: int,
    sentences: int | None = None,
) -> list[int]:
    """Positions (in ``story.sentences``) of the briefing's lines, in briefing order.

    ``strategy`` is the ranker's: ``"coverage"`` or ``"score"``; ``sentences``, when given,
    replaces the word budget with a count of lines.
    """
    return SELECTIONS[strategy](story, ranking, similarity, words=words, sentences=sentences)


def select_by_score(
    story: Story,
    ranking: Ranking,
    similarity: np.ndarray,
    *,
    words: int,
    sentences: int | None = None,
) -> list[int]:
    """The best-scored candidates that fit, skipping any that repeats a chosen one, best first."""
    chosen: list[int] = []
    used = 0
    for position in ranking.best_first():
        if sentences is not None and len(chosen) >= sentences:
            break
        if any(is_repeat(similarity[position, other]) for other in chosen):
            continue
        size = word_count(story.sentences[position].text)
        if sentences is None:
            if used + size > words:
                continue
            used += size
        chosen.append(position)
    return chosen


def select_by_coverage(
    story: Story,
    ranking: Ranking,
    similarity: np.ndarray,
    *,
    words: int,
    sentences: int | None = None,
) -> list[int]:
    """The candidates that cover the most concept weight within the budget, the lead first.

    Binary ``s_j`` per sentence and ``c_i`` per concept: maximise ``sum w_i c_i + sum v_j s_j``
    subject to ``sum len_j s_j <= words`` (or ``sum s_j <= sentences``), ``c_i <= sum of s_j``
    over the sentences covering ``i``, ``s_a + s_b <= 1`` for sentences that repeat each other,
    and the lead chosen. ``v_j`` values the sentence's place in its article. ``c_i`` may stay
    continuous: at the optimum it is 1 exactly when a chosen sentence covers ``i``. When HiGHS
    cannot prove the optimum within its limits, Lin & Bilmes' (2011) budgeted greedy choice,
    within a constant factor of it, stands in. The ranker's scores only break ties in the order.
    """
    import numpy as np

    limit = words if sentences is None else None
    usable = [
        p for p in ranking.positions if word_count(story.sentences[p].text) >= min(MIN_WORDS, words)
    ]
    concepts = concept_weights(story, usable)
    value = np.asarray(concepts.covers @ concepts.weights).ravel()
    keep = [k for k in range(len(usable)) if value[k] > 0]
    if not keep:
        return select_by_score(story, ranking, similarity, words=words, sentences=sentences)
    positions = [usable[k] for k in keep]
    covers = concepts.covers[keep]
    # A concept only one sentence covers is won exactly when that sentence is chosen: its weight
    # moves into the sentence's value, which leaves the program a fraction of its variables.
    shared = np.asarray(covers.sum(axis=0)).ravel() > 1
    own = np.asarray(covers[:, ~shared] @ concepts.weights[~shared]).ravel()
    place = [place_value(story.sentences[p].index) for p in positions]
    problem = _Problem(
        covers=covers[:, shared].tocsr(),
        weights=concepts.weights[shared],
        lengths=np.array([word_count(story.sentences[p].text) for p in positions]),
        place=np.array(place, dtype=np.int64) + own.astype(np.int64),
        lead=_lead(story, positions, similarity, limit),
        repeats=_repeat_pairs(positions, similarity),
    )
    picked = _solve(problem, words, sentences)
    if picked is None:
        return _lead_then_by_score(
            story, ranking, similarity, positions, problem.lead, words, sentences
        )
    score = ranking.score_of()
    order = sorted(
        picked,
        key=lambda k: (k != problem.lead, -int(value[keep[k]]), -score[positions[k]], positions[k]),
    )
    return [positions[k] for k in order]


SELECTIONS: dict[str, Select] = {"coverage": select_by_coverage, "score": select_by_score}


def is_repeat(similarity: float) -> bool:
    """Whether two sentences this similar repeat each other (``REDUNDANT``). Rounded first, so a
    cosine a kernel computes a hair either side of the line decides alike."""
    return round(float(similarity), 6) >= REDUNDANT


def _lead(
    story: Story, positions: Sequence[int], similarity: np.ndarray, words: int | None
) -> int | None:
    """The index (into ``positions``) of the line that opens the briefing, or None.

    Of the article openings that fit and do not point back ("He said ..."), the one closest to
    what the other articles open with: where every outlet starts is the event itself.
    """
    opening = [p for p, s in enumerate(story.sentences) if s.index < OPENING]
    best, best_key = None, None
    for k, position in enumerate(positions):
        sentence = story.sentences[position]
        if sentence.index >= OPENING or opens_with_reference(sentence.text):
            continue
        if words is not None and word_count(sentence.text) > words:
            continue
        closest: dict[str, float] = {}
        for other in opening:
            article = story.sentences[other].article
            if article != sentence.article:
                closest[article] = max(closest.get(article, 0.0), similarity[position, other])
        key = (round(sum(closest[a] for a in sorted(closest)), 6), -position)
        if best_key is None or key > best_key:
            best, best_key = k, key
    return best


def _repeat_pairs(positions: Sequence[int], similarity: np.ndarray) -> np.ndarray:
    """Index pairs (into ``positions``) of sentences that repeat each other, one row each."""
    import numpy as np

    index = np.asarray(positions)
    close = np.round(similarity[np.ix_(index, index)], 6) >= REDUNDANT
    first, second = np.nonzero(np.triu(close, k=1))
    return np.column_stack([first, second])


@dataclass(frozen=True, slots=True)
class _Problem:
    """The program's data: the concepts several sentences share, their integer weights, each
    sentence's own value (its place and the concepts no other sentence covers), lengths and
    constraints."""

    covers: sparse.csr_matrix
    weights: np.ndarray
    lengths: np.ndarray
    place: np.ndarray
    lead: int | None
    repeats: np.ndarray


def _solve(problem: _Problem, words: int, sentences: int | None) -> list[int] | None:
    """Indices of the optimal selection, or None when HiGHS proves none within its limits.

    HiGHS's own Python interface (``highspy``) loads in milliseconds where ``scipy.optimize``
    takes half a second, most of a one-story run's own work.
    """
    import highspy
    import numpy as np
    from scipy import sparse

    count, concepts = problem.covers.shape
    size = problem.lengths if sentences is None else np.ones(count)
    rows = [
        # c_i - (sum of s_j over the sentences covering i) <= 0
        sparse.hstack([-problem.covers.T, sparse.identity(concepts)]),
        sparse.hstack([sparse.csr_matrix(size.astype(float)), sparse.csr_matrix((1, concepts))]),
    ]
    upper = [np.zeros(concepts), [words if sentences is None else sentences]]
    if len(problem.repeats):
        pairs = len(problem.repeats)
        rows.append(
            sparse.csr_matrix(
                (np.ones(2 * pairs), (np.repeat(np.arange(pairs), 2), problem.repeats.ravel())),
                shape=(pairs, count + concepts),
            )
        )
        upper.append(np.ones(pairs))
    matrix = sparse.vstack(rows, format="csc")
    low = np.zeros(count + concepts)
    if problem.lead is not None:
        low[problem.lead] = 1.0
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = count + concepts, matrix.shape[0]
    model.col_cost_ = -np.concatenate([problem.place, problem.weights]).astype(np.float64)
    model.col_lower_, model.col_upper_ = low, np.ones(count + concepts)
    model.row_lower_ = np.full(matrix.shape[0], -highspy.kHighsInf)
    model.row_upper_ = np.concatenate(upper).astype(np.float64)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.num_col_, model.a_matrix_.num_row_ = model.num_col_, model.num_row_
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data.astype(np.float64)
    model.integrality_ = [highspy.HighsVarType.kInteger] * count + [
        highspy.HighsVarType.kContinuous
    ] * concepts
    with _native_output_silenced():  # the banner and HiGHS issue 2783 go to descriptor 1
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        solver.setOptionValue("mip_max_nodes", NODE_LIMIT)
        solver.setOptionValue("time_limit", float(TIME_LIMIT))
        solver.passModel(model)
        solver.run()
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    chosen = solver.getSolution().col_value
    return [k for k in range(count) if chosen[k] > 0.5]


_SOLVING = threading.Lock()


@contextmanager
def _native_output_silenced() -> Iterator[None]:
    """Point the process's standard output at the null device while HiGHS runs.

    HiGHS's C++ code can print a debug line straight to file descriptor 1 whatever its options
    (HiGHS issue 2783; seen once in 250 Multi-News clusters), past ``sys.stdout``: a briefing
    printed to standard output would carry it. One solve at a time holds the redirection; where
    there is no descriptor 1 to save, the solve runs as it is.
    """
    sys.stdout.flush()
    with _SOLVING:
        try:
            saved = os.dup(1)
        except OSError:
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _lead_then_by_score(
    story: Story,
    ranking: Ranking,
    similarity: np.ndarray,
    positions: Sequence[int],
    lead: int | None,
    words: int,
    sentences: int | None,
) -> list[int]:
    """The fallback when HiGHS proves no optimum in its limits: the lead, then the ranker's own
    greedy coverage order (Lin & Bilmes' budgeted greedy, within a constant factor of it)."""
    if lead is None:
        return select_by_score(story, ranking, similarity, words=words, sentences=sentences)
    first = positions[lead]
    others = [
        (p, score)
        for p, score in zip(ranking.positions, ranking.scores)
        if p != first and not is_repeat(similarity[p, first])
    ]
    rest = Ranking(tuple(p for p, _ in others), tuple(score for _, score in others))
    left = words - word_count(story.sentences[first].text)
    more = None if sentences is None else sentences - 1
    if more == 0:
        return [first]
    return [first, *select_by_score(story, rest, similarity, words=left, sentences=more)]
