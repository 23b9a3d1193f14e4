"""Attribution: does each line name every outlet that reports its fact, and only those?

Scored against an editor's map of who reports what (``basil_dev_facts.jsonl``: for each event its
key facts and, for each fact, every sentence of every article that states it), as
``../shared/eval/README.md`` describes. Each event's three articles are briefed with their outlets
(``multisum.summarize``, default options, 250 words), then:

- a line states a fact when its text and one of the fact's sentences from the line's own article
  (its first source) share at least 60% of the shorter one's content words, or one contains the
  other;
- outlet recall: for each (line, fact it states), the share of the fact's outlets the line names;
  ``own outlet`` is the same share when a line names its first source alone (the baseline);
- outlet precision: for each line that states a fact, the share of the outlets it names that
  state one of its facts;
- credits right: of the sentences a line that states a fact cites beyond its own, the share that
  are, by the same rule, one of the sentences the map lists for one of its facts in their article.
  Outlet precision is lenient where three outlets report most facts (an outlet credited for the
  wrong sentence still states the fact somewhere); this is not;
- facts covered, and of the facts two or more outlets state; lines naming two or more outlets;
  lines that state key facts, all of them stated by an earlier line (repeats), and lines that
  state no key fact; events whose first line states a central fact.

Run on demand: ``python benchmarks/attribution.py [--eval-dir ../shared/eval] [--words 250]
[--show]``. The quality gate (``quality_gate.py``) floors these figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import multisum
from multisum.model import Article, Briefing

#: The share of the shorter text's content words two texts must share to state one fact.
SHARED = 0.6
#: Common function words: the README's "content words" are the others.
_FUNCTION_WORDS = frozenset(
    """a an the and or but nor so yet of in on at to for from by with about as into onto upon
    over under after before than then that this these those there here is are was were be been
    being am has have had having do does did will would shall should can could may might must
    it its it's he him his she her hers they them their theirs we us our ours you your yours i me
    my mine who whom whose which what when where why how not no also just only very too s t said
    says say""".split()
)


@dataclass(frozen=True, slots=True)
class Scores:
    """The attribution figures of one set of briefings (means over pairs, lines or facts)."""

    events: int
    lines: int
    outlet_recall: float
    own_outlet_recall: float
    outlet_precision: float
    credits_right: float
    multi_outlet_lines: float
    facts_covered: float
    shared_facts_covered: float
    repeats: int
    repeat_share: float
    unstated: int
    lead_central: int


def content_words(text: str) -> set[str]:
    return {
        w for w in re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.lower()) if w not in _FUNCTION_WORDS
    }


def states(line: str, sentence: str) -> bool:
    """Whether ``line`` and ``sentence`` state one fact, by the README's rule."""
    flat_line, flat_sentence = " ".join(line.lower().split()), " ".join(sentence.lower().split())
    if flat_line in flat_sentence or flat_sentence in flat_line:
        return True
    first, second = content_words(line), content_words(sentence)
    shorter = min(len(first), len(second))
    return shorter > 0 and len(first & second) >= SHARED * shorter


def brief_event(cluster: dict, words: int) -> Briefing:
    articles = [
        Article(
            id=doc["id"],
            text=doc["text"],
            outlet=doc["source"],
            title=doc.get("title") or "",
            published=doc.get("date") or "",
        )
        for doc in cluster["docs"]
    ]
    return multisum.summarize(articles, words=words)


