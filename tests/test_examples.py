"""The examples run, so they never rot."""

from __future__ import annotations

import runpy
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


def test_daily_digest_example_runs_twice(tmp_path, monkeypatch, capsys):
    arguments = [
        "--state",
        str(tmp_path / "s"),
        "--out",
        str(tmp_path / "o"),
        "--date",
        "2026-11-20",
    ]
    module = runpy.run_path(str(EXAMPLES / "daily_digest.py"))
    assert module["main"](arguments) == 0
    assert "wrote" in capsys.readouterr().out
    assert module["main"](arguments) == 0
    assert "nothing new today" in capsys.readouterr().out
    assert sys.modules.get("multisum") is not None


def test_crontab_line_calls_the_digest_command():
    text = (EXAMPLES / "crontab").read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(lines) == 1 and "/multisum digest " in lines[0] and "--state" in lines[0]
