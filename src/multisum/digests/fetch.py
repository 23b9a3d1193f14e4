"""Fetch a source URL: validated first, one deadline for the whole transfer, a size cap, and a
few retries with backoff for failures that may pass.

Socket timeouts bound each read, not a fetch: a server that sends a byte every few seconds would
hold a fetch for as long as it likes. So a timer shuts the connection's socket at the deadline,
whatever the transfer is doing then (connecting, reading headers, redirecting or reading the body).

A feed is data from anyone: its redirects must not turn the digest into a way to read the
machine's own or its network's services (a cloud's metadata address, an admin page on
localhost). So every connection, the first and each after a redirect, goes only to addresses
that are global on the internet, checked after DNS resolution on the very address connected to
(a name cannot resolve to a public address for the check and a private one for the connection),
unless the user allows private addresses (``--allow-private``).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from multisum.errors import SourceError
from multisum.options import FetchOptions

USER_AGENT = "multisum-digest/0.1 (+https://github.com/multisum)"
#: Compressed answers are decoded (``_decode``), so we may as well ask for them.
HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
#: Bytes read at a time; the size cap is checked after each read.
CHUNK = 64 * 1024
#: Characters a URL may keep as they are; anything else outside ASCII is percent-encoded.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


class _Permanent(Exception):
    """A failure that asking again will not change (HTTP 404, too large, a bad redirect)."""


class _Transient(Exception):
    """A failure that may pass (a timeout, a refused connection, HTTP 503, a cut-short answer)."""


def is_url(source: str) -> bool:
    """Whether a source names a URL rather than a path: anything with a scheme such as ``http://``.

    Only http and https are fetched; ``check_url`` says so for any other scheme.
    """
    scheme, separator, _ = source.partition("://")
    return bool(separator) and scheme.isascii() and scheme.isalpha()


def check_url(url: str) -> str:
    """``url`` made ready to request (host in IDNA, non-ASCII percent-encoded), or a
    ``SourceError`` saying what is wrong with it: fetching starts only from a sound URL."""
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise SourceError(f"not a valid URL: it holds spaces or control characters: {url!r}")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        raise SourceError(f"not a valid URL ({error}): {url!r}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(f"not an http or https URL: {url!r}; multisum fetches only those")
    if not host:
        raise SourceError(f"not a valid URL (no host name): {url!r}")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise SourceError(f"not a valid URL (the host name cannot be encoded): {url!r}") from None
    netloc = parts.netloc
    if ascii_host != host:
        userinfo, at, _ = parts.netloc.rpartition("@")
        port = f":{parts.port}" if parts.port is not None else ""
        netloc = f"{userinfo}{at}{ascii_host}{port}"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            "",  # the fragment is never sent
        )
    )


def refused_address(address: str) -> str:
    """What kind of address the IP ``address`` is when a fetch must not connect to it without
    ``--allow-private`` ("loopback", "link-local" as 169.254.169.254, the cloud metadata service,
    "private", "multicast", "unspecified", "non-global"), or ``""`` for a global (public) one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) aside
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    kinds = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
    )
    for kind, applies in kinds:
        if applies:
            return kind
    return "" if ip.is_global else "non-global"


def fetch_url(url: str, fetch: FetchOptions) -> bytes:
    """GET ``url``; a failure that may pass is tried again after a growing pause.

    One ``SourceError`` says why when every try fails; an answer that will not change (HTTP 404,
    an answer over the size cap) is not asked for again.
    """
    target = check_url(url)
    problem = ""
    for attempt in range(fetch.retries + 1):
        if attempt:
            time.sleep(fetch.backoff * 2 ** (attempt - 1))
        try:
            return _get(target, fetch)
        except _Permanent as error:
            raise SourceError(str(error)) from None
        except _Transient as error:
            problem = str(error)
    tries = "once" if fetch.retries == 0 else f"{fetch.retries + 1} times"
    raise SourceError(f"could not fetch (tried {tries}): {problem}")


