"""Run a daily digest from Python: read feeds and folders, write today's digest, report skips.

    python examples/daily_digest.py SOURCE... [--state DIR] [--out DIR]

With no SOURCE it digests the saved fixture feeds, pages and folders that ship with the tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import multisum

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "digest" / "day1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", default=[str(FIXTURES)])
    parser.add_argument("--state", default=".multisum")
    parser.add_argument("--out", default="digests")
    parser.add_argument("--date", default=None)
    arguments = parser.parse_args(argv)
    try:
        result = multisum.digest(
            arguments.sources,
            state=arguments.state,
            out=arguments.out,
            date=arguments.date,
            formats=["markdown", "json"],
        )
    except multisum.MultisumError as error:
        print(f"digest failed: {error}", file=sys.stderr)
        return 1
    for item in result.skipped:
        print(f"skipped {item.source}: {item.reason}", file=sys.stderr)
    if not result.files:
        print("nothing new today")
        return 0
    for story in result.stories:
        kind = "briefing" if story.briefing else "headline"
        print(f"{len(story.outlets)} outlet(s), {kind}: {story.title}")
    print("wrote", ", ".join(str(path) for path in result.files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
