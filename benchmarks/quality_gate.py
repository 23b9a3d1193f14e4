"""Quality gate: the default briefing's ROUGE on every dev set must not fall below its pinned floor.

It floors the attribution figures too (``attribution.py``: who a line names, against the editor's
map of who reports what on the BASIL dev events), with the share of lines that repeat a fact as a
ceiling, and puts a ceiling on the readability counts of every dev set (``readability.py``: lines
that lean on a missing sentence, unbalanced quotation marks, headings that list terms, share no
word with their lines or are not found in them or their headlines), counted on the very
briefings that ROUGE scores.

In the manner of trafilatura's ``tests/eval_gate.py``: ``quality_floors.json`` (scores only, never
data) pins the default algorithm's pooled ROUGE recall on each dev set in ``../shared/eval``; this
script re-measures them and exits 1 when any falls below its floor, unless ``--allow-regression``.
It pins the digest's story grouping on the story-level sets too (``story_grouping``: ECB+ and
BASIL, one event a cluster, as ``benchmarks/story_grouping.py`` scores them): the ARI must not
fall below its floor, and the shares of stories mixing events and of articles skipped must not
rise above theirs. The old pool of topic-level sets (``topic_pool``) is pinned the same way, its
ARI against the topics and its share of stories mixing topics, as a regression check.
``--write-floors`` records the measured scores as the new floors (raising them is always allowed;
lowering them needs ``--allow-regression`` too). CI runs it after the tests whenever the data exists.

    python benchmarks/quality_gate.py [--eval-dir ../shared/eval] [--allow-regression] [--write-floors]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import multisum

sys.path.insert(0, str(Path(__file__).parent))
import attribution  # the sibling benchmarks, importable from anywhere
import readability

FLOORS = Path(__file__).with_name("quality_floors.json")
#: The dev sets and the word budget their references were written for.
DEV_SETS = {
    "duc2003_task2.jsonl": 100,
    "duc2006.jsonl": 250,
    "multinews_validation_sample250.jsonl": 300,
}
METRICS = ("rouge_1", "rouge_2", "rouge_su4")
#: The attribution figures the gate pins, each with the direction that is better.
ATTRIBUTION = "basil_dev_facts.jsonl"
ATTRIBUTION_METRICS = {
    "outlet_recall": 1,
    "outlet_precision": 1,
    "credits_right": 1,
    "facts_covered": 1,
    "shared_facts_covered": 1,
    "lead_central": 1,
    "repeat_share": -1,
}
#: The readability counts the gate pins on every dev set, fewer being better; BASIL's under the
#: name of its events' file.
READABILITY = "basil_dev.jsonl"
READABILITY_METRICS = (
    "dangling",
    "unbalanced_quotes",
    "list_headings",
    "unrelated_headings",
    "headings_not_found",
)
#: Scores are deterministic on every machine; this only absorbs printing to 4 decimals.
TOLERANCE = 1e-4
#: Story grouping on the story-level sets: a floor for the ARI, ceilings for the shares.
GROUPING_FLOORS = ("ari",)
GROUPING_CEILINGS = ("mixing_share", "skipped_share")
#: The old pool's entry under ``story_grouping``: topics followed for months, which a digest splits
#: into their events, so it is a regression check (its ARI against the topics and its share of
#: stories mixing topics), not a target.
POOL = "topic_pool"


def measure(eval_dir: Path) -> dict[str, dict[str, float]]:
    """The default algorithm's recall (x100) on each dev set found, with lead for reference."""
    measured = {}
    for name, words in DEV_SETS.items():
        path = eval_dir / name
        if not path.is_file():
            print(f"quality gate: {path} not found; skipped", file=sys.stderr)
            continue
        started = time.perf_counter()
        briefings = []
        result = multisum.evaluate(path, words=words, briefed=briefings.append)
        counts = readability.count(briefings)
        rows = {r.name: r for r in result.results}
        default, lead = rows["multisum"], rows["lead"]
        measured[name] = {
            "words": words,
            **{m: round(100 * getattr(default, m), 4) for m in METRICS},
            "lead_rouge_2": round(100 * lead.rouge_2, 4),
            "p_rouge_2_vs_lead": round(lead.p_values["rouge_2"], 4),
            **{m: getattr(counts, m) for m in READABILITY_METRICS},
        }
        print(
            f"{name}: R-1 {measured[name]['rouge_1']:.2f}  R-2 {measured[name]['rouge_2']:.2f}  "
            f"SU4 {measured[name]['rouge_su4']:.2f}  (lead R-2 {measured[name]['lead_rouge_2']:.2f}, "
            f"p {measured[name]['p_rouge_2_vs_lead']:.4f}; {time.perf_counter() - started:.0f} s)"
            f"\n  {counts.describe()}"
        )
    basil = readability.measure(eval_dir, ["basil"]).get("basil")
    if basil is not None:
        measured[READABILITY] = {m: getattr(basil, m) for m in READABILITY_METRICS}
        print(f"{READABILITY}: {basil.describe()}")
    scores = attribution.measure(eval_dir)
    if scores is not None:
        measured[ATTRIBUTION] = {m: getattr(scores, m) for m in ATTRIBUTION_METRICS}
        print(
            f"{ATTRIBUTION}: outlet recall {scores.outlet_recall:.3f}, precision "
            f"{scores.outlet_precision:.3f} (credits right {scores.credits_right:.3f}), facts covered {scores.facts_covered:.3f} "
            f"(shared {scores.shared_facts_covered:.3f}), repeats {scores.repeat_share:.3f}, "
            f"lead central {scores.lead_central} of {scores.events}"
        )
    return measured


