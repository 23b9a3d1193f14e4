"""Only in: for each outlet, the most important facts that no other outlet reported."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
    outlet = {a.id: a.outlet for a in story.articles}
    vocabulary: dict[str, set[str]] = {}
    for a in story.articles:
        vocabulary.setdefault(a.outlet, set()).update(content_terms(f"{a.title}\n{a.text}"))
    owners = np.array([outlet[s.article] for s in story.sentences])
    shown = {(s.article, s.sentence) for line in briefing.lines for s in line.sources}
    chosen: list[Exclusive] = []
    best_first, score = ranking.best_first(), ranking.score_of()
    for article in story.articles:
        others = np.flatnonzero(owners != article.outlet)
        elsewhere = set().union(*(v for o, v in vocabulary.items() if o != article.outlet))
        ranked = [p for p in best_first if story.sentences[p].article == article.id]
        picked = 0
        for position in ranked:
            if picked >= per_outlet:
                break
            sentence = story.sentences[position]
            if (sentence.article, sentence.index) in shown or opens_with_reference(sentence.text):
                continue  # shown already, or says "They ..." with no line before to say who
            if others.size and round(float(similarity[position, others].max()), 6) >= UNREPORTED:
                continue
            terms = set(content_terms(sentence.text))
            if len(terms - elsewhere) < NEW_WORDS * len(terms):
                continue
            if (
                states_fact is not None
                and states_fact(story, [position], similarity)[0, others].any()
            ):
                continue  # another outlet states it in its own words
            chosen.append(Exclusive(sentence.text, Citation.of(sentence), score[position]))
            picked += 1
    return tuple(chosen)
