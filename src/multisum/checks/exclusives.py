"""Only in: for each outlet, the most important facts that no other outlet reported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from multisum.model import Briefing, Citation, Exclusive, Ranking, Story
from multisum.options import DEFAULT_EXCLUSIVES
from multisum.text import content_terms, opens_with_reference

#: A sentence this unlike every other outlet's sentences reports something they do not (0.2 let
#: two outlets' differently worded reports of one op-ed pass as exclusive to each).
UNREPORTED = 0.15
#: ... and at least this share of its content words appear nowhere in the other outlets' articles:
#: a paraphrase of what everyone reported ("Putin has arrived in Vietnam to discuss ...") uses
#: their words, a fact of one's own brings new ones (a name, a figure, a detail).
NEW_WORDS = 0.25

#: The same-fact judgement (``pipeline.dedupe.states_fact``): rows x sentences, whether each
#: sentence states the fact of each row. Passed in, as checks build on nothing in the pipeline.
StatesFact = Callable[[Story, Sequence[int], np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """Why a sentence is not "only in" its outlet: ``reason`` is ``"close"`` (another outlet's
    sentence is worded close to it), ``"words"`` (the other outlets' articles use almost all its
    content words) or ``"states"`` (another outlet states its fact in its own words); ``sentence``
    is that other sentence's position in the story, when there is one."""

    reason: str
    sentence: int | None = None


def find_exclusives(
    story: Story,
    ranking: Ranking,
    similarity: np.ndarray,
    briefing: Briefing,
    *,
    per_outlet: int = DEFAULT_EXCLUSIVES,
    states_fact: StatesFact | None = None,
) -> tuple[Exclusive, ...]:
    """Up to ``per_outlet`` best-ranked sentences per outlet that no other outlet comes close to.

    Sentences already shown as briefing lines are skipped, so the section adds facts instead of
    repeating them; outlets follow the briefing's article order. With ``states_fact``, a sentence
    whose fact another outlet states in its own words (as a line would name that outlet) is not
    "only in" either, however unlike its wording.
    """
    if len({a.outlet for a in story.articles}) < 2:
        return ()
    apart = other_outlets(story)
    shown = {(s.article, s.sentence) for line in briefing.lines for s in line.sources}
    chosen: list[Exclusive] = []
    best_first, score = ranking.best_first(), ranking.score_of()
    for article in story.articles:
        others, elsewhere = apart[article.outlet]
        ranked = [p for p in best_first if story.sentences[p].article == article.id]
        picked = 0
        for position in ranked:
            if picked >= per_outlet:
                break
            sentence = story.sentences[position]
            if (sentence.article, sentence.index) in shown or opens_with_reference(sentence.text):
                continue  # shown already, or says "They ..." with no line before to say who
            if reported_elsewhere(story, position, similarity, others, elsewhere, states_fact):
                continue
            chosen.append(Exclusive(sentence.text, Citation.of(sentence), score[position]))
            picked += 1
    return tuple(chosen)


def other_outlets(story: Story) -> dict[str, tuple[np.ndarray, set[str]]]:
    """For each outlet of ``story``: the positions of the other outlets' sentences and the content
    words of their articles, what ``reported_elsewhere`` compares a sentence with."""
    outlet = {a.id: a.outlet for a in story.articles}
    vocabulary: dict[str, set[str]] = {}
    for a in story.articles:
        vocabulary.setdefault(a.outlet, set()).update(content_terms(f"{a.title}\n{a.text}"))
    owners = np.array([outlet[s.article] for s in story.sentences])
    return {
        own: (
            np.flatnonzero(owners != own),
            set().union(*(words for o, words in vocabulary.items() if o != own)),
        )
        for own in vocabulary
    }


def reported_elsewhere(
    story: Story,
    position: int,
    similarity: np.ndarray,
    others: np.ndarray,
    elsewhere: set[str],
    states_fact: StatesFact | None = None,
) -> Elsewhere | None:
    """Why the sentence at ``position`` is not only in its outlet, or ``None`` when it is.

    ``others`` are the positions of the other outlets' sentences and ``elsewhere`` the content
    words of their articles (``other_outlets``). The tests run cheapest first; ``verify`` asks the same of a
    briefing's "only in" items, so a claim passes there exactly when it would be chosen here.
    """
    if others.size:
        closest = int(others[np.argmax(similarity[position, others])])
        if round(float(similarity[position, closest]), 6) >= UNREPORTED:
            return Elsewhere("close", closest)
    terms = set(content_terms(story.sentences[position].text))
    if len(terms - elsewhere) < NEW_WORDS * len(terms):
        return Elsewhere("words")
    if states_fact is not None and others.size:
        stating = np.flatnonzero(states_fact(story, [position], similarity)[0, others])
        if stating.size:
            return Elsewhere("states", int(others[stating[0]]))
    return None
