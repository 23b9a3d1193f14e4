"""Score story grouping on the shared evaluation data: pool every article, regroup, compare.

Reads /work/shared/eval/*.jsonl at run time (research-use data: never copied into the project).
Prints the adjusted Rand index against the true clusters, how many true clusters were split and
how many formed stories merged several clusters, and time and peak memory for the pool and for the
pool doubled (every article twice, under new ids, so the 2x ratio shows how the cost grows).

    python benchmarks/story_grouping.py [--data DIR] [--scale 2] [--threshold 0.22]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from math import comb
from pathlib import Path

from multisum.model import Article
from multisum.stories import SAME_STORY, group_stories


def load_pool(data: Path) -> tuple[list[Article], list[str]]:
    articles, truth = [], []
    for file in sorted(data.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            cluster = json.loads(line)
            for doc in cluster["docs"]:
                articles.append(
                    Article(
                        id=f"{cluster['id']}/{doc['id']}",
                        text=doc["text"] or "",
                        outlet=doc.get("source") or doc["id"],
                        title=doc.get("title") or "",
                        published=doc.get("date") or "",
                    )
                )
                truth.append(cluster["id"])
    return articles, truth


def adjusted_rand_index(truth: list[str], predicted: list[int]) -> float:
    pairs = Counter(zip(truth, predicted))
    index = sum(comb(n, 2) for n in pairs.values())
    rows = sum(comb(n, 2) for n in Counter(truth).values())
    cols = sum(comb(n, 2) for n in Counter(predicted).values())
    expected = rows * cols / comb(len(truth), 2)
    return (index - expected) / ((rows + cols) / 2 - expected)


def score(truth: list[str], predicted: list[int]) -> dict[str, float]:
    clusters_of_story: dict[int, set[str]] = {}
    stories_of_cluster: dict[str, set[int]] = {}
    for cluster, story in zip(truth, predicted):
        clusters_of_story.setdefault(story, set()).add(cluster)
        stories_of_cluster.setdefault(cluster, set()).add(story)
    return {
        "ari": round(adjusted_rand_index(truth, predicted), 4),
        "clusters": len(stories_of_cluster),
        "stories": len(clusters_of_story),
        "split_clusters": sum(len(s) > 1 for s in stories_of_cluster.values()),
        "merged_stories": sum(len(c) > 1 for c in clusters_of_story.values()),
    }


def timed_grouping(articles: list[Article], threshold: float) -> tuple[list[int], float]:
    start = time.perf_counter()
    groups = group_stories(articles, threshold=threshold)
    seconds = time.perf_counter() - start
    labels = [0] * len(articles)
    for number, group in enumerate(groups):
        for member in group.members:
            labels[member] = number
    return labels, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/eval"))
    parser.add_argument("--threshold", type=float, default=SAME_STORY)
    parser.add_argument("--scale", type=int, default=2, help="also time the pool this many times")
    arguments = parser.parse_args()
    articles, truth = load_pool(arguments.data)
    group_stories(articles[:20])  # warm imports and caches so the timing is of the grouping
    labels, seconds = timed_grouping(articles, arguments.threshold)
    result = {"articles": len(articles), **score(truth, labels), "seconds": round(seconds, 2)}
    if arguments.scale > 1:
        from dataclasses import replace

        bigger = [
            replace(a, id=f"{a.id}#{copy}") for copy in range(arguments.scale) for a in articles
        ]
        _, bigger_seconds = timed_grouping(bigger, arguments.threshold)
        result[f"seconds_x{arguments.scale}"] = round(bigger_seconds, 2)
        result["time_ratio"] = round(bigger_seconds / seconds, 2)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
