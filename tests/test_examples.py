"""The scripts in examples/ run, so they never rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_briefing_example_prints_sourced_lines():
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "briefing.py")], check=True, capture_output=True, text=True
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert lines
    assert all(line.endswith("]") for line in lines)
