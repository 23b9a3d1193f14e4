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
            f"{scores.outlet_precision:.3f}, facts covered {scores.facts_covered:.3f} "
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
        if name == ATTRIBUTION:
            for metric, better in ATTRIBUTION_METRICS.items():
                if better * (measured[name][metric] - pinned[metric]) < -TOLERANCE:
                    bound = "floor" if better > 0 else "ceiling"
                    found.append(
                        f"{name} {metric}: {measured[name][metric]:.4f} past {bound} "
                        f"{pinned[metric]:.4f}"
                    )
            continue
        for metric in METRICS:
            if metric in pinned and measured[name][metric] < pinned[metric] - TOLERANCE:
                found.append(
                    f"{name} {metric}: {measured[name][metric]:.4f} < floor {pinned[metric]:.4f}"
                )
        for metric in READABILITY_METRICS:
            if metric in pinned and measured[name][metric] > pinned[metric]:
                found.append(
                    f"{name} {metric}: {measured[name][metric]} > ceiling {pinned[metric]}"
                )
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
    if not measured:
        print("quality gate: no dev set found; nothing to check", file=sys.stderr)
        return 0
    failed = regressions(measured, floors)
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
