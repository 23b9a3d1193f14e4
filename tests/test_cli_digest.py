"""The `multisum digest` command: a thin layer that prints what the library did."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from multisum.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "digest"


def test_digest_writes_the_dated_file_and_warns_about_skips(tmp_path):
    runner = CliRunner()
    arguments = ["digest", str(FIXTURES / "day1"), str(FIXTURES / "bad"), "--date", "2026-11-20"]
    arguments += ["--state", str(tmp_path / "s"), "--out", str(tmp_path / "o"), "--format", "html"]
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "2026-11-20.html").is_file()
    assert "warning: skipped" in result.output and "spanish.md" in result.output
    assert "7 read, 7 new, 6 skipped, 2 stories" in result.output

    again = runner.invoke(cli, arguments)
    assert again.exit_code == 0
    assert "nothing new (7 read, 0 new, 6 skipped); wrote nothing" in again.output


def test_bad_date_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        cli, ["digest", str(FIXTURES / "day1"), "--date", "tomorrow", "--state", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "Error: --date must be YYYY-MM-DD" in result.output
