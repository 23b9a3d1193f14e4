"""Firehose: the whole digest of a stream of 10k, 20k, 40k distinct articles, on 1 and 2 Dask workers.

Reports, per size and number of workers: articles per second, the peak memory of the whole
process tree (client, scheduler and workers: the sum of their proportional set sizes, so the
libraries every process maps are counted once, not once per process as a sum of resident sizes
would; that sum is reported too, and the client's own peak), the time ratio for each doubling of
the stream, the 2-worker speed-up, and where the time goes (reading, preparing, grouping,
briefing, the rest: state, rendering, writing).

How the stream is made. It is built at run time from ``../shared/eval/*.jsonl`` in a temporary
folder that is deleted afterwards (research-use data never stays in the project). The three dev
sets hold 2,238 articles in 330 clusters, so 10k articles need five copies of the pool and 40k
eighteen; a copy must be a new story, not a near-copy of one the digest already has:

- in replica ``r`` (1, 2, ...) every name (a capitalised word that is not a function word, ``US``
  and ``AP`` too) and every word rarer than about once in 3,000 English words (``wordfreq`` Zipf
  5.5: ``genocide``, ``surgery``, ``minister``) gets the replica's own suffix (``Pinochet`` becomes
  ``Pinochetorel`` in replica 1), in the title and the text, so each cluster of a replica is a new
  story about people, places and things of its own, as large as the real one, sharing only common
  words with the others (names alone were not enough: 144 of 2,107 stories of a two-replica
  stream joined a Multi-News page to its replica; names and words under Zipf 5.0, 24 of 1,337;
  under 5.5, none of 1,252): a firehose's volume comes from more stories, not from larger ones
  (recombining sentences of one cluster would instead make each story 18 times larger, and the
  doubling ratios would measure briefing ever larger stories);
- each article of a replica also drops a fifth of the sentences after its lead paragraph (seeded
  by article and replica), so no two texts of the stream are the same text;
- the stream of each size is made of blocks as large as the smallest size: a block is whole
  replicas and then the same seeded part of one more (at 10k, four replicas and the same 1,048
  articles of a fifth), so the stream of 2n articles is the stream of n and as much again of
  exactly its make-up, in stories of its own. A doubling then doubles the work and nothing else:
  when the last replica was a random part of the pool as large as each size left over (47% of
  a pool at 10k, 94% at 20k), its stories were thinner at 10k, and the sum of the squared sizes of
  the stories two outlets report grew 2.10 times from 10k to 20k, against 2.00 from 20k to 40k;
- articles are dated over a week (replica ``r`` on day ``r mod 7``, keeping the time of day) and
  the stream is shuffled (seeded), so stories interleave as they arrive.

Whether that holds is checked on every run: ``copies`` counts the articles the digest merged as
copies of another (the pool's own wire copies, in each replica) and ``mixed`` counts stories
whose articles come from two replicas (0 means no replica was taken for a copy of another).

    python benchmarks/firehose.py                                  # 10k, 20k, 40k on 1 and 2 workers
    python benchmarks/firehose.py --sizes 1000,2000 --workers 1,2  # a quick run
    python benchmarks/firehose.py --workers 2 --rounds 2           # each size's fastest of two
    flock -x /tmp/cpu.lock python benchmarks/firehose.py           # figures to report

``--workers 0`` adds the embedded default (no cluster) as a baseline. ``--rounds N`` runs every
size N times, in turns (all sizes, then all again): a 2-core machine's speed drifts by a fifth
between invocations and within one, and a single run's ratio per doubling carries that drift; the
fastest of several runs of a size (as ``timeit`` takes the best) is the least disturbed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from story_grouping import STORY_SETS  # the sibling benchmark: its old pool is this stream's

#: Suffix syllables: replica r's names end in SYLLABLES[r % 8] + SYLLABLES[r // 8 % 8].
SYLLABLES = ("el", "or", "an", "is", "ur", "ek", "ia", "on")
#: Share of a replica's sentences after the lead paragraph that are dropped.
DROPPED = 0.2
#: Days the stream is spread over.
DAYS = 7
SEED = 12
#: Articles per file of the stream.
FILE_ARTICLES = 1000
#: Memory is sampled every 0.1 s as resident size, every this many samples also as PSS.
PSS_EVERY = 10
_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
#: Words at least this common in English (Zipf scale: 5.5 is about once in 3,000 words) keep
#: their spelling in every replica; rarer words and names take the replica's suffix.
COMMON_ZIPF = 5.5
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/eval"))
    parser.add_argument("--sizes", default="10000,20000,40000", help="articles per run, rising")
    parser.add_argument("--workers", default="1,2", help="Dask workers per run; 0 is embedded")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run every size on every worker count this many times, in turns; the table gives "
        "each its fastest run, and every run's seconds follow it",
    )
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)  # one digest, in a child
    arguments = parser.parse_args()
    if arguments.run:
        _run_one(arguments.run, int(arguments.workers))
        return
    sizes = [int(size) for size in arguments.sizes.split(",")]
    workers = [int(count) for count in arguments.workers.split(",")]
    block = min(sizes)
    if any(size % block for size in sizes):
        parser.error(f"--sizes must be multiples of the smallest ({block}): see the docstring")
    pool = _load_pool(arguments.data)
    if max(sizes) // block * -(-block // len(pool)) >= len(SYLLABLES) ** 2:
        parser.error("--sizes too large: the replicas would run out of suffixes of their own")
    if arguments.rounds < 1:
        parser.error("--rounds must be at least 1")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for turn in range(1, arguments.rounds + 1):
            for size in sizes:
                stream = Path(folder) / f"stream-{size}"
                if turn == 1:
                    _write_stream(pool, size, block, stream)
                for count in workers:
                    measured = _measure(stream, count, folder)
                    row = {"articles": size, "workers": count, "round": turn, **measured}
                    rows.append(row)
                    print(json.dumps(row), file=sys.stderr, flush=True)
                if turn == arguments.rounds:
                    shutil.rmtree(stream)
    _print_table(rows, len(pool))


def _load_pool(data: Path) -> list[dict]:
    pool = []
    for file in sorted(data.glob("*.jsonl")):
        if file.stem.startswith(STORY_SETS):
            continue  # the story-level sets and their fact maps: the pool is the three topic sets
        for line in file.read_text(encoding="utf-8").splitlines():
            cluster = json.loads(line)
            for doc in cluster["docs"]:
                pool.append(
                    {
                        "id": f"{cluster['id']}/{doc['id']}",
                        "source": doc.get("source") or doc["id"],
                        "title": doc.get("title") or "",
                        "date": doc.get("date") or "",
                        "text": doc["text"] or "",
                    }
                )
    return pool


def _write_stream(pool: list[dict], size: int, block: int, folder: Path) -> None:
    """``size`` articles in blocks of ``block`` (see above), shuffled, in files of
    ``FILE_ARTICLES`` JSON lines (a file is a source, and a source is at most 10 MB)."""
    whole, part = divmod(block, len(pool))
    per_block = whole + bool(part)
    picked = sorted(random.Random(SEED).sample(range(len(pool)), part))  # the same in each block
    stream = []
    for number in range(size // block):
        replicas = range(1 + number * per_block, 1 + (number + 1) * per_block)
        for replica in replicas:
            last = part and replica == replicas[-1]
            stream += [_replica(pool[p], replica) for p in (picked if last else range(len(pool)))]
    random.Random(SEED + 1).shuffle(stream)
    folder.mkdir()
    for start in range(0, len(stream), FILE_ARTICLES):
        with (folder / f"{start // FILE_ARTICLES:04d}.jsonl").open("w", encoding="utf-8") as file:
            for article in stream[start : start + FILE_ARTICLES]:
                file.write(json.dumps(article) + "\n")


def _replica(article: dict, replica: int) -> dict:
    day = f"2026-11-{1 + replica % DAYS:02d}"
    moment = re.search(r"\d{2}:\d{2}(:\d{2})?", article["date"])
    dated = f"{day}T{moment[0] if moment else '12:00'}"
    suffix = SYLLABLES[replica % 8] + SYLLABLES[replica // 8 % 8]
    rename = _renamer(suffix)
    chooser = random.Random(f"{article['id']}/{replica}")
    lead, *rest = article["text"].split("\n\n")
    kept = []
    for paragraph in rest:
        sentences = _SENTENCE_END.split(paragraph)
        chosen = [s for s in sentences if chooser.random() >= DROPPED] or sentences[:1]
        kept.append(" ".join(chosen))
    text = "\n\n".join([lead, *kept])
    return {
        "id": f"{article['id']}~{replica}",
        "source": article["source"],
        "title": rename(article["title"]),
        "date": dated,
        "text": rename(text),
    }


def _renamer(suffix: str):  # type: ignore[no-untyped-def]
    from functools import cache

    from wordfreq import zipf_frequency

    from multisum.text import stop_words

    stops = stop_words()

    @cache
    def renamed(word: str) -> str:
        lower = word.lower()
        if lower in stops:
            return word
        if word[0].isupper() or zipf_frequency(lower, "en") < COMMON_ZIPF:
            return word + suffix
        return word

    def rename(text: str) -> str:
        return _WORD.sub(lambda m: renamed(m[0]), text)

    return rename


def _measure(stream: Path, workers: int, folder: str) -> dict:
    """Run one digest in a child process; sample its whole process tree's memory meanwhile."""
    import psutil

    child = subprocess.Popen(
        [sys.executable, __file__, "--run", str(stream), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=folder,
    )
    peak = {"pss": 0, "rss": 0, "client": 0}
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(child.pid)
        tick = 0
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                total = {"pss": 0, "rss": 0, "client": 0}
                # PSS reads every page table of the process (about 8 ms for 2 GB), so it is taken
                # once a second; sampled every 0.1 s it took a share of the 2-core machine that
                # grew with the run's memory and inflated the larger runs' times.
                full = tick % PSS_EVERY == 0
                for process in tree:
                    with contextlib.suppress(psutil.Error):
                        if full:
                            memory = process.memory_full_info()
                            total["pss"] += memory.pss
                            if process.pid == root.pid:
                                total["client"] = memory.pss
                        total["rss"] += process.memory_info().rss
                for kind, value in total.items():
                    peak[kind] = max(peak[kind], value)
            except psutil.Error:
                return
            tick += 1
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"the digest of {stream.name} on {workers} worker(s) failed")
    return {
        **json.loads(output.strip().splitlines()[-1]),
        "peak_mb": round(peak["pss"] / 1e6),
        "peak_rss_mb": round(peak["rss"] / 1e6),
        "client_mb": round(peak["client"] / 1e6),
    }


