"""The digest's memory in SQLite: every article seen, which digest took it, stories and a run log.

The database is the truth and digest files are written from it: a digest is committed in one
transaction with its rendered text, then written to disk; a run that dies in between leaves a
digest marked ``writing`` that the next run writes out. A file lock keeps two runs apart.

The state is checked when it is opened (``PRAGMA quick_check``, and a file emptied to 0 bytes
counts as damage: a new state is created whole, never empty), and every finished run leaves a
copy of it, made with SQLite's backup API, as ``state.sqlite3.good``: damage stops the run with
one message naming the file, and ``recover`` sets the damaged file aside and goes on from the
good copy. The state also records the sha256 of every file it writes, so that a digest never
replaces a file it did not write.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from multisum.errors import StateBusyError, StateDamagedError, StateError
from multisum.model import Article, text_hash

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
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS active_stories (
    digest TEXT NOT NULL,
    position INTEGER NOT NULL,
    story TEXT NOT NULL,
    PRIMARY KEY (digest, position)
);
CREATE TABLE IF NOT EXISTS carried (
    digest TEXT NOT NULL,
    position INTEGER NOT NULL,
    story TEXT NOT NULL,
    PRIMARY KEY (digest, position)
);
CREATE TABLE IF NOT EXISTS outputs (
    digest TEXT NOT NULL,
    path TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (digest, path)
);
"""
#: ``PRAGMA user_version`` of the schema above; states from before version 1 learn the files
#: they had written from their digests' stored text. Tables added since (``active_stories``) are
#: created by the schema's ``IF NOT EXISTS`` on opening, so they need no new version: a state
#: written by an earlier release opens as it is, and one written by this release opens there too.
#: (A digest's files are kept as UTF-8 in ``outputs``, one row a file, and ``digests.outputs``
#: lists their paths; earlier releases kept every file's text there as one JSON object, which is
#: still read. Only a digest committed by this release and not yet written, opened by an earlier
#: release, would not find its files.)
_VERSION = 1
#: The file names in a state folder.
DATABASE = "state.sqlite3"
GOOD_COPY = "state.sqlite3.good"

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PriorStory:
    """A story of an earlier digest that a new story continues: what the new one cites and which
    lines it need not repeat."""

    id: int
    digest: str
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """What the state keeps of a story: its articles (by key), title and published lines."""

    title: str
    keys: tuple[str, ...]
    lines: tuple[str, ...]
    continues: int | None = None


def article_key(article: Article) -> str:
    """A stable id: the normalised URL when there is one, else a hash of the normalised text.

    A URL that does not parse (``http://[::1``) is keyed as written: one bad link in a feed must
    not stop every run while the feed carries it.
    """
    if article.url:
        try:
            return "url:" + _digest_of(normalize_url(article.url))
        except ValueError:
            return "url:" + _digest_of(article.url.strip())
    normalized = " ".join(re.findall(r"\w+", article.text.lower()))
    return "text:" + _digest_of(normalized)


