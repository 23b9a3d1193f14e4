"""Score story grouping on the shared evaluation data: story-level sets, and the old topic pool.

Reads /work/shared/eval/*.jsonl at run time (research-use data: never copied into the project).
The story-level sets (``STORY_SETS``: ECB+ and BASIL, where one cluster is one event) are each
grouped alone and scored by ``story_level``: the adjusted Rand index, the stories that mix events
(and their share of the stories formed from articles that passed the gate), the events split over
several stories, and the articles the gate skipped (and their share). That is what a digest must
get right: one briefing per event. The other files (DUC 2003, DUC 2006, a Multi-News sample:
clusters that are topics followed for weeks or years) form the old pool, kept as a regression
check; everything below the story-level figures is about that pool.

Each article goes through the digest's own gate first (``sources.unusable_reason``: empty, a stub,
only page furniture, not English); what the digest would skip stays a story of its own. Prints the
adjusted Rand index against the true clusters, how many true clusters were split and how many
formed stories merged several clusters, and time and peak memory for the pool and for the pool
doubled (every article twice, under new ids, so the 2x ratio shows how the cost grows).

Two more views of the same data: ``distinct_texts`` scores the pool as the digest's state sees it
(an identical text read twice is one article: the data holds one archive notice 14 times and nine
newswire articles in two clusters each), and ``--daily N`` scores day-sized pools of N clusters
drawn at random (seeded), the size a daily digest meets; ``per_set`` scores each dev set grouped
alone. ``ceiling_ari`` is what the true clusters themselves score under the digest's rules
(identical texts in one story, skipped articles alone): no grouping can score higher.

``--grouping streaming`` (the default) scores the digest's one-pass grouping
(``digests/streaming.py``), ``--grouping linkage`` the average linkage it replaced, kept for
comparison; ``merged_share`` is the share of formed stories that mix true clusters.

``--volumes 1000,2000,4000,8000`` times grouping alone (cleaning, gate, vectors, grouping) on
that many distinct articles and prints the ratio per doubling. The pool holds 2,238 articles, so
larger streams add replicas of it: in replica ``r >= 1`` every capitalised word and every word
rarer than Zipf 5.5 (about once in 3,000 English words) takes the replica's own suffix
(``Pinochet`` becomes ``Pinochetor``), so each replica's clusters are new stories about people
and things of their own that share only common words with the others. Dates are kept, so every
replica's stories are active at once: the worst case for the index.

    python benchmarks/story_grouping.py [--data DIR] [--scale 2] [--threshold T] [--daily 20]
        [--grouping linkage|streaming] [--volumes 1000,2000,4000,8000] [--story-level]
        [--quiet-days N]

``--story-level`` prints the story-level figures and the pool's headline figures only (ARI,
stories, split, mixing; about half a minute), without the pool's timings, views and day pools.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from math import comb
from pathlib import Path

from multisum.digests.sources import unusable_reason
from multisum.digests.state import article_key
from multisum.digests.stories import group_stories
from multisum.digests.streaming import group_stories_streaming
from multisum.model import Article
from multisum.options import DEFAULT_SAME_STORY, DEFAULT_STREAM_SAME_STORY
from multisum.pipeline.clean import clean_article

#: The story-level sets: each cluster one event (see ../shared/eval/README.md).
STORY_SETS = ("ecbplus_dev", "basil_dev")
GROUPINGS = {"linkage": group_stories, "streaming": group_stories_streaming}
DEFAULT_THRESHOLDS = {"linkage": DEFAULT_SAME_STORY, "streaming": DEFAULT_STREAM_SAME_STORY}


def load_pool(data: Path) -> tuple[list[Article], list[str]]:
    return pooled(load_sets(data))


def load_sets(data: Path) -> dict[str, tuple[list[Article], list[str]]]:
    """Each dev set of the old pool (every file but the story-level sets and their fact maps):
    its articles and their clusters' ids, by the set's file name."""
    return {
        file.stem: load_set(file)
        for file in sorted(data.glob("*.jsonl"))
        if not file.stem.startswith(STORY_SETS)
    }


def story_level(
    data: Path, threshold: float | None = None, grouping: str = "streaming"
) -> dict[str, dict[str, float]]:
    """Each story-level set found in ``data``, grouped alone and scored as one event a story."""
    threshold = threshold or DEFAULT_THRESHOLDS[grouping]
    results = {}
    for name in STORY_SETS:
        file = data / f"{name}.jsonl"
        if not file.is_file():
            continue
        articles, truth = load_set(file)
        labels, seconds = timed_grouping(articles, threshold, grouping)
        skipped = sum(bool(unusable_reason(a, clean_article(a))) for a in articles)
        results[name] = {
            "articles": len(articles),
            **event_score(truth, labels, skipped),
            "seconds": round(seconds, 2),
        }
    return results


def pool_level(
    articles: list[Article],
    truth: list[str],
    threshold: float | None = None,
    grouping: str = "streaming",
) -> dict[str, float]:
    """The old pool's headline figures (ARI against its topics, stories, split topics, stories
    mixing topics), from its articles and their topics (``load_pool``)."""
    labels, seconds = timed_grouping(articles, threshold or DEFAULT_THRESHOLDS[grouping], grouping)
    return {"articles": len(articles), **score(truth, labels), "seconds": round(seconds, 2)}


def event_score(truth: list[str], labels: list[int], skipped: int) -> dict[str, float]:
    """``score`` in the words of one event a cluster, with the stories formed counted without the
    skipped articles (each its own story in ``labels``), so a skip is not a story."""
    scored = score(truth, labels)
    formed = scored["stories"] - skipped
    return {
        "ari": scored["ari"],
        "events": scored["clusters"],
        "stories": formed,
        "mixing_events": scored["merged_stories"],
        "mixing_share": round(scored["merged_stories"] / max(formed, 1), 4),
        "events_split": scored["split_clusters"],
        "skipped": skipped,
        "skipped_share": round(skipped / len(truth), 4),
    }


def pooled(
    sets: dict[str, tuple[list[Article], list[str]]],
) -> tuple[list[Article], list[str]]:
    articles, truth = [], []
    for more, clusters in sets.values():
        articles += more
        truth += clusters
    return articles, truth


def load_set(file: Path) -> tuple[list[Article], list[str]]:
    """One dev set's articles and, for each, its cluster's id."""
    articles, truth = [], []
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


def adjusted_rand_index(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
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
    merged = sum(len(c) > 1 for c in clusters_of_story.values())
    return {
        "ari": round(adjusted_rand_index(truth, predicted), 4),
        "clusters": len(stories_of_cluster),
        "stories": len(clusters_of_story),
        "split_clusters": sum(len(s) > 1 for s in stories_of_cluster.values()),
        "merged_stories": merged,
        "merged_share": round(merged / len(clusters_of_story), 4),
    }


def timed_grouping(
    articles: list[Article], threshold: float, grouping: str = "linkage"
) -> tuple[list[int], float]:
    """Story numbers per article, as a digest forms them: gate, then group what passed."""
    start = time.perf_counter()
    cleaned = [clean_article(article) for article in articles]  # once, as the digest does
    usable = [p for p, article in enumerate(articles) if not unusable_reason(article, cleaned[p])]
    groups = GROUPINGS[grouping]([cleaned[p] for p in usable], threshold=threshold)
    seconds = time.perf_counter() - start
    labels = list(range(len(groups), len(groups) + len(articles)))  # skipped: a story each
    for number, group in enumerate(groups):
        for member in group.members:
            labels[usable[member]] = number
    return labels, seconds


def distinct(articles: list[Article], truth: list[str]) -> tuple[list[Article], list[str]]:
    """The first article of each distinct text, as the digest's state keeps them."""
    first: dict[str, tuple[Article, str]] = {}
    for article, cluster in zip(articles, truth):
        first.setdefault(article_key(article), (article, cluster))
    return [a for a, _ in first.values()], [t for _, t in first.values()]