def score(events: list[tuple[dict, dict, Briefing]], *, show: bool = False) -> Scores:
    """Score briefings against their fact maps: (cluster, facts, briefing) per event."""
    recall, own, precision = [], [], []
    credits = credits_right = 0
    lines = multi = repeats = unstated = lead_central = 0
    facts_total = facts_hit = shared_total = shared_hit = 0
    for cluster, facts, briefing in events:
        outlet = {d["id"]: d["source"] for d in cluster["docs"]}
        text = {article.id: article.text for article in briefing.articles}
        fact_outlets = [
            {outlet[a] for a, sentences in fact["sentences"].items() if sentences}
            for fact in facts["facts"]
        ]
        stated_before: set[int] = set()
        if show:
            print(f"\n== {facts['event']}")
        for number, line in enumerate(briefing.lines):
            lines += 1
            own_article = line.sources[0].article
            named = {outlet[c.article] for c in line.sources}
            multi += len(named) > 1
            stated = {
                k
                for k, fact in enumerate(facts["facts"])
                if any(states(line.text, s) for s in fact["sentences"].get(own_article, []))
            }
            for k in sorted(stated):
                recall.append(len(named & fact_outlets[k]) / len(fact_outlets[k]))
                own.append(len({outlet[own_article]} & fact_outlets[k]) / len(fact_outlets[k]))
            if stated:
                reporting = set().union(*(fact_outlets[k] for k in stated))
                precision.append(len(named & reporting) / len(named))
                for citation in line.sources[1:]:
                    cited = text[citation.article][citation.start : citation.end]
                    credits += 1
                    credits_right += any(
                        states(cited, s) or states(s, cited)
                        for k in stated
                        for s in facts["facts"][k]["sentences"].get(citation.article, [])
                    )
            if stated and stated <= stated_before:
                repeats += 1
            unstated += not stated
            if number == 0 and any(facts["facts"][k]["central"] for k in stated):
                lead_central += 1
            if show:
                mark = ",".join(map(str, sorted(stated))) or "-"
                print(f"  [{mark}] {line.text[:110]} — {', '.join(sorted(named))}")
            stated_before |= stated
        for k, reporters in enumerate(fact_outlets):
            facts_total += 1
            facts_hit += k in stated_before
            if len(reporters) >= 2:
                shared_total += 1
                shared_hit += k in stated_before
    return Scores(
        events=len(events),
        lines=lines,
        outlet_recall=round(sum(recall) / max(1, len(recall)), 4),
        own_outlet_recall=round(sum(own) / max(1, len(own)), 4),
        outlet_precision=round(sum(precision) / max(1, len(precision)), 4),
        credits_right=round(credits_right / max(1, credits), 4),
        multi_outlet_lines=round(multi / max(1, lines), 4),
        facts_covered=round(facts_hit / max(1, facts_total), 4),
        shared_facts_covered=round(shared_hit / max(1, shared_total), 4),
        repeats=repeats,
        repeat_share=round(repeats / max(1, lines), 4),
        unstated=unstated,
        lead_central=lead_central,
    )


def measure(eval_dir: Path, words: int = 250, *, show: bool = False) -> Scores | None:
    """Brief every event that has a fact map and score the briefings; None without the data."""
    clusters_path, facts_path = eval_dir / "basil_dev.jsonl", eval_dir / "basil_dev_facts.jsonl"
    if not (clusters_path.is_file() and facts_path.is_file()):
        print(f"attribution: {facts_path} not found; skipped", file=sys.stderr)
        return None
    maps = {}
    for raw in facts_path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            entry = json.loads(raw)
            maps[entry["id"]] = entry
    events = []
    for raw in clusters_path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        cluster = json.loads(raw)
        if cluster["id"] in maps:
            events.append((cluster, maps[cluster["id"]], brief_event(cluster, words)))
    return score(events, show=show)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--eval-dir", type=Path, default=Path(__file__).parents[2] / "shared" / "eval"
    )
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--show", action="store_true", help="print every line and its facts")
    arguments = parser.parse_args()
    started = time.perf_counter()
    scores = measure(arguments.eval_dir, arguments.words, show=arguments.show)
    if scores is None:
        return 1
    print(
        f"\n{scores.events} events, {scores.lines} lines ({time.perf_counter() - started:.0f} s)\n"
        f"outlet recall {scores.outlet_recall:.3f} (own outlet alone {scores.own_outlet_recall:.3f})"
        f", precision {scores.outlet_precision:.3f}, credited sentences right "
        f"{scores.credits_right:.3f}\n"
        f"lines naming 2+ outlets {100 * scores.multi_outlet_lines:.1f}%\n"
        f"facts covered {100 * scores.facts_covered:.1f}%, of those 2+ outlets state "
        f"{100 * scores.shared_facts_covered:.1f}%\n"
        f"lines adding no key fact to earlier lines' {scores.repeats} of {scores.lines} "
        f"({100 * scores.repeat_share:.1f}%); lines stating no key fact {scores.unstated}\n"
        f"first line states a central fact: {scores.lead_central} of {scores.events}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