def normalize_url(url: str) -> str:
    """The same page under tracking parameters, fragments or a trailing slash is one page."""
    parts = urlsplit(url.strip())
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def _digest_of(text: str) -> str:
    return text_hash(text)[:24]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class State:
    """An open, locked and checked state folder; use it as a context manager so the lock is
    always released. ``notes`` says what opening it did that the user should hear of."""

    def __init__(self, directory: str | Path, *, wait: float = 0.0, recover: bool = False) -> None:
        self.directory = Path(directory)
        self.wait = wait
        self.recover = recover
        self.notes: list[str] = []
        self._lock_file: int | None = None
        self._database: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        return self.directory / DATABASE

    @property
    def good_copy(self) -> Path:
        return self.directory / GOOD_COPY

    def __enter__(self) -> State:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StateError(
                f"cannot create the state folder {self.directory}: {error.strerror}"
            ) from None
        self._lock()
        try:
            self._open()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
        if self._lock_file is not None:
            os.close(self._lock_file)  # closing releases the lock
            self._lock_file = None
        if type(error) is sqlite3.DatabaseError or isinstance(error, sqlite3.OperationalError):
            # damage quick_check did not see, or a disk that filled up: one clear message (other
            # sqlite3 errors, such as IntegrityError, are bugs and keep their traceback)
            raise self._failure(error) from error

    def _open(self) -> None:
        """Check the database before using it; create it whole when there is none."""
        problem = _damage(self.path)
        if not problem and not self.path.exists() and self.good_copy.exists():
            problem = "it is missing, but its last good copy is there"
        if problem and not self.recover:
            raise StateDamagedError(self._damage_message(problem))
        if problem:
            self._recover()
        elif self.recover:
            self.notes.append(f"the state {self.path} is sound: --recover had nothing to do")
        if not self.path.exists():
            _create(self.path)
        database = sqlite3.connect(self.path, isolation_level=None)
        try:
            database.execute("PRAGMA journal_mode=WAL")
            database.execute("PRAGMA synchronous=FULL")
            database.executescript(_SCHEMA)
            self._database = database
            self._upgrade()
        except sqlite3.DatabaseError as error:
            database.close()
            self._database = None
            raise self._failure(error) from None

    def _failure(self, error: sqlite3.DatabaseError) -> StateError:
        if isinstance(error, sqlite3.OperationalError):  # I/O, permissions, a full disk
            return StateError(f"cannot use the digest state {self.path}: {error}")
        return StateDamagedError(self._damage_message(f"it is damaged ({error})"))

    def _damage_message(self, problem: str) -> str:
        start = f"the digest state {self.path} cannot be used: {problem}."
        if self.good_copy.exists():
            return (
                f"{start} Its last good copy, {self.good_copy}, was saved at "
                f"{_saved_at(self.good_copy)}: run again with --recover to keep the damaged file "
                "aside and go on from that copy"
            )
        return (
            f"{start} There is no good copy of it to go back to: run again with --recover to "
            "keep the damaged file aside and start a new state (the digests already written "
            "stay, and a new state never overwrites them)"
        )

    def _recover(self) -> None:
        """Keep the damaged database (and its journal) aside; go on from the good copy if it is
        sound, else from a new state."""
        aside = None
        if self.path.exists():
            number = 1
            while Path(f"{self.path}.damaged-{number}").exists():
                number += 1
            aside = Path(f"{self.path}.damaged-{number}")
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{self.path}{suffix}").exists():
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        kept = f"the damaged state is kept as {aside}; " if aside else ""
        if self.good_copy.exists() and not _damage(self.good_copy):
            temporary = self.path.with_name(DATABASE + ".new")
            shutil.copyfile(self.good_copy, temporary)
            os.replace(temporary, self.path)
            self.notes.append(
                f"recovered the state: {kept}this run goes on from the good copy saved at "
                f"{_saved_at(self.good_copy)} (articles first seen after it count as new again)"
            )
        else:
            self.notes.append(
                f"started a new state: {kept}there was no sound good copy to go back to; the "
                "digests already written stay, and are never overwritten"
            )

    def _upgrade(self) -> None:
        """States from before the file records learn them from their digests' stored text."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] >= _VERSION:
            return
        with self._transaction():
            rows = self.db.execute("SELECT date, outputs FROM digests WHERE status = 'written'")
            for date, outputs in rows.fetchall():
                for path in json.loads(outputs):
                    self.db.execute(
                        "INSERT OR IGNORE INTO files (path, sha256) VALUES (?, ?)",
                        (_file_key(path), text_hash(self.output(date, path))),
                    )
            self.db.execute(f"PRAGMA user_version = {_VERSION}")

    def _keep_good_copy(self) -> str:
        """Copy the state with SQLite's backup API, under a temporary name, then rename it: a run
        killed while copying leaves the previous good copy whole.

        Returns "" or, when the copy cannot be made (a full disk), a warning saying so: the run's
        work is already committed and its files written, so a failed backup must not read as a
        failed run. The partial copy is removed; the previous good copy stays as it was.
        """
        temporary = self.directory / (GOOD_COPY + ".new")
        try:
            temporary.unlink(missing_ok=True)
            backup_database(self.db, temporary)
            os.replace(temporary, self.good_copy)
        except (sqlite3.Error, OSError) as error:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            previous = (
                f"the previous one, saved at {_saved_at(self.good_copy)}, is kept"
                if self.good_copy.exists()
                else "there is none yet"
            )
            return (
                f"warning: this run is saved in the state {self.path}, but its backup copy "
                f"{self.good_copy} could not be written ({reason}); {previous}, and --recover "
                "would go back to it if the state were damaged: free some space"
            )
        return ""

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

    def finish_run(self, run: int, status: str, counts: dict[str, int], message: str = "") -> str:
        """Log the end of a run, then keep the state as it now is as the last good copy.

        Returns "" or a warning that the good copy could not be written (``_keep_good_copy``)."""
        with self._transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, status = ?, counts = ?, message = ? WHERE id = ?",
                (_now(), status, json.dumps(counts, sort_keys=True), message, run),
            )
        return self._keep_good_copy()

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

    def pending_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles WHERE digest IS NULL").fetchone()[0]

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
    def prior_story(self, keys: Sequence[str], before: str) -> PriorStory | None:
        """The story of the newest digest before ``before`` that took any of these articles."""
        found = None
        for start in range(0, len(keys), 500):  # SQLite bounds the parameters of one query
            chunk = list(keys[start : start + 500])
            row = self.db.execute(
                "SELECT s.id, s.digest, s.title, s.lines FROM stories s "
                "JOIN articles a ON a.story = s.id "
                f"WHERE a.key IN ({', '.join('?' * len(chunk))}) AND s.digest < ? "
                "ORDER BY s.digest DESC, s.id LIMIT 1",
                (*chunk, before),
            ).fetchone()
            if row and (found is None or (row[1], -row[0]) > (found[1], -found[0])):
                found = row
        if found is None:
            return None
        return PriorStory(found[0], found[1], found[2], tuple(json.loads(found[3])))

    def active_stories(self, before: str) -> list[tuple[str, int, str]]:
        """The stories left active by the newest digest dated before ``before``, as (that digest's
        date, position, the story's JSON as the grouping stored it), so the digest of ``before``
        starts from them; a digest rebuilt for its own date never starts from itself."""
        return self.db.execute(
            "SELECT digest, position, story FROM active_stories WHERE digest = "
            "(SELECT MAX(digest) FROM active_stories WHERE digest < ?) ORDER BY position",
            (before,),
        ).fetchall()

    def commit_digest(
        self,
        date: str,
        stories: Sequence[StoryRecord],
        outputs: Iterable[tuple[str, bytes]],
        *,
        carried: Sequence[dict[str, Any]] = (),
        absorbed: Mapping[str, str] | None = None,
        active: Sequence[dict[str, Any]] = (),
    ) -> None:
        """Record a digest, its stories and its articles in one transaction, files still to write.

        ``outputs`` are each file's path and its whole text as UTF-8, so any later run can write it
        again; they are stored one at a time as they come (a generator can render them here), so a
        large digest's files are not all held at once.
        ``carried`` are the stories of an earlier file of this date that this state did not
        write, kept in every rebuild of the digest; ``absorbed`` maps that file's path to its
        sha256, so that writing the digest may replace it (its stories are carried).
        ``active`` are the stories still active after this digest, for the next date's articles to
        join; snapshots older than the one this digest started from are dropped.
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
                        "{}",  # the term profiles of earlier releases; active_stories replace them
                        json.dumps(list(story.lines)),
                        story.continues,
                    ),
                )
                self.db.executemany(
                    "UPDATE articles SET digest = ?, story = ? WHERE key = ?",
                    [(date, cursor.lastrowid, key) for key in story.keys],
                )
            self.db.execute(
                "DELETE FROM active_stories WHERE digest < "
                "(SELECT MAX(digest) FROM active_stories WHERE digest < ?)",
                (date,),
            )
            self.db.execute("DELETE FROM active_stories WHERE digest = ?", (date,))
            self.db.executemany(
                "INSERT INTO active_stories (digest, position, story) VALUES (?, ?, ?)",
                [(date, n, json.dumps(data, sort_keys=True)) for n, data in enumerate(active)],
            )
            self.db.execute("DELETE FROM carried WHERE digest = ?", (date,))
            self.db.executemany(
                "INSERT INTO carried (digest, position, story) VALUES (?, ?, ?)",
                [(date, n, json.dumps(data, sort_keys=True)) for n, data in enumerate(carried)],
            )
            self._record_files(absorbed or {})
            self.db.execute("DELETE FROM outputs WHERE digest = ?", (date,))
            paths = []
            for path, data in outputs:
                self.db.execute(
                    "INSERT INTO outputs (digest, path, data) VALUES (?, ?, ?)", (date, path, data)
                )
                paths.append(path)
            self.db.execute(
                "INSERT OR REPLACE INTO digests (date, status, outputs, created) "
                "VALUES (?, 'writing', ?, ?)",
                (date, json.dumps(paths), _now()),
            )

    def carried_stories(self, date: str) -> list[dict[str, Any]]:
        """The stories carried into the digest of ``date`` from a file this state did not write."""
        rows = self.db.execute(
            "SELECT story FROM carried WHERE digest = ? ORDER BY position", (date,)
        ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def unwritten_digests(self) -> list[tuple[str, list[str]]]:
        """Each committed digest whose files are not yet known to be written: its date, its paths."""
        rows = self.db.execute(
            "SELECT date, outputs FROM digests WHERE status = 'writing' ORDER BY date"
        ).fetchall()
        return [(row[0], list(json.loads(row[1]))) for row in rows]

    def output(self, date: str, path: str) -> bytes:
        """The text of one file of the digest of ``date``, as UTF-8 (read alone: files are large)."""
        row = self.db.execute(
            "SELECT data FROM outputs WHERE digest = ? AND path = ?", (date, path)
        ).fetchone()
        if row is not None:
            return row[0]
        # committed by an earlier release: every file's text in one JSON object
        (stored,) = self.db.execute(
            "SELECT outputs FROM digests WHERE date = ?", (date,)
        ).fetchone()
        return json.loads(stored)[path].encode("utf-8")

    def mark_written(self, date: str, hashes: Mapping[str, str] | None = None) -> None:
        """The digest of ``date`` is on disk; ``hashes`` maps each file written to its sha256."""
        with self._transaction():
            self._record_files(hashes or {})
            self.db.execute("UPDATE digests SET status = 'written' WHERE date = ?", (date,))

    def file_hash(self, path: str | Path) -> str | None:
        """The sha256 of the file this state last wrote (or took over) at ``path``, if any."""
        row = self.db.execute(
            "SELECT sha256 FROM files WHERE path = ?", (_file_key(path),)
        ).fetchone()
        return row[0] if row else None

    def _record_files(self, hashes: Mapping[str, str]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO files (path, sha256) VALUES (?, ?)",
            [(_file_key(path), sha) for path, sha in sorted(hashes.items())],
        )

    def latest_digest(self) -> str | None:
        """The date of the latest digest this state holds, or None before the first."""
        row = self.db.execute("SELECT max(date) FROM digests").fetchone()
        return row[0] if row else None

    def has_digest(self, date: str) -> bool:
        row = self.db.execute("SELECT 1 FROM digests WHERE date = ?", (date,)).fetchone()
        return row is not None


def _file_key(path: str | Path) -> str:
    """Files are known by absolute path: a relative ``--out`` names a different file elsewhere."""
    return os.path.abspath(path)


def _damage(path: Path) -> str:
    """What is wrong with the database file at ``path``, or "" when it is sound or absent."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return ""
    if size == 0:
        return "it is empty (0 bytes): it was truncated or emptied"
    try:
        with closing(sqlite3.connect(path)) as database:
            rows = database.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError as error:
        raise StateError(f"cannot open the digest state {path}: {error}") from None
    except sqlite3.DatabaseError as error:
        return f"it is damaged ({error})"
    lines = [
        line
        for (row,) in rows
        if row != "ok"
        for line in str(row).splitlines()
        if not line.startswith("***")
    ]
    return f"it is damaged ({'; '.join(lines[:2])})" if lines else ""


def backup_database(database: sqlite3.Connection, target: Path) -> None:
    """A whole, self-contained copy of ``database`` at ``target`` (SQLite's backup API)."""
    with closing(sqlite3.connect(target)) as copy:
        database.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file


def _create(path: Path) -> None:
    """A new state, made whole under a temporary name and then renamed into place: so a
    ``state.sqlite3`` of 0 bytes is never one of ours, and is reported, not started over."""
    temporary = path.with_name(DATABASE + ".new")
    temporary.unlink(missing_ok=True)
    with closing(sqlite3.connect(temporary)) as database:
        database.executescript(_SCHEMA)
        database.execute(f"PRAGMA user_version = {_VERSION}")
    os.replace(temporary, path)


def _saved_at(path: Path) -> str:
    moment = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    return moment.isoformat(timespec="seconds")


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error: all of a change or none of it."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self.database = database

    def __enter__(self) -> None:
        self.database.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.database.execute("COMMIT" if kind is None else "ROLLBACK")