def _run_one(stream: Path, workers: int) -> None:
    """One digest of ``stream`` with each stage timed; prints one JSON line."""
    import multisum.digests as digests
    import multisum.digests.execution as execution
    import multisum.digests.sources as sources

    spent: dict[str, float] = {}

    def timed(module, name: str, stage: str) -> None:  # type: ignore[no-untyped-def]
        function = getattr(module, name)

        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - start

        setattr(module, name, wrapper)

    timed(digests, "read_sources", "read_prepare")
    timed(sources, "_read_source", "read")
    timed(execution.DaskRunner, "_connect", "cluster")
    for name in ("story_vectors", "stream_stories"):
        timed(digests, name, "group")
    timed(digests, "_brief_groups", "brief")
    state = Path(tempfile.mkdtemp(dir="."))
    start = time.perf_counter()
    result = digests.digest(
        [str(stream)],
        state=state / "state",
        out=state / "out",
        date="2026-11-08",
        formats=("json", "markdown"),
        workers=workers,
    )
    seconds = time.perf_counter() - start
    replica_of = {a.id: a.id.rpartition("~")[2] if "~" in a.id else "0" for a in _all(result)}
    mixed = sum(len({replica_of[a.id] for a in _story_articles(s)}) > 1 for s in result.stories)
    cluster = spent.get("cluster", 0.0)
    split = {
        "read": spent.get("read", 0.0),
        "prepare": spent.get("read_prepare", 0.0) - spent.get("read", 0.0) - cluster,
        "cluster_start": cluster,
        "group": spent.get("group", 0.0),
        "brief": spent.get("brief", 0.0),
    }
    split["state_write"] = seconds - sum(split.values())
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "per_second": round(len(replica_of) / seconds, 1),
                "stories": len(result.stories),
                "briefed": sum(s.briefing is not None for s in result.stories),
                "copies": sum(len(group) for s in result.stories for _, group in s.copies),
                "mixed": mixed,
                "skipped": len(result.skipped),
                "split": {stage: round(value, 1) for stage, value in split.items()},
            }
        )
    )


