from __future__ import annotations

from pathlib import Path

import pytest

from multisum.model import Briefing
from multisum.pipeline import summarize

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "putin-vietnam-2024"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


@pytest.fixture(scope="session")
def corpus_briefing() -> Briefing:
    return summarize(CORPUS)


@pytest.fixture(scope="session")
def hostile_briefing() -> Briefing:
    return summarize(HOSTILE)
