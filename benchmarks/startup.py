"""Start-up: ``multisum brief`` as a whole process against spaCy's own start, and what it is made of.

Run on demand (not part of the tests): ``python benchmarks/startup.py [--rounds 15] [STORY]``.
Three commands run in turn, ``--rounds`` times interleaved (so a busy machine slows all three
alike), and their median wall times are printed with their ratio to the first:

- ``spacy``: ``python -c "import spacy; spacy.blank('en')"``, what any spaCy splitter pays;
- ``libraries``: the same, then every module a briefing loads beyond spaCy's, multisum's own
  excepted (listed by briefing ``STORY`` once in a child process), and the English word list
  that concept weights read: what the libraries alone cost before multisum does anything;
- ``brief``: ``python -m multisum brief STORY`` (the bundled corpus by default), output discarded.

Issue 13 asks ``brief`` for at most 1.3 times ``spacy``; ``libraries`` shows how much of the
difference is the libraries' import and how much is multisum's own modules and work.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

STORY = Path(__file__).resolve().parents[1] / "corpus" / "putin-vietnam-2024"
SPACY = "import spacy; spacy.blank('en')"
#: Lists, in a child process, the modules a briefing of argv[1] loads that spaCy's start does not.
LIST_MODULES = f"""
import sys, io, contextlib
{SPACY}
before = set(sys.modules)
from multisum.cli import cli
with contextlib.redirect_stdout(io.StringIO()):
    try:
        cli.main(["brief", sys.argv[1]], prog_name="multisum")
    except SystemExit as stop:
        if stop.code:
            raise
print("\\n".join(sorted(m for m in set(sys.modules) - before if m.split(".")[0] != "multisum")))
"""
#: Imports what the list names, in a fresh process after spaCy's start; a module that cannot be
#: imported on its own (one loaded only as another's side effect) is left to its parent.
IMPORT_LIBRARIES = f"""
import importlib, sys
{SPACY}
for name in sys.stdin.read().split():
    try:
        importlib.import_module(name)
    except Exception:
        pass
from wordfreq import zipf_frequency
zipf_frequency("visit", "en")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("story", nargs="?", type=Path, default=STORY)
    parser.add_argument("--rounds", type=int, default=15)
    arguments = parser.parse_args()
    modules = subprocess.run(
        [sys.executable, "-c", LIST_MODULES, str(arguments.story)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    commands = {
        "spacy": ([sys.executable, "-c", SPACY], None),
        "libraries": ([sys.executable, "-c", IMPORT_LIBRARIES], modules),
        "brief": ([sys.executable, "-m", "multisum", "brief", str(arguments.story)], None),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(arguments.rounds):
        for name, (command, stdin) in commands.items():
            start = time.perf_counter()
            subprocess.run(command, input=stdin, text=True, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["spacy"])
    print(f"{len(modules.split())} modules beyond spaCy's; medians of {arguments.rounds} rounds")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:10} {median:6.3f} s  {median / base:5.2f} x spacy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
