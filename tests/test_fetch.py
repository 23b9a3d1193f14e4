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
# the loopback test server is a private address: only a fetch that allows those may reach it
ONE_TRY = FetchOptions(timeout=2, retries=0, backoff=0, allow_private=True)
TWO_TRIES = FetchOptions(timeout=2, retries=1, backoff=0, allow_private=True)


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
    options = FetchOptions(timeout=2, retries=2, backoff=0.5, allow_private=True)
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
    reason = only_skip(
        read_sources(
            [loopback.url("/rss")], FetchOptions(timeout=0.6, retries=0, allow_private=True)
        )
    )
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
    reason = only_skip(
        read_sources(
            [loopback.url("/rss")], FetchOptions(timeout=0.6, retries=0, allow_private=True)
        )
    )
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
    options = FetchOptions(timeout=2, retries=0, max_mb=1, allow_private=True)
    reason = only_skip(read_sources([loopback.url("/rss")], options))
    assert reason == "larger than the 1 MB limit for one source (--max-mb)"
    assert len(sent) < 1024  # the client stopped reading and hung up


def test_redirects_are_followed_to_http_only(loopback):
    loopback.routes["/rss"] = lambda handler, _: answer(handler, FEED)
    loopback.routes["/old"] = moved("/rss", 301)
    loopback.routes["/file"] = moved("file:///etc/passwd", 301)
    loopback.routes["/ftp"] = moved("ftp://example.com/feed.xml", 301)
    loopback.routes["/bad-host"] = moved("http://[::1/feed", 301)
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
    options = FetchOptions(timeout=0.6, retries=0, allow_private=True)
    started = time.monotonic()
    harvest = read_sources([tls_loopback.url("/rss"), tls_loopback.url("/drip")], options)
    assert time.monotonic() - started < 1.5
    assert len(harvest.articles) == 4
    assert only_skip(harvest).endswith("no complete answer within the 0.6 s deadline (--timeout)")


def moved(target: str, status: int = 302):
    """A route that redirects to ``target``."""

    def route(handler, _):
        handler.send_response(status)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def test_a_private_address_is_refused_unless_allowed(loopback):
    """By default the loopback server is never reached: a feed must not read the machine's own
    services; --allow-private (allow_private=True) reaches it."""
    loopback.routes["/rss"] = lambda handler, _: answer(handler, FEED)
    reason = only_skip(read_sources([loopback.url("/rss")], FetchOptions(timeout=2, retries=1)))
    assert reason == (
        "could not fetch: 127.0.0.1 is a loopback address, and multisum fetches only from "
        "public addresses (a feed must not reach this machine's or its network's services); "
        "--allow-private allows it"
    )
    assert loopback.hits["/rss"] == 0  # refused before connecting, and not asked again
    assert len(read_sources([loopback.url("/rss")], ONE_TRY).articles) == 4


@pytest.mark.parametrize(
    ("target", "refused"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:{port}/admin", "::1 is a loopback address"),
        ("http://10.0.0.7/", "10.0.0.7 is a private address"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
        ("http://0.0.0.0:{port}/", "0.0.0.0 is an unspecified address"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(loopback, monkeypatch, target, refused):
    """The feed's own server counts as public here (127.0.0.1 is let through, as a public
    address would be); its redirect to a private address is checked and refused unconnected."""
    connected: list[tuple] = []
    real_connect = fetch.socket.create_connection

    def record(address, *args, **kwargs):
        connected.append(address)
        return real_connect(address, *args, **kwargs)

    real_refused = fetch.refused_address
    monkeypatch.setattr(
        fetch, "refused_address", lambda a: "" if a == "127.0.0.1" else real_refused(a)
    )
    monkeypatch.setattr(fetch.socket, "create_connection", record)
    port = loopback.server.server_address[1]
    loopback.routes["/rss"] = moved(target.format(port=port))
    reason = only_skip(read_sources([loopback.url("/rss")], FetchOptions(timeout=2, retries=0)))
    assert reason.startswith(f"could not fetch: {refused}, and multisum fetches only")
    assert reason.endswith("--allow-private allows it")
    assert connected == [("127.0.0.1", port)]  # the feed only; the redirect was never connected


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    """The check is on the addresses a name resolves to, not on how the name looks."""
    resolved = [(fetch.socket.AF_INET, fetch.socket.SOCK_STREAM, 6, "", ("169.254.169.254", 80))]
    monkeypatch.setattr(fetch.socket, "getaddrinfo", lambda *args, **kwargs: resolved)

    def refuse(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(fetch.socket, "create_connection", refuse)
    reason = only_skip(read_sources(["http://news.example/rss"], FetchOptions(retries=0)))
    assert reason.startswith(
        "could not fetch: news.example resolves to 169.254.169.254, a link-local address, and "
    )


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("93.184.215.14", ""),
        ("2606:4700::1111", ""),
        ("127.0.0.1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "non-global"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
    ],
)
def test_refused_address_names_what_kind_of_address_is_refused(address, reason):
    assert fetch.refused_address(address) == reason


def test_a_redirect_loop_is_one_line(loopback):
    loopback.routes["/a"] = moved("/b")
    loopback.routes["/b"] = moved("/a")
    reason = only_skip(read_sources([loopback.url("/a")], ONE_TRY))
    assert reason == (
        "could not fetch: HTTP 302: too many redirects (a redirect loop, or more than 10)"
    )


def compressed(body: bytes, encoding: str) -> bytes:
    import gzip
    import zlib

    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    deflater = zlib.compressobj(wbits=-zlib.MAX_WBITS)  # raw deflate, as some servers send
    return deflater.compress(body) + deflater.flush()


def encoded_answer(handler, body: bytes, encoding: str, content_type: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Encoding", encoding)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_a_compressed_feed_and_page_are_decoded(loopback, encoding):
    sent = "deflate" if encoding == "raw-deflate" else encoding
    loopback.routes["/rss"] = lambda handler, _: encoded_answer(
        handler, compressed(FEED, encoding), sent, "application/xml"
    )
    loopback.routes["/story"] = lambda handler, _: encoded_answer(
        handler, compressed(PAGE, encoding), sent, "text/html"
    )
    harvest = read_sources([loopback.url("/rss"), loopback.url("/story")], ONE_TRY)
    assert harvest.skipped == () and len(harvest.articles) == 5


def test_a_compression_bomb_is_refused_at_the_limit_once_decoded(loopback):
    bomb = compressed(b"<rss>" + b" " * 50_000_000, "gzip")  # 49 kB that inflates to 50 MB
    assert len(bomb) < 100_000
    loopback.routes["/rss"] = lambda handler, _: encoded_answer(handler, bomb, "gzip", "text/xml")
    options = FetchOptions(timeout=2, retries=1, max_mb=1, allow_private=True)
    reason = only_skip(read_sources([loopback.url("/rss")], options))
    assert reason == (
        "larger than the 1 MB limit for one source (--max-mb), once decompressed (gzip)"
    )
    assert loopback.hits["/rss"] == 1


def test_an_encoding_multisum_cannot_decode_is_named(loopback):
    loopback.routes["/rss"] = lambda handler, _: encoded_answer(handler, b"x", "br", "text/xml")
    assert only_skip(read_sources([loopback.url("/rss")], ONE_TRY)) == (
        "could not fetch: the answer is encoded as 'br', which multisum cannot decode "
        "(it decodes gzip and deflate)"
    )