def _get(url: str, fetch: FetchOptions) -> bytes:
    """One try: the whole answer within ``fetch.timeout`` seconds and ``fetch.max_bytes``."""
    deadline = _Deadline(fetch.timeout)
    vetted = _vetted_connection(allow_private=fetch.allow_private)
    opener = urllib.request.build_opener(
        _HTTPHandler(deadline, vetted),
        _HTTPSHandler(deadline, vetted),
        _HTTPOnlyRedirects(allow_private=fetch.allow_private),
    )
    request = urllib.request.Request(url, headers=HEADERS)
    with deadline:
        try:
            _check_proxied(url, fetch.allow_private)
            with opener.open(request, timeout=fetch.timeout) as response:
                body = _read_capped(response, fetch)
                missing = response.length  # bytes still due by Content-Length, if it gave one
        except urllib.error.HTTPError as error:
            error.close()
            if 300 <= error.code < 400:  # urllib gives up on a loop in three lines of its own
                raise _Permanent(
                    f"could not fetch: HTTP {error.code}: too many redirects (a redirect loop, "
                    f"or more than {_HTTPOnlyRedirects.max_redirections})"
                ) from None
            message = f"HTTP {error.code} {error.reason}"
            if error.code >= 500 or error.code in (408, 429):
                raise _Transient(message) from None
            # the server said no; asking again will not change its mind
            raise _Permanent(f"could not fetch: {message}") from None
        except (OSError, http.client.HTTPException) as error:
            if deadline.expired:
                raise _Transient(deadline.message) from None
            reason = getattr(error, "reason", None) or error
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise _Permanent(
                    f"could not fetch: the site's certificate is not trusted "
                    f"({reason.verify_message})"
                ) from None
            raise _Transient(str(reason) or type(error).__name__) from None
    # http.client ends a read at a connection closed early without a word, as it is when the
    # deadline shut the socket: a body shorter than promised is a failure, not a feed
    if deadline.expired:
        raise _Transient(deadline.message)
    if missing:
        raise _Transient(f"the answer was cut short ({len(body)} of {len(body) + missing} bytes)")
    return body


def _read_capped(response: http.client.HTTPResponse, fetch: FetchOptions) -> bytes:
    """The body, refused as soon as it is known to be over the size cap."""
    limit = fetch.max_bytes
    too_large = f"larger than the {fetch.max_mb:g} MB limit for one source (--max-mb)"
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise _Permanent(f"{too_large}: the answer is {int(declared) / 1e6:.1f} MB")
    body = bytearray()
    while chunk := response.read(CHUNK):
        body += chunk
        if len(body) > limit:
            raise _Permanent(too_large)
    return _decode(bytes(body), response.headers.get("Content-Encoding", ""), limit, too_large)


def _decode(body: bytes, encoding: str, limit: int, too_large: str) -> bytes:
    """The body with its ``Content-Encoding`` (gzip, deflate; in the order applied) undone, each
    step stopped as soon as its output passes ``limit``: a small answer that decompresses to
    gigabytes (a compression bomb) is refused without ever being held."""
    for name in reversed([part.strip().lower() for part in encoding.split(",") if part.strip()]):
        if name == "identity":
            continue
        if name in ("gzip", "x-gzip"):
            window = 16 + zlib.MAX_WBITS
        elif name == "deflate":  # the zlib format by the standard, raw deflate by some servers
            window = zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS
        else:
            raise _Permanent(
                f"could not fetch: the answer is encoded as {name!r}, which multisum cannot "
                "decode (it decodes gzip and deflate)"
            )
        body = _inflate(body, window, limit, name, too_large)
    return body


def _inflate(body: bytes, window: int, limit: int, name: str, too_large: str) -> bytes:
    inflater = zlib.decompressobj(window)
    decoded = bytearray()
    pending = body
    try:
        while pending and not inflater.eof:
            decoded += inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            if len(decoded) > limit:
                raise _Permanent(f"{too_large}, once decompressed ({name})")
        decoded += inflater.flush()
    except zlib.error as error:
        raise _Permanent(
            f"could not fetch: the {name}-encoded answer is damaged ({error})"
        ) from None
    if len(decoded) > limit:
        raise _Permanent(f"{too_large}, once decompressed ({name})")
    if not inflater.eof:
        raise _Transient(f"the {name}-encoded answer was cut short")
    return bytes(decoded)