def regressions(measured: dict, floors: dict) -> list[str]:
    """Every metric of every dev set that fell below its floor, as a readable line."""
    found = []
    for name, pinned in floors.items():
        if name not in measured:
            continue
        better = (
            ATTRIBUTION_METRICS
            if name == ATTRIBUTION
            else {**dict.fromkeys(METRICS, 1), **dict.fromkeys(READABILITY_METRICS, -1)}
        )
        found += past_bounds(name, measured[name], pinned, better)
    return found


def past_bounds(name: str, measured: dict, pinned: dict, better: dict[str, int]) -> list[str]:
    """Each metric worse than its pin, as a readable line: ``better`` is 1 where higher is better
    (a floor), -1 where lower is (a ceiling)."""
    found = []
    for metric, direction in better.items():
        if metric not in pinned:
            continue
        if direction * (measured[metric] - pinned[metric]) < -TOLERANCE:
            bound = "< floor" if direction > 0 else "> ceiling"
            found.append(f"{name} {metric}: {measured[metric]:.4f} {bound} {pinned[metric]:.4f}")
    return found


def measure_grouping(eval_dir: Path) -> dict[str, dict[str, float]]:
    """The digest's grouping on each story-level set found (ARI and the two shares), and on the
    old topic pool (ARI and the share of stories mixing topics)."""
    from story_grouping import load_pool, pool_level, story_level

    measured = {}
    for name, scored in story_level(eval_dir).items():
        measured[name] = {m: scored[m] for m in (*GROUPING_FLOORS, *GROUPING_CEILINGS)}
        print(
            f"{name} grouping: ARI {scored['ari']:.4f}  mixing {scored['mixing_events']} of "
            f"{scored['stories']} stories  skipped {scored['skipped']} of {scored['articles']}"
        )
    articles, topics = load_pool(eval_dir)
    if articles:
        pool = pool_level(articles, topics)
        measured[POOL] = {"ari": pool["ari"], "mixing_share": pool["merged_share"]}
        print(
            f"{POOL} grouping (regression check): ARI {pool['ari']:.4f}  mixing "
            f"{pool['merged_stories']} of {pool['stories']} stories"
        )
    return measured


def grouping_regressions(measured: dict, pinned: dict) -> list[str]:
    """Every grouping figure worse than its pin, as a readable line."""
    better = {**dict.fromkeys(GROUPING_FLOORS, 1), **dict.fromkeys(GROUPING_CEILINGS, -1)}
    found = []
    for name, floors in pinned.items():
        if name in measured:
            found += past_bounds(name, measured[name], floors, better)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--eval-dir", type=Path, default=Path(__file__).parents[2] / "shared" / "eval"
    )
    parser.add_argument("--allow-regression", action="store_true")
    parser.add_argument("--write-floors", action="store_true")
    args = parser.parse_args()
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.is_file() else {}
    measured = measure(args.eval_dir)
    grouping = measure_grouping(args.eval_dir)
    if not measured and not grouping:
        print("quality gate: no dev set found; nothing to check", file=sys.stderr)
        return 0
    failed = regressions(measured, floors)
    failed += grouping_regressions(grouping, floors.get("story_grouping", {}))
    for line in failed:
        print(f"quality gate: REGRESSION {line}", file=sys.stderr)
    if args.write_floors and (not failed or args.allow_regression):
        kept = {k: v for k, v in floors.items() if k not in measured}
        pinned = {
            k: dict(v)
            if k in (ATTRIBUTION, READABILITY)
            else {m: v[m] for m in ("words", *METRICS, *READABILITY_METRICS)}
            for k, v in measured.items()
        }
        if grouping:
            pinned["story_grouping"] = {**floors.get("story_grouping", {}), **grouping}
        FLOORS.write_text(json.dumps({**kept, **pinned}, indent=2, sort_keys=True) + "\n")
        print(f"quality gate: wrote {FLOORS}")
    if failed and not args.allow_regression:
        print(
            "quality gate: failed (pass --allow-regression to accept a lower score)",
            file=sys.stderr,
        )
        return 1
    print("quality gate: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
