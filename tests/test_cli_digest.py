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


def invoke(tmp_path, *arguments: str):
    where = ["--state", str(tmp_path / "s"), "--out", str(tmp_path / "o"), "--date", "2026-11-20"]
    return CliRunner().invoke(cli, ["digest", *arguments, *where])


def test_nothing_readable_exits_1_naming_each_source(tmp_path):
    result = invoke(tmp_path, str(tmp_path / "gone"), "http://[::1")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.splitlines()[-1] == (
        f"Error: could not read any of the 2 sources: {tmp_path / 'gone'}: no such file or folder; "
        "http://[::1: not a valid URL (Invalid IPv6 URL): 'http://[::1'"
    )
    assert not (tmp_path / "o").exists()


def test_nothing_new_with_skips_still_exits_0(tmp_path):
    assert invoke(tmp_path, str(FIXTURES / "day1")).exit_code == 0
    again = invoke(tmp_path, str(FIXTURES / "day1"), str(tmp_path / "gone"))
    assert again.exit_code == 0
    assert "nothing new (7 read, 0 new, 1 skipped)" in again.output


def test_a_span_too_long_for_the_calendar_is_a_usage_error(tmp_path):
    result = invoke(tmp_path, str(FIXTURES / "day1"), "--since", "99999999999d")
    assert result.exit_code == 2
    assert (
        "Error: --since 99999999999d from 2026-11-20 falls outside the calendar (years 1 to 9999)"
    ) in result.output
    assert "Traceback" not in result.output


def teasers(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    names = []
    for number in range(count):
        name = f"teaser-{number:02d}.md"
        words = " ".join(["More"] * number)
        (folder / name).write_text(f"Read the full story {words} on our website.\n")
        names.append(str(folder / name))
    return names


def test_many_skips_are_summed_up_per_reason_and_verbose_names_each(tmp_path):
    names = teasers(tmp_path / "in", 12)
    result = invoke(tmp_path, str(tmp_path / "in"))
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if "warning" in line]
    assert warnings == [
        f"multisum: warning: skipped 12 × too short to be an article "
        f"(e.g. {names[0]}; {names[1]}; {names[2]} and others)"
    ]
    assert "multisum: 12 skipped in all; --verbose names each one" in result.output

    verbose = invoke(tmp_path, str(tmp_path / "in"), "--verbose")
    listed = [line for line in verbose.output.splitlines() if "warning: skipped" in line]
    assert len(listed) == 12 and listed[0].endswith("too short to be an article (7 words)")


def test_without_trafilatura_pages_are_one_warning_and_the_digest_goes_on(
    tmp_path, without_trafilatura
):
    import shutil

    page = FIXTURES / "day1" / "pages" / "northern-gazette-strike.html"
    (tmp_path / "pages").mkdir()
    for number in range(12):
        shutil.copy(page, tmp_path / "pages" / f"page-{number:02d}.html")
    result = invoke(tmp_path, str(tmp_path / "pages"), str(FIXTURES / "day1" / "articles"))
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.output.splitlines() if "warning" in line]
    assert warning.startswith(
        "multisum: warning: skipped 12 × reading HTML pages needs trafilatura, a dependency of "
        "multisum that is missing here; install it with `pip install trafilatura "
        "lxml_html_clean` (e.g. "
    )
    assert "4 read, 4 new, 12 skipped, 1 story" in result.output
