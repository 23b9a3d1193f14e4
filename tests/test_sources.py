"""Digest sources: feeds, pages and URLs become articles; failures become reasons, not crashes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

import multisum.digests.sources as sources
from multisum.digests.sources import html_to_text, parse_feed, parse_page, read_sources
from multisum.options import FetchOptions

FIXTURES = Path(__file__).parent / "fixtures" / "digest"
FAULTS = FIXTURES / "faults"


def test_a_feed_entry_becomes_an_article_with_its_metadata():
    articles = parse_feed((FIXTURES / "day1" / "harbortimes.xml").read_bytes(), origin="feed.xml")
    first = articles[0]
    assert (first.id, first.outlet, first.published) == (
        "ht-1001",
        "Harbor Times",
        "2026-11-20T07:30:00Z",
    )
    assert first.text.startswith("Thousands of dockworkers walked off the job")
    assert first.text.count("\n\n") == 2  # paragraphs kept


def test_a_page_yields_its_article_without_navigation_or_footer():
    page = FIXTURES / "day1" / "pages" / "northern-gazette-strike.html"
    article = parse_page(page.read_bytes(), origin=str(page))
    assert article.outlet == "Northern Gazette"
    assert article.title == "Strike at Valmora port strands ships and cargo"
    assert article.text.startswith("Ships and cargo were stranded")
    assert "Most read" not in article.text and "newsletter" not in article.text
    assert article.url.startswith("https://northerngazette.example/")


def test_html_to_text_keeps_paragraphs_and_decodes_entities():
    assert html_to_text("<p>Caf&eacute; <b>open</b></p><p>Two</p>") == "Café open\n\nTwo"


def test_pages_without_trafilatura_say_how_to_get_it(without_trafilatura):
    from multisum.digests.sources import MissingExtraError

    with pytest.raises(MissingExtraError, match=r"pip install trafilatura lxml_html_clean"):
        parse_page(b"<html></html>", origin="page.html")


def test_without_trafilatura_pages_are_skipped_and_the_rest_is_read(without_trafilatura):
    harvest = read_sources([str(FIXTURES / "day1")])
    (skip,) = harvest.skipped
    assert skip.source.endswith("northern-gazette-strike.html")
    assert skip.reason == (
        "reading HTML pages needs trafilatura, a dependency of multisum that is missing here; "
        "install it with `pip install trafilatura lxml_html_clean`"
    )
    assert len(harvest.articles) == 6  # the feed and the article files


def test_a_feed_item_with_a_link_that_does_not_parse_is_skipped_alone():
    harvest = read_sources([str(FAULTS / "bad-links.xml")])
    assert [a.id for a in harvest.articles] == ["rvp-2"]
    assert harvest.articles[0].outlet == "Ridge Valley Post"  # the feed's own bad link is no harm
    assert {s.source.rpartition("/")[2]: s.reason for s in harvest.skipped} == {
        "bad-links.xml, item 1": "its link is not a valid URL (Invalid IPv6 URL): 'http://[::1'",
        "bad-links.xml, item 3": "its link is not a valid URL (Port out of range 0-65535): "
        "'https://ridgevalleypost.example:99999/2026/11/20/market'",
    }


def test_each_bad_json_line_is_named_with_its_line_and_id():
    harvest = read_sources([str(FAULTS / "bad-lines.jsonl")])
    assert [a.id for a in harvest.articles] == ["rvp-jsonl-1"]
    named = {s.source.rpartition("/")[2]: s.reason for s in harvest.skipped}
    assert named == {
        "bad-lines.jsonl, line 2 (id rvp-teaser)": "too short to be an article (8 words)",
        "bad-lines.jsonl, line 3": named["bad-lines.jsonl, line 3"],
        "bad-lines.jsonl, line 5": "not in English (multisum summarises English articles)",
        "bad-lines.jsonl, line 6 (id no-text)": 'each line needs a "text" string',
    }
    assert named["bad-lines.jsonl, line 3"].startswith("not valid JSON")


def test_a_sound_feed_with_no_items_is_read_not_skipped(tmp_path):
    empty = tmp_path / "quiet.xml"
    empty.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
        "<link>https://quiet.example/</link><description>x</description></channel></rss>",
        encoding="utf-8",
    )
    harvest = read_sources([str(empty)])
    assert (harvest.articles, harvest.skipped, harvest.sources_read) == ((), (), 1)


def test_a_parser_that_raises_costs_its_source_only(monkeypatch):
    import feedparser

    def explode(data):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(feedparser, "parse", explode)
    feed = str(FIXTURES / "day1" / "harbortimes.xml")
    harvest = read_sources([feed, str(FIXTURES / "day3" / "articles")])
    (skip,) = harvest.skipped
    assert skip == sources.Skipped(
        feed, "an error multisum did not expect (RuntimeError: parser exploded); please report it"
    )
    assert [a.id for a in harvest.articles] == ["ch-fire-3"]  # the other source is read


def test_a_file_that_cannot_be_read_is_a_skip_naming_it(monkeypatch):
    def refuse(path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(sources, "read_file", refuse)
    harvest = read_sources([str(FIXTURES / "day3")])
    (skip,) = harvest.skipped
    assert skip.source.endswith("coastal-herald-fire.md")
    assert skip.reason == "cannot be read (Permission denied)"
    assert harvest.articles and all(a.path.endswith(".xml") for a in harvest.articles)


def test_a_file_over_the_size_limit_is_skipped_unread(tmp_path, monkeypatch):
    big = tmp_path / "huge.md"
    big.write_text("The port reopened. " * 60_000, encoding="utf-8")  # 1.1 MB
    read = []
    monkeypatch.setattr(sources, "read_file", lambda *args, **kwargs: read.append(1) or [])
    harvest = read_sources([str(tmp_path)], FetchOptions(max_mb=1))
    (skip,) = harvest.skipped
    assert skip.source == str(big)
    assert skip.reason == (
        "larger than the 1 MB limit for one source (--max-mb): the file is 1.1 MB"
    )
    assert read == [] and harvest.sources_read == 0


def test_front_matter_with_yaml_aliases_costs_its_file_only(tmp_path):
    import shutil

    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "day3" / "articles", folder)
    shutil.copy(Path(__file__).parent / "fixtures" / "attacks" / "alias-bomb.md", folder)
    harvest = read_sources([str(folder)])
    (skip,) = harvest.skipped
    assert skip.source == str(folder / "alias-bomb.md")
    assert skip.reason.startswith("the front matter uses YAML aliases (*name)")
    assert [a.id for a in harvest.articles] == ["ch-fire-3"]


def test_pages_need_no_extra_and_a_briefing_never_imports_trafilatura():
    import subprocess
    import sys

    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~ ]", requirement)[0] for requirement in project["dependencies"]}
    assert {"trafilatura", "lxml_html_clean"} <= names  # the README's install reads pages
    assert "html" in project["optional-dependencies"]  # `pip install "multisum[html]"` still works
    loaded = subprocess.run(
        [sys.executable, "-c", BRIEF_AND_LIST_MODULES, str(ROOT / "corpus" / "putin-vietnam-2024")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "multisum.pipeline" in loaded
    assert not [m for m in loaded if m.split(".")[0] in {"trafilatura", "justext", "htmldate"}]


#: Briefs argv[1] in a fresh interpreter and prints every module loaded.
BRIEF_AND_LIST_MODULES = """
import contextlib, io, sys
from multisum.cli import cli
with contextlib.redirect_stdout(io.StringIO()):
    try:
        cli.main(["brief", sys.argv[1]], prog_name="multisum")
    except SystemExit as stop:
        if stop.code:
            raise
print("\\n".join(sorted(sys.modules)))
"""
