"""Digest sources: feeds, pages and URLs become articles; failures become reasons, not crashes."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from multisum.digests.sources import html_to_text, parse_feed, parse_page, read_sources

FIXTURES = Path(__file__).parent / "fixtures" / "digest"
from multisum.options import FetchOptions  # noqa: E402

NO_WAIT = FetchOptions(timeout=1, retries=2, backoff=0)


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


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


def test_a_url_is_fetched_and_read_as_a_feed(monkeypatch):
    data = (FIXTURES / "day2" / "harbortimes.xml").read_bytes()
    calls = []

    def urlopen(request, timeout):
        calls.append((request.full_url, timeout))
        if len(calls) == 1:
            raise urllib.error.URLError("temporary failure in name resolution")
        return FakeResponse(data)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    harvest = read_sources(["https://harbortimes.example/rss"], NO_WAIT)
    assert len(harvest.articles) == 4 and harvest.skipped == ()
    assert calls == [("https://harbortimes.example/rss", 1)] * 2  # retried once


def test_an_unreachable_url_is_one_clear_skip(monkeypatch):
    def urlopen(request, timeout):
        raise urllib.error.URLError("timed out")

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    harvest = read_sources(["https://down.example/feed", str(FIXTURES / "day3")], NO_WAIT)
    assert [s.reason for s in harvest.skipped] == [
        "could not fetch https://down.example/feed (tried 3 times): timed out"
    ]
    assert len(harvest.articles) == 4


def test_a_client_error_is_not_retried(monkeypatch):
    calls = []

    def urlopen(request, timeout):
        calls.append(1)
        raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    (skip,) = read_sources(["https://a.example/gone"], NO_WAIT).skipped
    assert calls == [1] and "HTTP 404 Not Found" in skip.reason


def test_pages_without_trafilatura_say_how_to_get_it(monkeypatch):
    import builtins

    from multisum.digests.sources import MissingExtraError

    real_import = builtins.__import__

    def no_trafilatura(name, *args, **kwargs):
        if name == "trafilatura":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_trafilatura)
    with pytest.raises(MissingExtraError, match=r"multisum\[html\]"):
        parse_page(b"<html></html>", origin="page.html")
