"""Fetching sources against a loopback web server: one deadline for the whole transfer, a size
cap, retries with backoff for what may pass, validated URLs, and every failure one named skip."""

from __future__ import annotations

import time

import pytest
from conftest import FIXTURES, answer

import multisum.digests.fetch as fetch
from multisum.digests.fetch import check_url
from multisum.digests.sources import read_sources
from multisum.errors import SourceError
from multisum.options import FetchOptions

FEED = (FIXTURES / "digest" / "day2" / "harbortimes.xml").read_bytes()
PAGE = (FIXTURES / "digest" / "day1" / "pages" / "northern-gazette-strike.html").read_bytes()
ONE_TRY = FetchOptions(timeout=2, retries=0, backoff=0)
TWO_TRIES = FetchOptions(timeout=2, retries=1, backoff=0)


def only_skip(harvest) -> str:
    (skip,) = harvest.skipped
    return skip.reason


def test_a_feed_and_a_page_are_fetched_and_read(loopback):
    loopback.routes["/rss"] = lambda handler, _: answer(handler, FEED)
    loopback.routes["/story"] = lambda handler, _: answer(handler, PAGE, content_type="text/html")
    harvest = read_sources([loopback.url("/rss"), loopback.url("/story")], ONE_TRY)
    assert harvest.skipped == () and harvest.sources_read == 2
    assert len(harvest.articles) == 5
    assert harvest.articles[-1].outlet == "Northern Gazette"


def test_a_server_that_fails_once_is_asked_again(loopback):
    def busy_once(handler, before):
        if before == 0:
            answer(handler, b"try later", status=503, content_type="text/plain")
        else:
            answer(handler, FEED)

    loopback.routes["/rss"] = busy_once
    harvest = read_sources([loopback.url("/rss")], TWO_TRIES)
    assert loopback.hits["/rss"] == 2
    assert len(harvest.articles) == 4 and harvest.skipped == ()


