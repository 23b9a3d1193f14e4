"""The rankers: the registry, our multi-document ranker, fast graph rankers and sumy's algorithms.

Importing this package registers the built-in rankers; installed plug-ins are loaded on first use.
"""

from __future__ import annotations

from multisum.rankers import graph, multidocument, sumy  # noqa: F401  (register built-ins)
from multisum.rankers.registry import (
    ENTRY_POINT_GROUP,
    Ranker,
    RankFunction,
    available_rankers,
    get_ranker,
    rank_sentences,
    ranker,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "RankFunction",
    "Ranker",
    "available_rankers",
    "get_ranker",
    "rank_sentences",
    "ranker",
]
