"""One way through for the data: a briefing and a digest clean each article exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES

import multisum
import multisum.digests
import multisum.digests.sources
import multisum.pipeline
import multisum.pipeline.clean
from multisum.model import Article

#: Every module that imports ``clean_article`` by name at its top (grep ``clean_article`` in src);
#: verify and evaluation import it inside functions, from ``multisum.pipeline.clean``.
IMPORTERS = (
    multisum.pipeline,
    multisum.pipeline.clean,
    multisum.digests,
    multisum.digests.sources,
)


@pytest.fixture
def cleaned(monkeypatch) -> Counter[tuple[str, str]]:
    """Count the calls of ``clean_article`` per raw article (id and text; syndicated copies share
    their text), wherever it is called from."""
    original = multisum.pipeline.clean.clean_article
    calls: Counter[tuple[str, str]] = Counter()

    def counting(article: Article) -> Article:
        calls[article.id, article.text] += 1
        return original(article)

    for module in IMPORTERS:
        assert module.clean_article is original, module.__name__
        monkeypatch.setattr(module, "clean_article", counting)
    return calls


def test_a_briefing_cleans_each_article_once(cleaned):
    briefing = multisum.summarize(CORPUS)
    assert len(briefing.articles) == 5
    assert sorted(article_id for article_id, _ in cleaned) == sorted(
        a.id for a in briefing.articles
    )
    assert list(cleaned.values()) == [1] * 5


def test_a_digest_cleans_each_article_once(cleaned, tmp_path: Path):
    result = multisum.digest(
        [str(FIXTURES / "digest" / "day1")],
        state=tmp_path / "state",
        out=tmp_path / "out",
        date="2026-11-20",
        formats=("markdown", "json"),
    )
    # a feed, a folder with syndicated copies and a saved page: seven articles, none skipped
    assert (result.read, result.new, result.skipped) == (7, 7, ())
    assert any(story.briefing is not None for story in result.stories)
    twice = {article_id: count for (article_id, _), count in cleaned.items() if count != 1}
    assert not twice, f"cleaned more than once: {twice}"
    digested = sorted(a.id for story in result.stories for a in story.articles) + sorted(
        copy.id for story in result.stories for _, copies in story.copies for copy in copies
    )
    assert sorted(article_id for article_id, _ in cleaned) == sorted(digested)
