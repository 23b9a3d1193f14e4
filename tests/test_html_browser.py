"""Render the corpus briefing as HTML and load it in headless Debian chromium."""

import shutil
import subprocess
import tempfile

import pytest

import multisum

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def _chromium(*arguments):
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                *arguments,
            ],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip


def test_html_briefing_loads_without_console_errors(corpus_checks, tmp_path):
    """Every part of the page (the draft briefing keeps every check) renders in a browser."""
    page = tmp_path / "briefing.html"
    page.write_text(multisum.to_html(corpus_checks), encoding="utf-8")
    result = _chromium("--window-size=412,2000", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert "CONSOLE" not in result.stderr
    dom = result.stdout
    for section in (
        'id="disagreements"',
        'id="quotes"',
        'id="only-in"',
        'id="sources"',
        'id="coverage"',
    ):
        assert section in dom
    assert "4 of 5 outlets" in dom
    assert "give Putin a platform" in dom


def test_html_briefing_screenshot_on_a_phone(corpus_briefing, tmp_path):
    page = tmp_path / "briefing.html"
    page.write_text(multisum.to_html(corpus_briefing), encoding="utf-8")
    shot = tmp_path / "phone.png"
    result = _chromium("--window-size=412,2000", f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.stat().st_size > 10_000


def test_hostile_html_runs_nothing(hostile_briefing, tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(multisum.to_html(hostile_briefing), encoding="utf-8")
    result = _chromium("--dump-dom", page.as_uri())
    assert "CONSOLE" not in result.stderr
    assert "<script>" not in result.stdout
