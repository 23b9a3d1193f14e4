"""Readability: can a reader who has not read the articles follow the briefing top to bottom?

Each dev set in ``../shared/eval`` is briefed with default options at its budget (BASIL dev events
at 250 words with their outlets, as ``multisum brief`` does; DUC 2003 at 100, DUC 2006 at 250 and
Multi-News at 300, as ``multisum evaluate`` does), and these are counted:

- lines that lean on a missing sentence: a line opening with a referring pronoun or
  demonstrative (``text.refers_back``: "He ...", "That will ...") whose line before, in the same
  section, is not the sentence right before it in the same article;
- lines with unbalanced quotation marks (``text.quotes_balanced``: straight, curly, DUC's
  ``...'' and guillemets): a quotation opened and not closed, or closed and not opened;
- headings that are comma-joined lists of terms ("North Korea, Putin");
- headings that share no content word with their section's lines;
- headings not found word for word (case aside) in their section's lines or the headlines of
  the articles those lines cite.

Run on demand: ``python benchmarks/readability.py [--eval-dir ../shared/eval] [--sets basil
duc2003 duc2006 multinews] [--show]``. The quality gate (``quality_gate.py``) uses ``count`` on
the briefings it scores and floors these counts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import attribution  # the sibling benchmark, importable from anywhere

from multisum.model import Briefing
from multisum.options import Options
from multisum.text import content_terms, quotes_balanced, refers_back

#: The dev sets by short name: file and word budget.
SETS = {
    "basil": ("basil_dev.jsonl", 250),
    "duc2003": ("duc2003_task2.jsonl", 100),
    "duc2006": ("duc2006.jsonl", 250),
    "multinews": ("multinews_validation_sample250.jsonl", 300),
}


@dataclass(frozen=True, slots=True)
class Counts:
    """The readability counts of one set of briefings (fewer is better, but for the totals)."""

    briefings: int
    lines: int
    headings: int
    dangling: int
    unbalanced_quotes: int
    list_headings: int
    unrelated_headings: int
    headings_not_found: int

    def describe(self) -> str:
        return (
            f"{self.briefings} briefings, {self.lines} lines, {self.headings} headings: "
            f"leaning on a missing sentence {self.dangling}, unbalanced quotes "
            f"{self.unbalanced_quotes}; headings that list terms {self.list_headings}, share no "
            f"word with their lines {self.unrelated_headings}, not found in their lines or "
            f"headlines {self.headings_not_found}"
        )


def _folded(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def problems(briefing: Briefing) -> list[str]:
    """Each readability problem of one briefing, as a readable line (the counts count these)."""
    found = []
    titles = {a.id: a.title for a in briefing.articles}
    for section in briefing.sections:
        before = None
        for line in section.lines:
            source = line.sources[0]
            leans = before is not None and (
                before.sources[0].article == source.article
                and before.sources[0].sentence == source.sentence - 1
            )
            if refers_back(line.text) and not leans:
                found.append(f"dangling: {line.text}")
            if not quotes_balanced(line.text):
                found.append(f"quotes: {line.text}")
            before = line
        heading = section.topic
        texts = [line.text for line in section.lines]
        texts += sorted({titles[c.article] for line in section.lines for c in line.sources})
        if "," in heading:
            found.append(f"list heading: {heading}")
        if not set(content_terms(heading)) & {
            t for line in section.lines for t in content_terms(line.text)
        }:
            found.append(f"unrelated heading: {heading}")
        if not any(_folded(heading) in _folded(text) for text in texts if text):
            found.append(f"heading not found: {heading}")
    return found


def count(briefings: Iterable[Briefing], *, show: bool = False) -> Counts:
    """The counts over ``briefings``; ``show`` prints each problem."""
    totals = dict.fromkeys(("briefings", "lines", "headings"), 0)
    kinds = {
        "dangling": "dangling",
        "quotes": "unbalanced_quotes",
        "list heading": "list_headings",
        "unrelated heading": "unrelated_headings",
        "heading not found": "headings_not_found",
    }
    tally = dict.fromkeys(kinds.values(), 0)
    for briefing in briefings:
        totals["briefings"] += 1
        totals["lines"] += len(briefing.lines)
        totals["headings"] += len(briefing.sections)
        for problem in problems(briefing):
            kind = problem.split(":", 1)[0]
            tally[kinds[kind]] += 1
            if show:
                print(f"  {problem}")
    return Counts(**totals, **tally)


def briefings_of(name: str, eval_dir: Path) -> Iterable[Briefing] | None:
    """The default briefings of dev set ``name`` (a key of ``SETS``), one cluster at a time;
    None when the file is not there."""
    file, words = SETS[name]
    path = eval_dir / file
    if not path.is_file():
        print(f"readability: {path} not found; skipped", file=sys.stderr)
        return None
    if name == "basil":
        clusters = [json.loads(r) for r in path.read_text(encoding="utf-8").splitlines() if r]
        return (attribution.brief_event(cluster, words) for cluster in clusters)
    from multisum.evaluation import read_clusters
    from multisum.pipeline import build_briefing

    options = Options(words=words)
    return (build_briefing(cluster.articles, options) for cluster in read_clusters(path))


def measure(eval_dir: Path, names: Iterable[str], *, show: bool = False) -> dict[str, Counts]:
    """The counts on each dev set found among ``names``."""
    measured = {}
    for name in names:
        briefings = briefings_of(name, eval_dir)
        if briefings is not None:
            measured[name] = count(briefings, show=show)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--eval-dir", type=Path, default=Path(__file__).parents[2] / "shared" / "eval"
    )
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--show", action="store_true", help="print every problem found")
    arguments = parser.parse_args()
    found = False
    for name in arguments.sets:
        started = time.perf_counter()
        if arguments.show:
            print(f"== {name}")
        measured = measure(arguments.eval_dir, [name], show=arguments.show)
        if name in measured:
            found = True
            print(
                f"{name} ({SETS[name][1]} words): {measured[name].describe()} "
                f"({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
