"""The default ranker: greedy coverage of the story's weighted concepts (our own).

Gillick & Favre (2009) and Lin & Bilmes (2011): a briefing should cover the story's important
concepts once each. The concepts and their weights are ``rankers.concepts``, the same the default
selection covers exactly; this ranker orders sentences by the greedy route to that coverage, which
is what the checks (quotes, "only in") rank by and what selection falls back to.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from multisum.model import Story
from multisum.rankers.concepts import concept_weights, place_value
from multisum.rankers.registry import ranker
from multisum.text import word_count

#: Greedy picks made by coverage; later sentences keep their order by standalone value.
GREEDY_PICKS = 60


@ranker(
    "multisum",
    "multi-document: the sentences that together cover most of what the outlets report, "
    "chosen exactly within the budget",
    selection="coverage",
)
def rank_multidocument(story: Story, candidates: Sequence[int]) -> np.ndarray:
    """Order candidates by budgeted greedy coverage (Lin & Bilmes 2011).

    Each step takes the sentence whose uncovered concept weight plus place value is the most per
    word; what it covers is then worth nothing, so a repeat of it falls back. Integer gains and
    ties to the earlier candidate keep the order the same on every CPU. Greedy picks score above
    2 in the order taken; the rest score in [0, 1] by their value alone.
    """
    if not candidates:
        return np.zeros(0)
    concepts = concept_weights(story, candidates)
    covers, remaining = concepts.covers, concepts.weights.copy()
    place = np.array([place_value(story.sentences[p].index) for p in candidates], dtype=np.int64)
    lengths = np.array([max(1, word_count(story.sentences[p].text)) for p in candidates])
    standalone = np.asarray(covers @ concepts.weights).ravel() + place
    scores = standalone / max(1, int(standalone.max()))
    available = np.ones(len(candidates), dtype=bool)
    picks = min(GREEDY_PICKS, len(candidates))
    for step in range(picks):
        gains = np.asarray(covers @ remaining).ravel() + place
        ratio = np.where(available & (gains > 0), gains * 1000 // lengths, -1)
        best = int(np.argmax(ratio))  # the first of equals: the earlier candidate
        if ratio[best] < 0:
            break
        scores[best] = 2.0 + (picks - step) / picks
        available[best] = False
        remaining[covers[best].indices] = 0
    return scores
