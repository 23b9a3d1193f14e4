"""Nothing lost: a digest replaces a file only when its state wrote it. An earlier JSON digest of
the date that the state has no record of has its stories carried into the new one; any other
unknown file is kept aside as DATE.kept-N.ext, and the run names both paths."""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import threading
from pathlib import Path

import pytest

from multisum import digest
from multisum.digests.outputs import CARRIED_NOTE, digest_stories
from multisum.errors import StateDamagedError

FIXTURES = Path(__file__).parent / "fixtures" / "digest"
DAY1 = [str(FIXTURES / "day1")]
DAY2 = [str(FIXTURES / "day2")]
DATE = "2026-11-20"


def run(tmp_path: Path, sources: list[str], *, state: str = "state", **options):
    return digest(
        sources,
        state=tmp_path / state,
        out=tmp_path / "out",
        date=DATE,
        formats=options.pop("formats", ("json",)),
        **options,
    )


def stories(tmp_path: Path, name: str = f"{DATE}.json") -> list[dict]:
    return json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))["stories"]


def ids(found: list[dict]) -> set[str]:
    return {article for story in found for article in story["articles"]}


def out_files(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "out").iterdir())


def test_the_issue_repro_an_emptied_state_loses_no_stories(tmp_path):
    """`digest day1; : > state.sqlite3; digest day2` on one date used to drop day 1's stories."""
    run(tmp_path, DAY1)
    day1 = (tmp_path / "out" / f"{DATE}.json").read_bytes()
    (tmp_path / "state" / "state.sqlite3").write_bytes(b"")
    with pytest.raises(StateDamagedError, match="it is empty"):
        run(tmp_path, DAY2)
    assert (tmp_path / "out" / f"{DATE}.json").read_bytes() == day1  # untouched

    result = run(tmp_path, DAY2, recover=True)
    assert ids(json.loads(day1)["stories"]) <= ids(stories(tmp_path))
    assert "ht-1004" in ids(stories(tmp_path))  # and day 2's new stories
    assert result.notes[0].startswith("recovered the state")
    assert out_files(tmp_path) == [f"{DATE}.json"]  # the state knew the file: replaced


def test_under_another_state_the_json_is_merged_and_other_files_kept_aside(tmp_path):
    run(tmp_path, DAY1, formats=("json", "markdown"))
    day1_ids = ids(stories(tmp_path))
    day1_markdown = (tmp_path / "out" / f"{DATE}.md").read_text(encoding="utf-8")

    result = run(tmp_path, DAY2, state="other", formats=("json", "markdown"))
    merged = stories(tmp_path)
    assert day1_ids <= ids(merged)
    carried = [story for story in merged if CARRIED_NOTE in story["notes"]]
    assert [story["articles"][0] for story in carried] == ["ap-strike"]  # the strike of day 1
    assert result.counts["stories"] == len(merged)

    out = tmp_path / "out"
    assert out_files(tmp_path) == [f"{DATE}.json", f"{DATE}.kept-1.md", f"{DATE}.md"]
    assert (out / f"{DATE}.kept-1.md").read_text(encoding="utf-8") == day1_markdown
    assert (
        f"{out / f'{DATE}.md'} was not written by this digest state (its record was lost, or the "
        f"file was changed since), so it is kept as {out / f'{DATE}.kept-1.md'}; the new digest "
        f"is {out / f'{DATE}.md'}"
    ) in result.notes
    assert any(note.startswith(f"{out / f'{DATE}.json'} was not written") for note in result.notes)
    markdown = (out / f"{DATE}.md").read_text(encoding="utf-8")
    assert "Thousands of dockworkers walked off the job" in markdown  # a carried briefing line
    assert "was not written by this digest state" not in markdown  # said to the operator only


def test_carried_stories_stay_in_later_runs_of_the_date(tmp_path):
    run(tmp_path, DAY1)
    day1_ids = ids(stories(tmp_path))
    run(tmp_path, DAY2, state="other")
    third = run(tmp_path, [str(FIXTURES / "day3")], state="other")
    assert third.new == 2
    assert day1_ids <= ids(stories(tmp_path))  # carried again, from the state
    assert out_files(tmp_path) == [f"{DATE}.json"]
    assert not any("was not written" in note for note in third.notes)


