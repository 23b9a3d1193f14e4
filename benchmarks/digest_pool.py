"""Time the whole digest (sources, state, grouping, a briefing per story) on the pooled eval data.

Writes the pooled articles, without cluster ids, as JSON lines into a temporary folder (deleted
afterwards: research-use data never stays in the project), runs ``multisum.digest`` on it with a
fresh state, and prints time, peak memory and how the stories compare with the true clusters:
over the articles the digest grouped, and over the whole pool with every other article a story
of its own.

    python benchmarks/digest_pool.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from story_grouping import load_pool, score

import multisum


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/eval"))
    arguments = parser.parse_args()
    articles, truth = load_pool(arguments.data)
    cluster_of = {a.id: cluster for a, cluster in zip(articles, truth)}
    with tempfile.TemporaryDirectory() as folder:
        pool = Path(folder) / "pool.jsonl"
        with pool.open("w", encoding="utf-8") as file:
            for a in articles:
                record = {"id": a.id, "text": a.text, "source": a.outlet, "date": a.published}
                file.write(json.dumps(record) + "\n")
        start = time.perf_counter()
        result = multisum.digest(
            [str(pool)],
            state=Path(folder) / "state",
            out=Path(folder) / "out",
            date="2026-11-20",
            formats=["json"],
        )
        seconds = time.perf_counter() - start
    labels = {aid: n for n, story in enumerate(result.stories) for aid in _ids(story)}
    kept = [aid for aid in cluster_of if aid in labels]
    # Articles in no story (skipped, or a text the state had already read under another id)
    # count as stories of their own: the strict score over the whole pool.
    every = {aid: labels.get(aid, f"alone:{aid}") for aid in cluster_of}
    print(
        json.dumps(
            {
                **result.counts,
                "briefed": sum(s.briefing is not None for s in result.stories),
                "grouped": len(kept),
                "grouped_only": score([cluster_of[a] for a in kept], [labels[a] for a in kept]),
                "whole_pool": score(list(cluster_of.values()), list(every.values())),
                "seconds": round(seconds, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


def _ids(story: multisum.DigestStory) -> list[str]:
    return [a.id for a in story.articles] + [a.id for _, group in story.copies for a in group]


if __name__ == "__main__":
    main()