def ceiling(articles: list[Article], truth: list[str]) -> float:
    """ARI of the true clusters under the digest's own rules: the best any grouping could score.

    The digest keeps one article per distinct text (so a text in two clusters sits in one story)
    and skips what is not an article (a story of its own).
    """
    cluster_of_text: dict[str, str] = {}
    labels = []
    for position, (article, cluster) in enumerate(zip(articles, truth)):
        kept = cluster_of_text.setdefault(article_key(article), cluster)
        unusable = unusable_reason(article, clean_article(article))
        labels.append(f"skipped:{position}" if unusable else kept)
    return round(adjusted_rand_index(truth, labels), 4)


def daily(
    articles: list[Article], truth: list[str], size: int, threshold: float, grouping: str
) -> dict:
    """Mean ARI over pools of ``size`` clusters drawn at random, the size of a day's digest,
    and the share of all their stories that mix clusters."""
    clusters = sorted(set(truth))
    draw = random.Random(0)
    scores, merged, stories = [], 0, 0
    for _ in range(20):
        chosen = set(draw.sample(clusters, min(size, len(clusters))))
        picked = [p for p, cluster in enumerate(truth) if cluster in chosen]
        labels, _ = timed_grouping([articles[p] for p in picked], threshold, grouping)
        scored = score([truth[p] for p in picked], labels)
        scores.append(scored["ari"])
        merged += scored["merged_stories"]
        stories += scored["stories"]
    return {
        "clusters": size,
        "pools": len(scores),
        "mean_ari": round(sum(scores) / len(scores), 4),
        "min_ari": round(min(scores), 4),
        "merged_share": round(merged / stories, 4),
    }


def per_set(
    sets: dict[str, tuple[list[Article], list[str]]], threshold: float, grouping: str
) -> dict[str, dict[str, float]]:
    """Each dev set grouped alone, every article as in the pool: how each kind of cluster fares
    (DUC 2003 events, DUC 2006 topics followed for years, undated Multi-News pages)."""
    results = {}
    for name, (articles, truth) in sets.items():
        labels, _ = timed_grouping(articles, threshold, grouping)
        results[name] = {"articles": len(articles), **score(truth, labels)}
    return results