def cut_short(handler) -> None:
    """Promise the whole feed, send 200 bytes of it, hang up."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(FEED)))
    handler.end_headers()
    handler.wfile.write(FEED[:200])
    handler.close_connection = True


def test_an_answer_cut_short_once_is_fetched_again(loopback):
    loopback.routes["/rss"] = lambda handler, before: (
        cut_short(handler) if before == 0 else answer(handler, FEED)
    )
    harvest = read_sources([loopback.url("/rss")], TWO_TRIES)
    assert loopback.hits["/rss"] == 2 and len(harvest.articles) == 4


def test_an_answer_always_cut_short_is_one_skip_not_a_traceback(loopback):
    loopback.routes["/rss"] = lambda handler, _: cut_short(handler)
    harvest = read_sources([loopback.url("/rss"), str(FIXTURES / "digest" / "day3")], TWO_TRIES)
    assert only_skip(harvest) == (
        f"could not fetch (tried 2 times): the answer was cut short (200 of {len(FEED)} bytes)"
    )
    assert len(harvest.articles) == 4  # the other source is read
    assert harvest.sources_read == 1


def test_retries_wait_longer_each_time_and_stop(loopback, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(fetch.time, "sleep", waits.append)
    loopback.routes["/rss"] = lambda handler, _: answer(handler, b"", status=503)
    options = FetchOptions(timeout=2, retries=2, backoff=0.5)
    reason = only_skip(read_sources([loopback.url("/rss")], options))
    assert reason == "could not fetch (tried 3 times): HTTP 503 Service Unavailable"
    assert loopback.hits["/rss"] == 3 and waits == [0.5, 1.0]


def test_a_client_error_is_not_asked_again(loopback):
    reason = only_skip(read_sources([loopback.url("/gone")], TWO_TRIES))
    assert reason == "could not fetch: HTTP 404 Not Found"
    assert loopback.hits["/gone"] == 1


def test_a_server_dripping_the_body_is_stopped_at_the_deadline(loopback):
    """A byte every 0.1 s never trips a socket timeout; only a deadline for the whole transfer
    stops it (without one this fetch takes 100 s)."""

    def drip(handler, _):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        while not loopback.stop.wait(0.1):
            handler.wfile.write(b"x")

    loopback.routes["/rss"] = drip
    started = time.monotonic()
    reason = only_skip(read_sources([loopback.url("/rss")], FetchOptions(timeout=0.6, retries=0)))
    assert time.monotonic() - started < 1.2
    assert reason == (
        "could not fetch (tried once): no complete answer within the 0.6 s deadline (--timeout)"
    )


def test_a_server_dripping_its_headers_is_stopped_at_the_deadline(loopback):
    def drip(handler, _):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while not loopback.stop.wait(0.1):
            handler.wfile.write(b"a")

    loopback.routes["/rss"] = drip
    started = time.monotonic()
    reason = only_skip(read_sources([loopback.url("/rss")], FetchOptions(timeout=0.6, retries=0)))
    assert time.monotonic() - started < 1.2
    assert "no complete answer within the 0.6 s deadline" in reason


def test_an_answer_declared_too_large_is_refused_unread_and_not_asked_again(loopback):
    def huge(handler, _):
        handler.send_response(200)
        handler.send_header("Content-Length", str(400_000_000))
        handler.end_headers()
        handler.wfile.write(FEED)

    loopback.routes["/rss"] = huge
    reason = only_skip(read_sources([loopback.url("/rss")], TWO_TRIES))
    assert reason == (
        "larger than the 10 MB limit for one source (--max-mb): the answer is 400.0 MB"
    )
    assert loopback.hits["/rss"] == 1


def test_an_answer_of_no_stated_length_is_cut_off_at_the_limit(loopback):
    sent = []

    def endless(handler, _):
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        for _ in range(1024):  # 64 MB, if the client keeps reading
            handler.wfile.write(b"<rss>" + b" " * 65531)
            sent.append(1)

    loopback.routes["/rss"] = endless
    options = FetchOptions(timeout=2, retries=0, max_mb=1)
    reason = only_skip(read_sources([loopback.url("/rss")], options))
    assert reason == "larger than the 1 MB limit for one source (--max-mb)"
    assert len(sent) < 1024  # the client stopped reading and hung up


def test_redirects_are_followed_to_http_only(loopback):
    def moved(target: str):
        def route(handler, _):
            handler.send_response(301)
            handler.send_header("Location", target)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        return route

    loopback.routes["/rss"] = lambda handler, _: answer(handler, FEED)
    loopback.routes["/old"] = moved("/rss")
    loopback.routes["/file"] = moved("file:///etc/passwd")
    loopback.routes["/ftp"] = moved("ftp://example.com/feed.xml")
    loopback.routes["/bad-host"] = moved("http://[::1/feed")
    sources = [loopback.url(path) for path in ("/old", "/file", "/ftp", "/bad-host")]
    harvest = read_sources(sources, ONE_TRY)
    assert len(harvest.articles) == 4
    reasons = {skip.source: skip.reason for skip in harvest.skipped}
    for refused in sources[1:3]:
        assert reasons[refused].startswith(
            "could not fetch: redirected to a URL multisum does not fetch: not an http or https URL"
        )
    assert reasons[sources[3]].startswith(
        "could not fetch: redirected to a URL multisum does not fetch: not a valid URL"
    )


def test_a_url_outside_ascii_is_sent_percent_encoded(loopback):
    loopback.routes["/caf%C3%A9/rss"] = lambda handler, _: answer(handler, FEED)
    harvest = read_sources([loopback.url("/café/rss")], ONE_TRY)
    assert len(harvest.articles) == 4


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1", "not a valid URL (Invalid IPv6 URL): 'http://[::1'"),
        ("https://example.com:99999/feed", "not a valid URL (Port out of range 0-65535)"),
        ("http:///feed.xml", "not a valid URL (no host name)"),
        ("https://exa mple.com/rss", "not a valid URL: it holds spaces or control characters"),
        ("ftp://example.com/feed.xml", "not an http or https URL"),
        ("javascript://alert(1)", "not an http or https URL"),
    ],
)
def test_a_bad_url_is_refused_before_any_connection(url, reason, no_network):
    harvest = read_sources([url], ONE_TRY)
    assert only_skip(harvest).startswith(reason)
    assert harvest.sources_read == 0


def test_check_url_keeps_a_sound_url_and_encodes_an_international_host():
    assert check_url("https://example.com/a?b=1#top") == "https://example.com/a?b=1"
    assert check_url("http://bücher.example/neu") == "http://xn--bcher-kva.example/neu"
    with pytest.raises(SourceError, match="not a valid URL"):
        check_url("http://[::1")


def test_an_untrusted_certificate_is_one_skip_and_not_asked_again(tls_loopback):
    tls_loopback.routes["/rss"] = lambda handler, _: answer(handler, FEED)
    reason = only_skip(read_sources([tls_loopback.url("/rss")], TWO_TRIES))
    assert reason.startswith("could not fetch: the site's certificate is not trusted")
    assert tls_loopback.hits["/rss"] == 0  # refused at the handshake, once


def test_the_deadline_stops_a_dripping_server_over_https_too(
    tls_loopback, loopback_certificate, monkeypatch
):
    import ssl

    trusted = ssl.create_default_context(cafile=str(loopback_certificate[0]))
    monkeypatch.setattr(ssl, "_create_default_https_context", lambda *args, **kwargs: trusted)

    def drip(handler, _):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        while not tls_loopback.stop.wait(0.1):
            handler.wfile.write(b"x")

    tls_loopback.routes["/rss"] = lambda handler, _: answer(handler, FEED)
    tls_loopback.routes["/drip"] = drip
    options = FetchOptions(timeout=0.6, retries=0)
    started = time.monotonic()
    harvest = read_sources([tls_loopback.url("/rss"), tls_loopback.url("/drip")], options)
    assert time.monotonic() - started < 1.5
    assert len(harvest.articles) == 4
    assert only_skip(harvest).endswith("no complete answer within the 0.6 s deadline (--timeout)")