def test_carried_stories_drop_out_once_their_articles_are_back(tmp_path):
    """Rerunning the same sources after the state was lost gives the same digest, not two of it."""
    run(tmp_path, DAY1, formats=("json", "markdown"))
    before = {name: (tmp_path / "out" / name).read_bytes() for name in out_files(tmp_path)}
    result = run(tmp_path, DAY1, state="other", formats=("json", "markdown"))
    assert result.carried == ()
    after = {name: (tmp_path / "out" / name).read_bytes() for name in out_files(tmp_path)}
    assert after == before  # deterministic: the same files, nothing kept aside


def test_a_hand_edited_digest_is_kept_aside_not_overwritten(tmp_path):
    run(tmp_path, DAY1, formats=("markdown",))
    markdown = tmp_path / "out" / f"{DATE}.md"
    edited = markdown.read_text(encoding="utf-8") + "\nMy notes for the morning meeting.\n"
    markdown.write_text(edited, encoding="utf-8")
    run(tmp_path, DAY2, formats=("markdown",))
    assert (tmp_path / "out" / f"{DATE}.kept-1.md").read_text(encoding="utf-8") == edited
    assert "Pine Ridge" in markdown.read_text(encoding="utf-8")


def test_a_file_that_is_not_a_digest_is_kept_aside_whole_and_kept_files_never_clash(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{DATE}.kept-1.json").write_text("an older keeper\n", encoding="utf-8")
    mine = '{"my": "reading list"}\n'
    (out / f"{DATE}.json").write_text(mine, encoding="utf-8")
    result = run(tmp_path, DAY1)
    assert result.carried == ()
    assert (out / f"{DATE}.kept-1.json").read_text(encoding="utf-8") == "an older keeper\n"
    assert (out / f"{DATE}.kept-2.json").read_text(encoding="utf-8") == mine
    assert len(stories(tmp_path)) == 2


def test_a_digest_left_unwritten_does_not_overwrite_a_file_written_meanwhile(tmp_path, monkeypatch):
    import multisum.digests.outputs as outputs

    real_write = outputs.write_atomically

    def killed(path, text):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "write_atomically", killed)
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, DAY1, formats=("markdown",))
    monkeypatch.setattr(outputs, "write_atomically", real_write)
    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "out" / f"{DATE}.md").write_text("written by hand meanwhile\n", encoding="utf-8")

    result = run(tmp_path, DAY1, formats=("markdown",))
    kept = tmp_path / "out" / f"{DATE}.kept-1.md"
    assert kept.read_text(encoding="utf-8") == "written by hand meanwhile\n"
    assert any(f"so it is kept as {kept}" in note for note in result.notes)


@pytest.mark.parametrize(
    "document",
    [
        b"\xff\xfe not text",
        b"[1, 2]",
        json.dumps({"date": "2026-11-21", "stories": []}).encode(),
        json.dumps({"date": DATE, "stories": [{"title": "no links"}]}).encode(),
        json.dumps(
            {
                "date": DATE,
                "stories": [
                    {
                        "title": "t",
                        "articles": ["a"],
                        "outlets": ["A"],
                        "notes": [],
                        "links": [{"id": "a", "outlet": "A", "title": "t", "url": 5}],
                        "copies": [],
                        "continues": None,
                        "briefing": None,
                    }
                ],
            }
        ).encode(),
    ],
    ids=["not-utf8", "not-an-object", "another-date", "missing-fields", "wrong-type"],
)
def test_only_a_whole_digest_of_the_date_is_read_as_one(document):
    assert digest_stories(document, DATE) is None


