"""The digest's memory in SQLite: every article seen, which digest took it, stories and a run log.

The database is the truth and digest files are written from it: a digest is committed in one
transaction with its rendered text, then written to disk; a run that dies in between leaves a
digest marked ``writing`` that the next run writes out. A file lock keeps two runs apart.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from multisum.errors import StateBusyError, StateError
from multisum.model import Article

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    outlet TEXT NOT NULL,
    outlet_known INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    published TEXT NOT NULL,
    author TEXT NOT NULL,
    origin TEXT NOT NULL,
    text TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    run INTEGER NOT NULL,
    digest TEXT,
    story INTEGER
);
CREATE INDEX IF NOT EXISTS articles_by_digest ON articles (digest);
CREATE TABLE IF NOT EXISTS digests (
    date TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    outputs TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL,
    title TEXT NOT NULL,
    terms TEXT NOT NULL,
    lines TEXT NOT NULL,
    continues INTEGER
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    sources TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    message TEXT NOT NULL DEFAULT ''
);
"""

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PriorStory:
    """A story from an earlier digest, for telling when a new story continues it."""

    id: int
    digest: str
    title: str
    terms: dict[str, float]
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """What the state keeps of a story: its articles (by key), title, terms and published lines."""

    title: str
    keys: tuple[str, ...]
    terms: dict[str, float]
    lines: tuple[str, ...]
    continues: int | None = None


def article_key(article: Article) -> str:
    """A stable id: the normalised URL when there is one, else a hash of the normalised text."""
    if article.url:
        return "url:" + _digest_of(normalize_url(article.url))
    normalized = " ".join(re.findall(r"\w+", article.text.lower()))
    return "text:" + _digest_of(normalized)


