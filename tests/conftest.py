"""Shared fixtures: the bundled corpus, hostile articles, and a guard that fails any network use."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import pytest

from multisum.model import Briefing
from multisum.options import Options
from multisum.pipeline import draft_briefing, prepare_story, summarize
from multisum.pipeline.ingest import read_articles

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "putin-vietnam-2024"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOSTILE = FIXTURES / "hostile"


@pytest.fixture
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_briefing() -> Briefing:
    return summarize(CORPUS)


@pytest.fixture(scope="session")
def corpus_checks() -> Briefing:
    """The seed briefing with every check's findings, before the body's bound picks what fits."""
    return draft_briefing(prepare_story(read_articles([CORPUS])), Options())


@pytest.fixture(scope="session")
def hostile_briefing() -> Briefing:
    """Every field filled, so that every field's escaping is tested."""
    return draft_briefing(prepare_story(read_articles([HOSTILE])), Options())


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every socket connection fail, so a test proves the code works offline."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted during an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def corpus_text(name: str) -> str:
    return (CORPUS / f"{name}.md").read_text(encoding="utf-8")


class Loopback:
    """A web server on 127.0.0.1 in a thread, for fetch faults without the network.

    ``routes`` maps a path to a function of the handler and the number of earlier requests for
    that path (so a route can fail once, then answer); ``hits`` counts requests per path.
    """

    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        import ssl
        import threading
        from collections import Counter
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.routes: dict = {}
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()  # set at teardown, so slow routes end at once
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                before = loopback.hits[self.path]
                loopback.hits[self.path] += 1
                route = loopback.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(OSError):  # the client hung up, as one that gives up does
                    route(self, before)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls is not None:  # (certificate, key): serve https
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def answer(handler, body: bytes, status: int = 200, content_type: str = "application/xml") -> None:
    """A whole answer with its length."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def loopback():
    server = Loopback()
    yield server
    server.close()


@pytest.fixture(scope="session")
def loopback_certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made now (so it is valid now) with openssl."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    certificate, key = folder / "loopback.crt", folder / "loopback.key"
    command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
    command += " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


@pytest.fixture
def tls_loopback(loopback_certificate):
    server = Loopback(tls=loopback_certificate)
    yield server
    server.close()


@pytest.fixture
def without_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import trafilatura`` fail, as on a machine where it was uninstalled."""
    import builtins

    real_import = builtins.__import__

    def no_trafilatura(name, *args, **kwargs):
        if name == "trafilatura":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_trafilatura)