def test_a_hostile_carried_story_is_rendered_as_safely_as_any_other(tmp_path):
    """A JSON file in the output folder is input: its links go through safe_url, its text is
    escaped, like a feed's."""
    hostile = {
        "title": "<script>alert(1)</script> [x](javascript:alert(2))",
        "articles": ["evil"],
        "outlets": ["Evil <b>Gazette</b>"],
        "notes": [],
        "links": [
            {
                "id": "evil",
                "outlet": "Evil <b>Gazette</b>",
                "title": "t",
                "url": "javascript:alert(3)",
                "published": "",
            }
        ],
        "copies": [],
        "continues": None,
        "briefing": {
            "sections": [
                {
                    "topic": "<img src=x onerror=alert(4)>",
                    "lines": [{"text": "A line.", "corroboration": {"outlets": ["<i>A</i>"]}}],
                }
            ]
        },
    }
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{DATE}.json").write_text(json.dumps({"date": DATE, "stories": [hostile]}))
    result = run(tmp_path, DAY1, formats=("json", "markdown", "html"))
    assert len(result.carried) == 1
    page = (out / f"{DATE}.html").read_text(encoding="utf-8")
    markdown = (out / f"{DATE}.md").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"(?<!\\)\]\(\s*<?\s*javascript:", markdown)  # no live link
    assert "(<javascript:" not in markdown
    assert r"\<script\>alert(1)\</script\>" in markdown


def test_the_json_digest_is_written_story_by_story_as_one_dump_would_write_it(tmp_path):
    """The JSON file is dumped one story at a time (a firehose's digest is large); its text must be
    what one ``json.dumps`` of the whole digest gives: with stories, carried stories (a second
    state's run on a date whose file it did not write), none at all, and unusual text."""
    from dataclasses import replace

    from multisum.model import Article, DigestStory
    from multisum.render.digest import digest_to_dict, render_digest

    def one_dump(result) -> str:
        return json.dumps(digest_to_dict(result), ensure_ascii=False, indent=2) + "\n"

    first = run(tmp_path, DAY1)
    second = run(tmp_path, DAY2, state="other")
    assert first.stories and second.carried
    odd = Article('id\n"x"', "text", "Outlet 🦀", title='  "stories": [],\n  ü\u2028')
    strange = replace(first, stories=(DigestStory('"stories": [],', (odd,), (), None),))
    for result in (first, second, replace(first, stories=()), strange):
        assert render_digest(result, "json") == one_dump(result)


def test_a_digest_encoded_as_it_is_rendered_is_its_text_as_utf8(tmp_path, monkeypatch):
    """The digest's files are encoded piece by piece as they are rendered (a firehose's digest is
    never one string): the bytes are exactly the rendered text's, in every format, also when an
    encoded chunk ends inside a run of line breaks or before a character of several bytes."""
    from dataclasses import replace

    import multisum.render.digest as rendering
    from multisum.model import Article, DigestStory

    first = run(tmp_path, DAY1)
    second = run(tmp_path, DAY2, state="other")
    odd = Article("odd", "text", "Outlet 🦀", title="ü\u2028 — “quoted”\n\n")
    strange = replace(first, stories=(*first.stories, DigestStory("🦀", (odd,), (), None)))
    for chunk in (rendering.ENCODE_CHARACTERS, 1, 7):
        monkeypatch.setattr(rendering, "ENCODE_CHARACTERS", chunk)
        for result in (first, second, replace(first, stories=()), strange):
            for kind in ("json", "markdown", "html"):
                text = rendering.render_digest(result, kind)
                assert text.endswith("\n") and not text.endswith("\n\n")
                assert rendering.encode_digest(result, kind) == text.encode("utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_at_a_digest_path_is_kept_aside_unopened(tmp_path):
    """Reading a named pipe waits for a writer that never comes: the run used to hang on it.
    Now it is kept aside as it is (never opened) and the digest is written."""
    out = tmp_path / "out"
    out.mkdir()
    pipes = [out / f"{DATE}.json", out / f"{DATE}.md"]
    for pipe in pipes:
        os.mkfifo(pipe)
    finished: list[object] = []
    worker = threading.Thread(
        target=lambda: finished.append(run(tmp_path, DAY1, formats=("json", "markdown"))),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=120)
    try:
        assert finished, "the digest waited on the named pipe"
    finally:
        for pipe in pipes:  # let a reader stuck on the old code go
            with contextlib.suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert out_files(tmp_path) == [
        f"{DATE}.json",
        f"{DATE}.kept-1.json",
        f"{DATE}.kept-1.md",
        f"{DATE}.md",
    ]
    assert stat.S_ISFIFO((out / f"{DATE}.kept-1.json").stat().st_mode)
    assert stories(tmp_path)  # the new digest, a regular file
    assert any(f"so it is kept as {out / f'{DATE}.kept-1.md'}" in n for n in finished[0].notes)
