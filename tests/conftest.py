"""Shared fixtures: the bundled corpus, hostile articles, and a guard that fails any network use."""

from __future__ import annotations

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
