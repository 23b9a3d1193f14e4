"""Build a briefing of the bundled corpus from Python and print where each line came from.

Run from the repository root:  python examples/briefing.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import multisum

corpus = Path(__file__).resolve().parents[1] / "corpus" / "putin-vietnam-2024"
briefing = multisum.summarize([corpus], algorithm="multisum", words=150)

outlets = {article.id: article.outlet for article in briefing.articles}
for section in briefing.sections:
    print(f"{section.topic}:")
    for line in section.lines:
        names = ", ".join(outlets[source.article] for source in line.sources)
        print(f"  - {line.text} [{names}]")

if "--markdown" in sys.argv:
    print(multisum.to_markdown(briefing))