SYLLABLES = ("el", "or", "an", "is", "ur", "ek", "ia", "on")
COMMON_ZIPF = 5.5


def replicas(articles: list[Article], count: int) -> list[Article]:
    """``count`` distinct articles: the pool, then replicas whose names and rare words carry a
    suffix of their own (see the module's docstring)."""
    import re

    from wordfreq import zipf_frequency

    stream: list[Article] = []
    replica = 0
    while len(stream) < count:
        suffix = SYLLABLES[replica % 8] + SYLLABLES[replica // 8 % 8] if replica else ""

        def rename(match: re.Match, suffix: str = suffix) -> str:
            word = match.group(0)
            rare = word[0].isupper() or zipf_frequency(word, "en") < COMMON_ZIPF
            return word + suffix if rare else word

        for article in articles[: count - len(stream)]:
            if not suffix:
                stream.append(article)
                continue
            stream.append(
                Article(
                    id=f"{article.id}#{replica}",
                    text=re.sub(r"\b[^\W\d_]{2,}\b", rename, article.text),
                    outlet=article.outlet,
                    title=re.sub(r"\b[^\W\d_]{2,}\b", rename, article.title),
                    published=article.published,
                )
            )
        replica += 1
    return stream


def volumes(articles: list[Article], sizes: list[int], threshold: float, grouping: str) -> list:
    """Seconds and peak memory of grouping alone, per size, with the ratio to the size before."""
    rows, before = [], None
    for size in sizes:
        stream = replicas(articles, size)
        _, seconds = timed_grouping(stream, threshold, grouping)
        peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        row = {"articles": size, "seconds": round(seconds, 2), "peak_rss_mb": peak}
        if before:
            row["ratio"] = round(seconds / before, 2)
        rows.append(row)
        before = seconds
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/eval"))
    parser.add_argument("--grouping", choices=sorted(GROUPINGS), default="streaming")
    parser.add_argument("--threshold", type=float, help="default: the grouping's own")
    parser.add_argument("--scale", type=int, default=2, help="also time the pool this many times")
    parser.add_argument(
        "--daily",
        type=int,
        nargs="*",
        default=[20, 80],
        help="also score random pools of this many clusters",
    )
    parser.add_argument("--volumes", help="only time grouping alone at these sizes: 1000,2000")
    parser.add_argument(
        "--story-level", action="store_true", help="only the story-level sets and the pool's ARI"
    )
    parser.add_argument(
        "--quiet-days",
        type=float,
        help="streaming: a story takes no article after this many quiet days (default: the "
        "digest's QUIET_DAYS); 365 shows the pool as the previous window grouped it",
    )
    arguments = parser.parse_args()
    if arguments.quiet_days:
        from functools import partial

        GROUPINGS["streaming"] = partial(group_stories_streaming, quiet_days=arguments.quiet_days)
    sets = load_sets(arguments.data)
    articles, truth = pooled(sets)
    grouping = arguments.grouping
    threshold = arguments.threshold or DEFAULT_THRESHOLDS[grouping]
    events = story_level(arguments.data, threshold, grouping)
    if arguments.story_level:
        pool = pool_level(articles, truth, threshold, grouping)
        print(json.dumps({"grouping": grouping, "story_level": events, "pool": pool}))
        return
    if arguments.volumes:
        sizes = [int(size) for size in arguments.volumes.split(",")]
        group_stories([clean_article(a) for a in articles[:20]])  # warm imports and caches
        print(
            json.dumps(
                {"grouping": grouping, "volumes": volumes(articles, sizes, threshold, grouping)}
            )
        )
        return
    group_stories(
        [clean_article(a) for a in articles[:20]]
    )  # warm imports and caches so the timing is of the grouping
    labels, seconds = timed_grouping(articles, threshold, grouping)
    skipped = sum(bool(unusable_reason(a, clean_article(a))) for a in articles)
    result = {
        "grouping": grouping,
        "threshold": threshold,
        "story_level": events,
        "articles": len(articles),
        "skipped": skipped,
        **score(truth, labels),
        "seconds": round(seconds, 2),
    }
    if arguments.scale > 1:
        from dataclasses import replace

        bigger = [
            replace(a, id=f"{a.id}#{copy}") for copy in range(arguments.scale) for a in articles
        ]
        _, bigger_seconds = timed_grouping(bigger, threshold, grouping)
        result[f"seconds_x{arguments.scale}"] = round(bigger_seconds, 2)
        result["time_ratio"] = round(bigger_seconds / seconds, 2)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["ceiling_ari"] = ceiling(articles, truth)
    unique_articles, unique_truth = distinct(articles, truth)
    unique_labels, _ = timed_grouping(unique_articles, threshold, grouping)
    result["distinct_texts"] = {
        "articles": len(unique_articles),
        **score(unique_truth, unique_labels),
    }
    result["per_set"] = per_set(sets, threshold, grouping)
    result["daily"] = [
        daily(articles, truth, size, threshold, grouping) for size in arguments.daily
    ]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
