"""The digest state: stable article keys, the lock, transactions that keep all or nothing, and
damage found at open (never a silent fresh start), with a good copy to recover from."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from multisum.digests.state import (
    DATABASE,
    GOOD_COPY,
    State,
    StateBusyError,
    StoryRecord,
    article_key,
    normalize_url,
)
from multisum.errors import StateDamagedError, StateError
from multisum.model import Article, text_hash


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
            [StoryRecord("T", (article_key(article),), ("line",))],
            [(str(tmp_path / "out.md"), "text ✓".encode())],
        )
        assert state.pending_articles() == []
        assert state.unwritten_digests() == [("2026-11-20", [str(tmp_path / "out.md")])]
        assert state.output("2026-11-20", str(tmp_path / "out.md")) == "text ✓".encode()
        state.mark_written("2026-11-20")
        assert state.unwritten_digests() == []
        earlier = state.prior_story([article_key(article)], "2026-11-21")
        assert earlier is not None and earlier.title == "T" and earlier.lines == ("line",)
        assert state.prior_story([article_key(article)], "2026-11-20") is None


def test_a_failed_commit_changes_nothing(tmp_path):
    article = Article(id="a", text="Text.", outlet="A")
    with State(tmp_path) as state:
        state.record_articles([(article_key(article), article)], state.start_run([]))
        good = StoryRecord("T", (article_key(article),), ())
        with pytest.raises(TypeError):  # an active story that is not JSON
            state.commit_digest("2026-11-20", [good], [], active=[{"x": object()}])
        assert len(state.pending_articles()) == 1
        assert state.prior_story([article_key(article)], "2026-12-01") is None
        assert state.active_stories("2026-12-01") == []


# damaged state ------------------------------------------------------------------------------


def make_state(folder, *, runs: int = 1) -> None:
    """A state with one article and ``runs`` finished runs (each leaves the good copy)."""
    article = Article(id="a", text="Text of the article.", outlet="A", url="https://a.example/1")
    with State(folder) as state:
        for _ in range(runs):
            run = state.start_run(["x"])
            state.record_articles([(article_key(article), article)], run)
            state.finish_run(run, "ok", {})


def spoil(path, offset: int, length: int = 4096) -> None:
    with open(path, "r+b") as file:
        file.seek(offset)
        file.write(bytes(range(256)) * (length // 256))


def test_every_finished_run_leaves_a_sound_good_copy(tmp_path):
    make_state(tmp_path)
    good = tmp_path / GOOD_COPY
    assert good.is_file() and not (tmp_path / f"{GOOD_COPY}.new").exists()
    with closing(sqlite3.connect(good)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
        assert copy.execute("SELECT id FROM articles").fetchall() == [("a",)]


def test_a_state_emptied_to_zero_bytes_is_damage_not_a_fresh_start(tmp_path):
    make_state(tmp_path)
    (tmp_path / DATABASE).write_bytes(b"")
    with pytest.raises(StateDamagedError) as caught:
        State(tmp_path).__enter__()
    message = str(caught.value)
    assert (
        f"the digest state {tmp_path / DATABASE} cannot be used: it is empty (0 bytes)" in message
    )
    assert f"Its last good copy, {tmp_path / GOOD_COPY}, was saved at" in message
    assert "run again with --recover" in message
    assert (tmp_path / DATABASE).stat().st_size == 0  # nothing touched


@pytest.mark.parametrize(
    ("where", "found"),
    [
        (lambda size: 0, "file is not a database"),  # the header
        (lambda size: size // 2, "database disk image is malformed"),  # a page in the middle
        (lambda size: size - 4096, "it is damaged ("),  # the last page: only quick_check sees it
    ],
    ids=["header", "middle", "last-page"],
)
def test_garbage_anywhere_in_the_state_is_reported_with_how_to_recover(tmp_path, where, found):
    make_state(tmp_path)
    path = tmp_path / DATABASE
    spoil(path, where(path.stat().st_size))
    with pytest.raises(StateDamagedError, match="run again with --recover") as caught:
        State(tmp_path).__enter__()
    assert found in str(caught.value)


def test_a_missing_state_with_a_good_copy_is_not_a_fresh_start(tmp_path):
    make_state(tmp_path)
    (tmp_path / DATABASE).unlink()
    with pytest.raises(StateDamagedError, match="it is missing, but its last good copy is there"):
        State(tmp_path).__enter__()


def test_recover_keeps_the_damaged_file_and_goes_on_from_the_good_copy(tmp_path):
    make_state(tmp_path)
    path = tmp_path / DATABASE
    spoil(path, 0)
    damaged = path.read_bytes()
    with State(tmp_path, recover=True) as state:
        assert [a.id for _, a in state.pending_articles()] == ["a"]
        (note,) = state.notes
    assert (tmp_path / f"{DATABASE}.damaged-1").read_bytes() == damaged
    assert note.startswith(
        f"recovered the state: the damaged state is kept as {tmp_path / DATABASE}.damaged-1; "
        "this run goes on from the good copy saved at"
    )
    with State(tmp_path) as state:  # sound again, no --recover needed
        assert state.notes == []


def test_recover_without_a_good_copy_starts_a_new_state_and_keeps_the_old(tmp_path):
    make_state(tmp_path)
    (tmp_path / GOOD_COPY).unlink()
    (tmp_path / DATABASE).write_bytes(b"")
    with pytest.raises(StateDamagedError, match="There is no good copy of it to go back to"):
        State(tmp_path).__enter__()
    with State(tmp_path, recover=True) as state:
        assert state.pending_articles() == []
        assert state.notes[0].startswith("started a new state: the damaged state is kept as")
    assert (tmp_path / f"{DATABASE}.damaged-1").exists()


def test_damage_or_a_full_disk_met_while_the_state_is_open_is_one_clear_error(tmp_path):
    make_state(tmp_path)
    with pytest.raises(StateDamagedError, match="cannot be used: it is damaged"), State(tmp_path):
        raise sqlite3.DatabaseError("database disk image is malformed")
    with (
        pytest.raises(
            StateError, match=r"cannot use the digest state .*: database or disk is full"
        ),
        State(tmp_path),
    ):
        raise sqlite3.OperationalError("database or disk is full")
    with pytest.raises(sqlite3.IntegrityError), State(tmp_path):  # a bug keeps its traceback
        raise sqlite3.IntegrityError("UNIQUE constraint failed")


def test_a_state_from_before_file_records_learns_the_files_it_wrote(tmp_path):
    with State(tmp_path) as state:
        state.commit_digest("2026-11-20", [], [(str(tmp_path / "o.md"), b"text")])
        state.mark_written("2026-11-20")
        state.db.execute("DELETE FROM files")
        state.db.execute("PRAGMA user_version = 0")
    with State(tmp_path) as state:
        assert state.file_hash(tmp_path / "o.md") == text_hash("text")


def test_a_link_that_does_not_parse_still_has_a_key():
    broken = Article(id="a", text="x", outlet="A", url="http://[::1")
    assert (
        article_key(broken)
        == article_key(broken).strip()
        != article_key(Article(id="a", text="x", outlet="A", url="http://[::2"))
    )


def test_a_run_killed_while_copying_leaves_the_previous_good_copy_whole(tmp_path, monkeypatch):
    import multisum.digests.state as state_module

    make_state(tmp_path)
    before = (tmp_path / GOOD_COPY).read_bytes()

    def killed(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(state_module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        make_state(tmp_path)
    monkeypatch.undo()
    assert (tmp_path / GOOD_COPY).read_bytes() == before
    make_state(tmp_path)  # the next run is not troubled by the half-made copy
    assert not (tmp_path / f"{GOOD_COPY}.new").exists()
    with closing(sqlite3.connect(tmp_path / GOOD_COPY)) as copy:
        assert copy.execute("SELECT count(*) FROM runs").fetchone() == (3,)


def test_a_state_written_before_active_stories_opens_and_keeps_its_stories(tmp_path):
    """A state of the previous release (no active_stories table, term profiles in stories) opens
    as it is: its stories still name what later digests continue, and it gains the new table."""
    article = Article(id="a", text="Text of the article.", outlet="A", url="https://a.example/1")
    with State(tmp_path) as state:
        state.record_articles([(article_key(article), article)], state.start_run([]))
        state.commit_digest("2026-11-20", [StoryRecord("T", (article_key(article),), ())], [])
    with closing(sqlite3.connect(tmp_path / "state.sqlite3")) as old:
        old.execute("DROP TABLE active_stories")
        old.execute("UPDATE stories SET terms = '{\"port\": 1.0}'")
        old.commit()
    with State(tmp_path) as state:
        assert state.active_stories("2026-11-21") == []
        assert state.prior_story([article_key(article)], "2026-11-21").title == "T"
        state.commit_digest("2026-11-21", [], [], active=[{"keys": [article_key(article)]}])
        assert state.active_stories("2026-11-22") == [
            ("2026-11-21", 0, json.dumps({"keys": [article_key(article)]}))
        ]
        assert state.active_stories("2026-11-21") == []  # a date never starts from itself
