"""Write a digest's files without losing anyone's data.

A digest replaces a file only when its state wrote that file (the file's sha256 is the one the
state recorded) or when the file already holds exactly the new text. Any other file at a digest's
path (written before the state was lost or emptied, written under another ``--state``, or edited
by hand) is kept: a JSON digest of the same date is read and its stories that the new digest
lacks are carried into it; anything else is renamed aside as ``DATE.kept-N.ext``, and the run
says so, naming both paths.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from itertools import count
from pathlib import Path
from typing import Any

from multisum.digests.state import State, article_key
from multisum.errors import OutputError
from multisum.model import Article, CarriedStory, DigestStory, text_hash
from multisum.render.files import write_atomically

#: The note a carried story gets, once, in its ``notes``.
CARRIED_NOTE = "kept from an earlier version of this digest that the state has no record of"


def carry_stories(
    memory: State, day: str, json_file: Path | None, stories: Sequence[DigestStory]
) -> tuple[tuple[CarriedStory, ...], dict[str, str], list[str]]:
    """The stories to carry into the digest of ``day``, the unknown file they were taken from
    (path to sha256: writing the digest may then replace it), and a note for the user.

    They are the stories carried before, and those of an unknown JSON digest at ``json_file``,
    less any whose articles are all in ``stories`` again (read anew after the state was lost).
    """
    carried = memory.carried_stories(day)
    absorbed: dict[str, str] = {}
    notes: list[str] = []
    if json_file is not None:
        found = _unknown_digest(memory, day, json_file)
        if found is not None:
            sha, earlier = found
            absorbed[str(json_file)] = sha
            carried.extend(earlier)
            notes.append(
                f"{json_file} was not written by this digest state (its record was lost, or "
                "the file was written under another --state); its stories are kept in the new "
                "digest"
            )
    present = {
        _identity(article.id, article.url)
        for story in stories
        for article in (*story.articles, *(a for _, group in story.copies for a in group))
    }
    kept: dict[str, dict[str, Any]] = {}
    for story in carried:
        if not _story_identities(story) <= present:
            kept.setdefault(json.dumps(story, sort_keys=True), story)
    return tuple(CarriedStory(s["title"], s) for s in kept.values()), absorbed, notes


def write_digest_files(memory: State, day: str, paths: Sequence[str]) -> list[str]:
    """Write the files of the digest of ``day`` from the state's copy, one at a time; any unknown
    file at one of their paths is kept aside first. Returns a note naming both paths for each
    file kept."""
    notes = []
    hashes = {}
    for name in paths:
        path = Path(name)
        data = memory.output(day, name)
        new = text_hash(data)
        kept = _keep_unknown(path, {memory.file_hash(path), new})
        if kept is not None:
            notes.append(
                f"{path} was not written by this digest state (its record was lost, or the file "
                f"was changed since), so it is kept as {kept}; the new digest is {path}"
            )
        write_atomically(path, data)
        hashes[name] = new
    memory.mark_written(day, hashes)
    return notes


def _keep_unknown(path: Path, known: set[str | None]) -> Path | None:
    """Rename the file at ``path`` to ``DATE.kept-N.ext`` unless its sha256 is ``known``.

    Anything there that is not a regular file (a named pipe, a socket, a device, a folder) is
    never opened, since reading a pipe waits for a writer forever: it is kept aside as it is.
    """
    if _regular_or_absent(path):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise OutputError(
                f"cannot read {path} to check who wrote it: {error.strerror}"
            ) from None
        if text_hash(data) in known:
            return None
    kept = next(
        candidate
        for number in count(1)
        if not (candidate := path.with_name(f"{path.stem}.kept-{number}{path.suffix}")).exists()
    )
    try:
        os.rename(path, kept)
    except OSError as error:
        raise OutputError(
            f"cannot keep {path} aside as {kept} before writing the new digest: {error.strerror}"
        ) from None
    return kept


def _unknown_digest(memory: State, day: str, path: Path) -> tuple[str, list[dict[str, Any]]] | None:
    """The sha256 and stories of the JSON digest of ``day`` at ``path`` when this state did not
    write it; None when there is no such file, the state wrote it, or it is not a digest."""
    if not _regular_or_absent(path):
        return None  # a pipe or a device is no digest, and reading a pipe would wait forever
    try:
        data = path.read_bytes()
    except OSError:
        return None  # absent, or unreadable: writing will say so
    sha = text_hash(data)
    if sha == memory.file_hash(path):
        return None
    stories = digest_stories(data, day)
    return (sha, stories) if stories is not None else None


def _regular_or_absent(path: Path) -> bool:
    """Whether ``path`` is a regular file (through links) or nothing at all."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # absent, or unreadable: reading it says which


def digest_stories(data: bytes, day: str) -> list[dict[str, Any]] | None:
    """The stories of a JSON digest of ``day`` as multisum writes it, each marked as carried;
    None for anything else (another date, another program's JSON, a damaged file), which is then
    kept aside whole rather than half-read."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("date") != day:
        return None
    stories = document.get("stories")
    if not isinstance(stories, list) or not all(_is_story(story) for story in stories):
        return None
    return [
        {
            **story,
            "notes": [*story["notes"], *([] if CARRIED_NOTE in story["notes"] else [CARRIED_NOTE])],
        }
        for story in stories
    ]


def _is_story(story: object) -> bool:
    """Whether ``story`` has every field the digest's JSON contract and templates use."""
    if not isinstance(story, dict):
        return False
    continues = story.get("continues")
    briefing = story.get("briefing")
    return (
        isinstance(story.get("title"), str)
        and _strings(story.get("articles"))
        and _strings(story.get("outlets"))
        and _strings(story.get("notes"))
        and isinstance(story.get("links"), list)
        and bool(story["links"])
        and all(_is_link(link) for link in story["links"])
        and isinstance(story.get("copies"), list)
        and all(
            isinstance(copy, dict)
            and isinstance(copy.get("original"), str)
            and isinstance(copy.get("copies"), list)
            and all(_is_link(link) for link in copy["copies"])
            for copy in story["copies"]
        )
        and (
            continues is None
            or (
                isinstance(continues, dict)
                and isinstance(continues.get("digest"), str)
                and isinstance(continues.get("title"), str)
            )
        )
        and (briefing is None or _is_briefing(briefing))
    )


def _is_briefing(briefing: object) -> bool:
    return (
        isinstance(briefing, dict)
        and isinstance(briefing.get("sections"), list)
        and all(
            isinstance(section, dict)
            and isinstance(section.get("topic"), str)
            and isinstance(section.get("lines"), list)
            and all(
                isinstance(line, dict)
                and isinstance(line.get("text"), str)
                and isinstance(line.get("corroboration"), dict)
                and _strings(line["corroboration"].get("outlets"))
                for line in section["lines"]
            )
            for section in briefing["sections"]
        )
    )


def _is_link(link: object) -> bool:
    return isinstance(link, dict) and all(
        isinstance(link.get(key), str) for key in ("id", "outlet", "title", "url", "published")
    )


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _story_identities(story: Mapping[str, Any]) -> set[str]:
    links: Iterable[Mapping[str, str]] = [
        *story["links"],
        *(link for copy in story["copies"] for link in copy["copies"]),
    ]
    return {_identity(link["id"], link["url"]) for link in links}


def _identity(article_id: str, url: str) -> str:
    """The same article in two digests: its state key by URL, else its id."""
    if url:
        return article_key(Article(id=article_id, text="", outlet="", url=url))
    return f"id:{article_id}"
