"""The digest state: stable article keys, the lock, and transactions that keep all or nothing."""

from __future__ import annotations

import pytest

from multisum.digests.state import State, StateBusyError, StoryRecord, article_key, normalize_url
from multisum.model import Article


def test_the_same_page_under_tracking_parameters_has_one_key():
    first = Article(
        id="a", text="x", outlet="A", url="https://Example.com/news/story/?utm_source=rss"
    )
    second = Article(id="b", text="y", outlet="B", url="https://example.com/news/story#comments")
    assert article_key(first) == article_key(second)
    assert normalize_url("https://example.com/a?b=2&a=1") == "https://example.com/a?a=1&b=2"


def test_without_a_url_the_key_is_the_normalised_text():
    first = Article(id="a", text="The port  is CLOSED.\n", outlet="A")
    second = Article(id="b", text="the port is closed", outlet="B")
    third = Article(id="c", text="the port is open", outlet="B")
    assert article_key(first) == article_key(second) != article_key(third)


def test_a_held_lock_refuses_a_second_opener_and_waits_when_asked(tmp_path):
    with State(tmp_path), pytest.raises(StateBusyError, match=r"process \d+"):
        State(tmp_path).__enter__()
    with State(tmp_path, wait=0.2):
        pass


def test_articles_are_recorded_once_and_stay_pending_until_a_digest_takes_them(tmp_path):
    article = Article(id="a", text="Text of the article.", outlet="A", url="https://a.example/1")
    with State(tmp_path) as state:
        run = state.start_run(["x"])
        assert state.record_articles([(article_key(article), article)], run) == [
            article_key(article)
        ]
        assert state.record_articles([(article_key(article), article)], run) == []
        assert [a for _, a in state.pending_articles()] == [article]
        state.commit_digest(
            "2026-11-20",
            [StoryRecord("T", (article_key(article),), {"port": 1.0}, ("line",))],
            {str(tmp_path / "out.md"): "text"},
        )
        assert state.pending_articles() == []
        assert state.unwritten_digests() == [("2026-11-20", {str(tmp_path / "out.md"): "text"})]
        state.mark_written("2026-11-20")
        assert state.unwritten_digests() == []
        assert [s.title for s in state.prior_stories("2026-11-21")] == ["T"]


def test_a_failed_commit_changes_nothing(tmp_path):
    article = Article(id="a", text="Text.", outlet="A")
    with State(tmp_path) as state:
        state.record_articles([(article_key(article), article)], state.start_run([]))
        bad = StoryRecord("T", (article_key(article),), {"x": object()}, ())  # not JSON
        with pytest.raises(TypeError):
            state.commit_digest("2026-11-20", [bad], {})
        assert len(state.pending_articles()) == 1
        assert state.prior_stories("2026-12-01") == []