def normalize_url(url: str) -> str:
    """The same page under tracking parameters, fragments or a trailing slash is one page."""
    parts = urlsplit(url.strip())
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def _digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class State:
    """An open, locked state folder; use as a context manager so the lock is always released."""

    def __init__(self, directory: str | Path, *, wait: float = 0.0) -> None:
        self.directory = Path(directory)
        self.wait = wait
        self._lock_file: int | None = None
        self._database: sqlite3.Connection | None = None

    def __enter__(self) -> State:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StateError(
                f"cannot create the state folder {self.directory}: {error.strerror}"
            ) from None
        self._lock()
        try:
            self._database = sqlite3.connect(self.directory / "state.sqlite3", isolation_level=None)
            self._database.execute("PRAGMA journal_mode=WAL")
            self._database.execute("PRAGMA synchronous=FULL")
            self._database.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            self.__exit__(None, None, None)
            raise StateError(
                f"the state database in {self.directory} is unusable: {error}"
            ) from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
        if self._lock_file is not None:
            os.close(self._lock_file)  # closing releases the lock
            self._lock_file = None

    def _lock(self) -> None:
        import fcntl

        path = self.directory / "lock"
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip()
                    os.close(handle)
                    who = f" (process {holder})" if holder else ""
                    raise StateBusyError(
                        f"another digest is running on {self.directory}{who}; "
                        "try again when it has finished, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(handle, 0)
        os.pwrite(handle, str(os.getpid()).encode("ascii"), 0)
        self._lock_file = handle

    @property
    def db(self) -> sqlite3.Connection:
        if self._database is None:
            raise StateError("the state is not open")
        return self._database

    def _transaction(self):
        return _Transaction(self.db)

    # runs -------------------------------------------------------------------------------------
    def start_run(self, sources: Sequence[str]) -> int:
        """Log a run; earlier runs still marked running were killed, so say so."""
        with self._transaction():
            self.db.execute(
                "UPDATE runs SET status = 'interrupted' WHERE status = 'running' AND finished IS NULL"
            )
            cursor = self.db.execute(
                "INSERT INTO runs (started, status, sources) VALUES (?, 'running', ?)",
                (_now(), json.dumps(list(sources))),
            )
        return int(cursor.lastrowid)

    def finish_run(self, run: int, status: str, counts: dict[str, int], message: str = "") -> None:
        with self._transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, status = ?, counts = ?, message = ? WHERE id = ?",
                (_now(), status, json.dumps(counts, sort_keys=True), message, run),
            )

    def runs(self) -> list[dict]:
        cursor = self.db.execute(
            "SELECT id, started, finished, status, counts, message FROM runs ORDER BY id"
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    # articles ---------------------------------------------------------------------------------
    def record_articles(self, keyed: Iterable[tuple[str, Article]], run: int) -> list[str]:
        """Remember unseen articles (text included, so a killed run loses nothing); return their keys."""
        added = []
        with self._transaction():
            for key, a in keyed:
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO articles (key, id, outlet, outlet_known, title, url, "
                    "published, author, origin, text, first_seen, run) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        a.id,
                        a.outlet,
                        int(a.outlet_known),
                        a.title,
                        a.url,
                        a.published,
                        a.author,
                        a.path,
                        a.text,
                        _now(),
                        run,
                    ),
                )
                if cursor.rowcount:
                    added.append(key)
        return added

    def pending_articles(self) -> list[tuple[str, Article]]:
        """Articles seen but in no digest yet, in the order they were first seen."""
        return self._articles("digest IS NULL", ())

    def digest_articles(self, date: str) -> list[tuple[str, Article]]:
        return self._articles("digest = ?", (date,))

    def _articles(self, where: str, parameters: tuple) -> list[tuple[str, Article]]:
        rows = self.db.execute(
            "SELECT key, id, text, outlet, outlet_known, title, url, published, author, origin "
            f"FROM articles WHERE {where} ORDER BY rowid",
            parameters,
        ).fetchall()
        return [(row[0], Article(*row[1:4], bool(row[4]), *row[5:])) for row in rows]

    def article_digests(self) -> dict[str, str | None]:
        return dict(self.db.execute("SELECT key, digest FROM articles").fetchall())

    # stories and digests ----------------------------------------------------------------------
    def prior_stories(self, before: str) -> list[PriorStory]:
        """Stories of digests dated before ``before``, newest first."""
        rows = self.db.execute(
            "SELECT s.id, s.digest, s.title, s.terms, s.lines FROM stories s "
            "JOIN digests d ON d.date = s.digest WHERE s.digest < ? ORDER BY s.digest DESC, s.id",
            (before,),
        ).fetchall()
        return [
            PriorStory(row[0], row[1], row[2], json.loads(row[3]), tuple(json.loads(row[4])))
            for row in rows
        ]

    def commit_digest(
        self, date: str, stories: Sequence[StoryRecord], outputs: dict[str, str]
    ) -> None:
        """Record a digest, its stories and its articles in one transaction, files still to write.

        ``outputs`` maps each file path to its full text, so any later run can write it again.
        """
        with self._transaction():
            self.db.execute(
                "UPDATE articles SET story = NULL WHERE story IN "
                "(SELECT id FROM stories WHERE digest = ?)",
                (date,),
            )
            self.db.execute("DELETE FROM stories WHERE digest = ?", (date,))
            for story in stories:
                cursor = self.db.execute(
                    "INSERT INTO stories (digest, title, terms, lines, continues) VALUES (?, ?, ?, ?, ?)",
                    (
                        date,
                        story.title,
                        json.dumps(story.terms),
                        json.dumps(list(story.lines)),
                        story.continues,
                    ),
                )
                self.db.executemany(
                    "UPDATE articles SET digest = ?, story = ? WHERE key = ?",
                    [(date, cursor.lastrowid, key) for key in story.keys],
                )
            self.db.execute(
                "INSERT OR REPLACE INTO digests (date, status, outputs, created) "
                "VALUES (?, 'writing', ?, ?)",
                (date, json.dumps(outputs), _now()),
            )

    def unwritten_digests(self) -> list[tuple[str, dict[str, str]]]:
        rows = self.db.execute(
            "SELECT date, outputs FROM digests WHERE status = 'writing' ORDER BY date"
        ).fetchall()
        return [(row[0], json.loads(row[1])) for row in rows]

    def mark_written(self, date: str) -> None:
        with self._transaction():
            self.db.execute("UPDATE digests SET status = 'written' WHERE date = ?", (date,))

    def has_digest(self, date: str) -> bool:
        row = self.db.execute("SELECT 1 FROM digests WHERE date = ?", (date,)).fetchone()
        return row is not None


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error: all of a change or none of it."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self.database = database

    def __enter__(self) -> None:
        self.database.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.database.execute("COMMIT" if kind is None else "ROLLBACK")