def _story_articles(story):  # type: ignore[no-untyped-def]
    return [*story.articles, *(a for _, group in story.copies for a in group)]


def _all(result):  # type: ignore[no-untyped-def]
    return [a for story in result.stories for a in _story_articles(story)]


def _print_table(every: list[dict], pool: int) -> None:
    """The table of the fastest run of each size and worker count (with one round, every run),
    then, with more rounds, every run's seconds and each round's ratios per doubling."""
    runs: dict[tuple[int, int], list[dict]] = {}
    for row in every:
        runs.setdefault((row["articles"], row["workers"]), []).append(row)
    rows = [min(found, key=lambda row: row["seconds"]) for found in runs.values()]
    print(f"pool: {pool} distinct eval articles; stream sizes as in the table\n")
    print(
        "| articles | workers | seconds | articles/s | x per doubling | peak MB (PSS) "
        "| peak RSS sum | client MB | stories | briefed "
        "| copies | mixed | read / prepare / cluster / group / brief / state+write (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    previous: dict[int, dict] = {}
    for row in rows:
        before = previous.get(row["workers"])
        ratio = ""
        if before and row["articles"] == 2 * before["articles"]:
            ratio = f"{row['seconds'] / before['seconds']:.2f}"
        previous[row["workers"]] = row
        split = " / ".join(str(value) for value in row["split"].values())
        print(
            f"| {row['articles']} | {row['workers']} | {row['seconds']} | {row['per_second']} "
            f"| {ratio} | {row['peak_mb']} | {row['peak_rss_mb']} | {row['client_mb']} "
            f"| {row['stories']} | {row['briefed']} "
            f"| {row['copies']} | {row['mixed']} | {split} |"
        )
    by_size: dict[int, dict[int, dict]] = {}
    for row in rows:
        by_size.setdefault(row["articles"], {})[row["workers"]] = row
    for size, runs in by_size.items():
        if 1 in runs and 2 in runs:
            speedup = runs[1]["seconds"] / runs[2]["seconds"]
            print(f"\n{size} articles: 2 workers are {speedup:.2f}x as fast as 1", end="")
    print()
    if len(rows) == len(every):
        return
    print("Every run, in the order run (the table gives the fastest of each):")
    for row in every:
        print(
            f"- round {row['round']}: {row['articles']} articles, {row['workers']} workers, "
            f"{row['seconds']} s"
        )
    for turn in sorted({row["round"] for row in every}):
        done = {(r["articles"], r["workers"]): r for r in every if r["round"] == turn}
        ratios = [
            f"{size} -> {2 * size} on {count}: x{done[2 * size, count]['seconds'] / row['seconds']:.2f}"
            for (size, count), row in done.items()
            if (2 * size, count) in done
        ]
        print(f"- round {turn} per doubling: {'; '.join(ratios) or 'none'}")


if __name__ == "__main__":
    main()
