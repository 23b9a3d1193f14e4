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


def test_without_the_html_extra_pages_are_one_warning_and_the_digest_goes_on(
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
        "multisum: warning: skipped 12 × reading HTML pages needs trafilatura; "
        "install it with `pip install 'multisum[html]'` (e.g. "
    )
    assert "4 read, 4 new, 12 skipped, 1 story" in result.output


def test_a_feed_on_a_private_address_needs_allow_private(tmp_path, loopback):
    from conftest import answer

    feed = (FIXTURES / "day2" / "harbortimes.xml").read_bytes()
    loopback.routes["/rss"] = lambda handler, _: answer(handler, feed)
    refused = invoke(tmp_path, loopback.url("/rss"), "--retries", "0")
    assert refused.exit_code == 1
    assert refused.output.splitlines()[-1].endswith(
        "127.0.0.1 is a loopback address, and multisum fetches only from public addresses (a "
        "feed must not reach this machine's or its network's services); --allow-private allows it"
    )
    assert loopback.hits["/rss"] == 0
    allowed = invoke(tmp_path, loopback.url("/rss"), "--allow-private")
    assert allowed.exit_code == 0, allowed.output
    assert "4 read, 4 new, 0 skipped" in allowed.output


def test_a_span_of_non_ascii_digits_is_a_usage_error_not_a_traceback(tmp_path):
    for since in ("²d", "٣d", "1" * 5000 + "d"):
        result = invoke(tmp_path, str(FIXTURES / "day1"), "--since", since)
        assert result.exit_code == 2, result.output
        assert isinstance(result.exception, SystemExit)  # click's usage error, no ValueError
        (error,) = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert error.startswith("Error: --since must be a date (2026-11-20), a time or a span")
    assert not (tmp_path / "o").exists()


def test_a_span_of_centuries_is_a_usage_error(tmp_path):
    result = invoke(tmp_path, str(FIXTURES / "day1"), "--since", "99999d")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: --since 99999d reaches back 274 years, to 1753-02-06; a span goes back at most "
        "3653 days (10 years): give a date for an earlier cut-off"
    )
    assert not (tmp_path / "o").exists()
    assert invoke(tmp_path, str(FIXTURES / "day1"), "--since", "3653d").exit_code == 0


def test_a_full_disk_met_by_the_backup_copy_says_what_was_written(tmp_path, monkeypatch):
    """The digest is written and the run logged; only state.sqlite3.good cannot be copied: the
    run says so, names the files it wrote, exits 0, and leaves no partial copy behind."""
    import errno
    import os

    import multisum.digests.state as state_module

    assert invoke(tmp_path, str(FIXTURES / "day1")).exit_code == 0
    good = tmp_path / "s" / "state.sqlite3.good"
    before = good.read_bytes()

    def disk_full(database, target):
        target.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # as far as it got
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(state_module, "backup_database", disk_full, raising=False)
    where = ["--state", str(tmp_path / "s"), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(
        cli, ["digest", str(FIXTURES / "day2"), *where, "--date", "2026-11-21"]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"multisum: warning: this run is saved in the state {tmp_path / 's' / 'state.sqlite3'}, "
        f"but its backup copy {good} could not be written (No space left on device); the "
        "previous one, saved at "
    ) in result.output
    assert f"multisum: wrote {tmp_path / 'o' / '2026-11-21.md'}" in result.output
    assert (tmp_path / "o" / "2026-11-21.md").is_file()
    assert not (tmp_path / "s" / "state.sqlite3.good.new").exists()
    assert good.read_bytes() == before


def test_a_date_before_the_latest_digest_is_refused(tmp_path):
    """A digest of 11-19 after that of 11-20 would make the 11-20 digest, written again,
    "continue" from 11-19 and move its own lines under "Already reported on"."""
    assert invoke(tmp_path, str(FIXTURES / "day1")).exit_code == 0  # 2026-11-20
    written = (tmp_path / "o" / "2026-11-20.md").read_bytes()
    where = ["--state", str(tmp_path / "s"), "--out", str(tmp_path / "o")]
    earlier = CliRunner().invoke(
        cli, ["digest", str(FIXTURES / "day2"), *where, "--date", "2026-11-19"]
    )
    assert earlier.exit_code == 2
    assert earlier.output.splitlines()[-1] == (
        f"Error: --date 2026-11-19 is before 2026-11-20, the latest digest of the state "
        f"{tmp_path / 's' / 'state.sqlite3'}: a digest state goes forward in time (an earlier "
        "date would make the later digest continue from it and move its own lines under "
        "'Already reported on'); write 2026-11-20 or later, or use another --state for an "
        "earlier date"
    )
    assert not (tmp_path / "o" / "2026-11-19.md").exists()
    again = invoke(tmp_path, str(FIXTURES / "day2"))  # 2026-11-20 again: adds to its digest
    assert again.exit_code == 0, again.output
    assert "Already reported on" not in (tmp_path / "o" / "2026-11-20.md").read_text()
    assert written != (tmp_path / "o" / "2026-11-20.md").read_bytes()