class _Deadline:
    """Shuts every socket of one transfer when its time is up, so a blocked read returns."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.message = f"no complete answer within the {seconds:g} s deadline (--timeout)"
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True  # the sockets are closed (or about to be): never touch them again
            self._sockets.clear()

    def watch(self, connection: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(connection)
            else:
                self._sockets.append(connection)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for connection in self._sockets:
                _shut(connection)


def _shut(connection: socket.socket) -> None:
    # socket.socket's own shutdown, also for an SSL socket: it wakes a read blocked on the
    # descriptor without touching the TLS state the reading thread is using.
    with contextlib.suppress(OSError):  # already closed, or never connected
        socket.socket.shutdown(connection, socket.SHUT_RDWR)


class _Refused(_Permanent):
    """A connection to an address multisum does not fetch from (see ``refused_address``)."""


Connect = Callable[..., socket.socket]


def _vetted_connection(*, allow_private: bool) -> Connect:
    """``socket.create_connection`` that connects only to global addresses (unless
    ``allow_private``): the host is resolved once, every address it resolves to is checked, and
    the socket connects to a checked address, so what was checked is what is reached."""

    def connect(
        address: tuple[str, int],
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        host, port = address
        if allow_private or _is_proxy(host):
            return socket.create_connection(address, timeout, source_address)
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise OSError(f"cannot resolve {host}: {error.strerror}") from None
        addresses = list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))
        _check_addresses(host, addresses)
        last: OSError = OSError(f"cannot resolve {host}")
        for address in addresses:
            try:
                return socket.create_connection((address, port), timeout, source_address)
            except OSError as failed:
                last = failed
        raise last

    return connect


def _check_addresses(host: str, addresses: list[str]) -> None:
    """Refuse ``host`` when any address it resolves to is not global (``refused_address``)."""
    for address in addresses:
        kind = refused_address(address)
        if not kind:
            continue
        shown = address.split("%", 1)[0]
        article = "an" if kind[0] in "aeiou" else "a"
        what = (
            f"{shown} is {article} {kind} address"
            if host.strip("[]") == shown
            else f"{host} resolves to {shown}, {article} {kind} address"
        )
        raise _Refused(
            f"could not fetch: {what}, and multisum fetches only from public addresses (a feed "
            "must not reach this machine's or its network's services); --allow-private allows it"
        )


def _is_proxy(host: str) -> bool:
    """Whether ``host`` is a proxy the user configured (``http_proxy`` and its kin): the user
    chose it, and the host it fetches from is checked by ``_check_proxied``."""
    return any(urlsplit(proxy).hostname == host for proxy in urllib.request.getproxies().values())


def _check_proxied(url: str, allow_private: bool) -> None:
    """Through a proxy, which connects for us, the host of ``url`` is resolved here and checked
    before the request is sent, as a direct connection is when it connects."""
    if allow_private or not urllib.request.getproxies():
        return
    host = urlsplit(url).hostname or ""
    if urllib.request.proxy_bypass(host):
        return  # connected directly, and checked when it connected
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return  # a name only the proxy resolves
    _check_addresses(host, list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found)))


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline, vetted: Connect) -> type:
    class Watched(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = vetted

        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline, vetted: Connect) -> None:
        super().__init__()
        self.connection = _watched(http.client.HTTPConnection, deadline, vetted)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, vetted: Connect) -> None:
        super().__init__()
        self.connection = _watched(http.client.HTTPSConnection, deadline, vetted)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req, context=self._context)


class _HTTPOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to a sound http(s) URL (urllib would also follow ``ftp:``, and a
    ``Location`` that does not parse would raise ValueError from inside urllib)."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("location") or headers.get("uri") or ""
        try:
            target = check_url(urljoin(req.full_url, location))
        except ValueError as error:
            problem = f"not a valid URL ({error}): {location!r}"
        except SourceError as error:
            problem = str(error)
        else:
            try:
                _check_proxied(target, self.allow_private)
            except _Refused:
                fp.close()
                raise
            return super().http_error_302(req, fp, code, msg, headers)
        fp.close()
        raise _Permanent(f"could not fetch: redirected to a URL multisum does not fetch: {problem}")

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302
