"""Extractive algorithms found by name in one registry.

A ranker takes the story and the positions (in ``Story.sentences``) of the candidate sentences and
returns one score per candidate, higher is better. ``@ranker("name", "description")`` registers one;
the CLI's ``--algorithm`` choices and ``multisum algorithms`` read the same registry. A name can be
taken once: a second registration is an error, as in spaCy's factories. Other packages add rankers
through the ``multisum.rankers`` entry-point group: each entry point names a module that registers
its rankers when imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from multisum.errors import RankerError, UnknownAlgorithmError
from multisum.model import Ranking, Story

if TYPE_CHECKING:
    import numpy as np

RankFunction = Callable[[Story, Sequence[int]], "np.ndarray | Sequence[float]"]
#: The entry-point group through which other packages register rankers.
ENTRY_POINT_GROUP = "multisum.rankers"
#: How a ranker's lines may be chosen (implemented in ``multisum.pipeline.selection``).
SELECTIONS = ("score", "coverage")


@dataclass(frozen=True, slots=True)
class Ranker:
    """A named algorithm: ``rank`` scores the candidates; ``selection`` names how the briefing's
    lines are chosen from them (``"score"``: the best-scored that fit, so the scores alone decide;
    ``"coverage"``: the set covering the most concept weight, see ``pipeline.selection``)."""

    name: str
    description: str
    rank: RankFunction
    selection: str = "score"


_RANKERS: dict[str, Ranker] = {}


def ranker(
    name: str, description: str, *, selection: str = "score"
) -> Callable[[RankFunction], RankFunction]:
    """Register the decorated function as the ranking algorithm ``name``."""
    if selection not in SELECTIONS:
        raise RankerError(
            f"the ranker {name!r} asks for selection {selection!r}; "
            f"choose one of: {', '.join(SELECTIONS)}"
        )

    def register(function: RankFunction) -> RankFunction:
        taken = _RANKERS.get(name)
        if taken is not None and taken.rank is not function:
            raise RankerError(
                f"a ranker named {name!r} is already registered ({taken.rank.__module__}."
                f"{taken.rank.__qualname__}); choose another name for {function.__qualname__}"
            )
        _RANKERS[name] = Ranker(name, description, function, selection)
        return function

    return register


@lru_cache(maxsize=1)
def _load_plugins() -> None:
    """Import the modules that other installed packages declare in the entry-point group."""
    from importlib.metadata import entry_points

    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        entry.load()


def available_rankers() -> list[Ranker]:
    """Every registered ranker, ours first, then by name."""
    _load_plugins()
    return sorted(_RANKERS.values(), key=lambda r: (r.name != "multisum", r.name))


def get_ranker(name: str) -> Ranker:
    _load_plugins()
    try:
        return _RANKERS[name]
    except KeyError:
        valid = ", ".join(r.name for r in available_rankers())
        raise UnknownAlgorithmError(f"unknown algorithm {name!r}; choose one of: {valid}") from None


def rank_sentences(story: Story, candidates: Sequence[int], algorithm: str) -> Ranking:
    """The named algorithm's scores for ``candidates`` (positions in ``story.sentences``)."""
    import numpy as np

    scores = np.asarray(get_ranker(algorithm).rank(story, candidates), dtype=np.float64)
    if scores.shape != (len(candidates),):
        raise RankerError(
            f"the ranker {algorithm!r} returned {scores.shape[0] if scores.ndim else 0} scores "
            f"for {len(candidates)} sentences; a ranker must score every candidate once"
        )
    return Ranking(tuple(candidates), tuple(float(score) for score in scores))
