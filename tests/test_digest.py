"""`multisum digest` over three days of saved feeds, folders and pages, plus every kind of bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from multisum import digest
from multisum.digests.state import State, StateBusyError
from multisum.errors import OptionsError as DigestError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "digest"
DAY1 = [str(FIXTURES / "day1"), str(FIXTURES / "bad")]
DAY2 = [str(FIXTURES / "day2")]
DAY3 = [str(FIXTURES / "day3"), str(FIXTURES / "day2")]  # feeds keep yesterday's items


def run(tmp_path: Path, sources: list[str], day: str, **options):
    return digest(
        sources,
        state=tmp_path / "state",
        out=tmp_path / "out",
        date=day,
        formats=("markdown", "json"),
        **options,
    )


def load(tmp_path: Path, day: str) -> dict:
    return json.loads((tmp_path / "out" / f"{day}.json").read_text(encoding="utf-8"))


def all_ids(data: dict) -> list[str]:
    return [article for story in data["stories"] for article in story["articles"]]


def test_three_days_take_only_new_articles_and_follow_stories(tmp_path):
    first = run(tmp_path, DAY1, "2026-11-20")
    second = run(tmp_path, DAY2, "2026-11-21")
    third = run(tmp_path, DAY3, "2026-11-22")
    assert (first.new, second.new, third.new) == (7, 4, 2)

    day1, day2, day3 = (load(tmp_path, d) for d in ("2026-11-20", "2026-11-21", "2026-11-22"))
    ids = all_ids(day1) + all_ids(day2) + all_ids(day3)
    assert len(ids) == len(set(ids)) == 13  # every article in exactly one digest

    strike = day1["stories"][0]
    assert "Valmora" in strike["title"] and strike["briefing"] is not None
    assert strike["continues"] is None
    talks = next(s for s in day2["stories"] if "ht-1003" in s["articles"])
    assert talks["continues"]["digest"] == "2026-11-20"
    assert sorted(talks["articles"]) == ["ch-strike-2", "ht-1003"]
    fire = day3["stories"][0]
    assert fire["continues"]["digest"] == "2026-11-21"
    assert "Pine Ridge" in fire["continues"]["title"]


def test_a_continued_story_leads_with_what_is_new(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    run(tmp_path, DAY2, "2026-11-21")
    talks = next(s for s in load(tmp_path, "2026-11-21")["stories"] if s["continues"])
    sections = talks["briefing"]["sections"]
    assert not sections[0]["topic"].startswith("Already reported")
    assert sections[-1]["topic"].startswith("Already reported")
    new_lines = [line["text"] for section in sections[:-1] for line in section["lines"]]
    assert any("Veres" in text or "mediator" in text for text in new_lines)
    markdown = (tmp_path / "out" / "2026-11-21.md").read_text(encoding="utf-8")
    assert "Continues “" in markdown and "from the digest of 2026-11-20" in markdown


def test_single_outlet_stories_are_listed_with_headline_and_link(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    data = load(tmp_path, "2026-11-20")
    library = next(s for s in data["stories"] if s["articles"] == ["ht-1002"])
    assert library["briefing"] is None
    markdown = (tmp_path / "out" / "2026-11-20.md").read_text(encoding="utf-8")
    assert (
        "- [Valmora central library reopens after two-year renovation]"
        "(<https://harbortimes.example/2026/11/20/library-reopens>) — *Harbor Times*"
    ) in markdown


def test_stories_are_ordered_by_how_widely_covered(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    outlets = [len(s["outlets"]) for s in load(tmp_path, "2026-11-20")["stories"]]
    assert outlets == sorted(outlets, reverse=True)


def test_wire_copies_count_once_credited_to_the_original(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    strike = load(tmp_path, "2026-11-20")["stories"][0]
    assert strike["copies"] == [
        {
            "original": "ap-strike",
            "copies": [
                {
                    "id": "md-ap-strike",
                    "outlet": "Metro Daily",
                    "title": "Valmora dockworkers walk out",
                    "url": "https://metrodaily.example/wires/valmora-dockworkers-walk-out",
                    "published": "2026-11-20 08:40:00+00:00",
                },
                {
                    "id": "vc-ap-strike",
                    "outlet": "Valley Courier",
                    "title": "Dockworkers strike at Port of Valmora",
                    "url": "https://valleycourier.example/world/valmora-strike-ap",
                    "published": "2026-11-20 08:10:00+00:00",
                },
            ],
        }
    ]
    assert strike["outlets"] == [
        "Associated Press",
        "Coastal Herald",
        "Harbor Times",
        "Northern Gazette",
    ]
    briefed = {a["id"] for a in strike["briefing"]["articles"]}
    assert "md-ap-strike" not in briefed and "ap-strike" in briefed


def test_header_counts_and_json_contract(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    data = load(tmp_path, "2026-11-20")
    assert data["date"] == "2026-11-20"
    assert data["counts"] == {"read": 7, "new": 7, "stories": 2, "skipped": 6}
    for story in data["stories"]:
        assert set(story) >= {"title", "articles", "briefing"}
    markdown = (tmp_path / "out" / "2026-11-20.md").read_text(encoding="utf-8")
    assert "*7 articles read, 7 new, 2 stories, 6 skipped." in markdown


def test_every_kind_of_bad_input_is_skipped_counted_and_named(tmp_path):
    result = run(tmp_path, DAY1, "2026-11-20")
    reasons = {Path(item.source).name: item.reason for item in result.skipped}
    assert reasons == {
        "broken-feed.xml": reasons["broken-feed.xml"],
        "empty.md": "empty: no article text",
        "latin1.txt": reasons["latin1.txt"],
        "no-article.html": "no article text found on the page",
        "spanish.md": "not in English (multisum summarises English articles)",
        "teaser.md": "too short to be an article (5 words)",
    }
    assert reasons["broken-feed.xml"].startswith("malformed or empty RSS/Atom feed")
    assert "not UTF-8" in reasons["latin1.txt"]
    assert result.counts["skipped"] == 6


def test_a_missing_source_is_skipped_not_fatal(tmp_path):
    result = run(tmp_path, [str(tmp_path / "nowhere"), str(FIXTURES / "day2")], "2026-11-21")
    assert result.new == 7  # day 2's feed still carries day 1's items
    assert result.skipped[0].reason.startswith("no such file or folder")


def test_rerun_with_nothing_new_writes_nothing(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    again = run(tmp_path, DAY1, "2026-11-21")
    assert again.files == () and again.new == 0
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == written
    with State(tmp_path / "state") as state:
        assert [r["status"] for r in state.runs()] == ["ok", "nothing-new"]


def test_a_second_run_on_the_same_day_extends_that_days_digest(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    run(tmp_path, DAY2, "2026-11-20")
    ids = all_ids(load(tmp_path, "2026-11-20"))
    assert len(ids) == len(set(ids)) == 11
    assert "ht-1003" in ids and "ap-strike" in ids


class Killed(Exception):
    pass


def test_a_run_stopped_between_stories_loses_nothing(tmp_path):
    def stop_after_first_story(stage: str, done: int, total: int) -> None:
        if stage == "stories" and done == 1:
            raise Killed

    with pytest.raises(Killed):
        run(tmp_path, DAY1, "2026-11-20", progress=stop_after_first_story)
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir())  # no digest, not even half of one

    complete = run(tmp_path, [str(FIXTURES / "day2")], "2026-11-21")
    ids = all_ids(load(tmp_path, "2026-11-21"))
    assert len(ids) == len(set(ids)) == 11  # day 1's articles from the stopped run, and day 2's
    assert "ap-strike" in ids and "ht-1002" in ids
    assert any("earlier, unfinished run" in note for note in complete.notes)
    with State(tmp_path / "state") as state:
        assert [r["status"] for r in state.runs()] == ["interrupted", "ok"]


def test_a_process_killed_mid_run_loses_nothing_and_repeats_nothing(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, signal
        from multisum import digest

        def kill(stage, done, total):
            if stage == "stories" and done == 1:
                os.kill(os.getpid(), signal.SIGKILL)

        digest({DAY1!r}, state={str(tmp_path / "state")!r}, out={str(tmp_path / "out")!r},
               date="2026-11-20", formats=("json",), progress=kill)
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())

    run(tmp_path, DAY1, "2026-11-20")
    assert len(all_ids(load(tmp_path, "2026-11-20"))) == 7  # wire copies included
    again = run(tmp_path, DAY1 + DAY2, "2026-11-21")
    ids = all_ids(load(tmp_path, "2026-11-20")) + all_ids(load(tmp_path, "2026-11-21"))
    assert again.new == 4 and len(ids) == len(set(ids))


def test_a_digest_committed_but_not_written_is_written_by_the_next_run(tmp_path, monkeypatch):
    import multisum.digests.outputs as outputs

    real_write = outputs.write_atomically

    def fail(path, text):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "write_atomically", fail)
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, DAY1, "2026-11-20")
    monkeypatch.setattr(outputs, "write_atomically", real_write)
    result = run(tmp_path, DAY1, "2026-11-20")
    assert result.new == 0
    assert sorted(p.name for p in result.files) == ["2026-11-20.json", "2026-11-20.md"]
    assert result.notes == ("finished the digest of 2026-11-20 that an earlier run left unwritten",)
    assert len(all_ids(load(tmp_path, "2026-11-20"))) == 7


def test_a_digest_the_previous_release_committed_but_did_not_write_is_written(tmp_path):
    """Earlier releases kept a committed digest's files as one JSON object of their texts; a run
    killed before writing them left them there, and this release writes them byte for byte."""
    first = run(tmp_path, DAY1, "2026-11-20")
    written = {str(path): path.read_bytes() for path in first.files}
    assert any(not data.isascii() for data in written.values())  # curly quotes, dashes
    with State(tmp_path / "state") as state:  # back to the previous release's form, unwritten
        state.db.execute(
            "UPDATE digests SET status = 'writing', outputs = ? WHERE date = '2026-11-20'",
            (json.dumps({path: data.decode("utf-8") for path, data in written.items()}),),
        )
        state.db.execute("DELETE FROM outputs")
    for path in first.files:
        path.unlink()
    result = run(tmp_path, DAY1, "2026-11-20")
    assert result.new == 0
    assert result.notes == ("finished the digest of 2026-11-20 that an earlier run left unwritten",)
    assert {str(path): path.read_bytes() for path in result.files} == written


def test_no_temporary_files_are_left_behind(tmp_path):
    run(tmp_path, DAY1, "2026-11-20")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2026-11-20.json",
        "2026-11-20.md",
    ]


def test_a_second_run_on_the_same_state_is_refused_clearly(tmp_path):
    with (
        State(tmp_path / "state"),
        pytest.raises(StateBusyError, match="another digest is running"),
    ):
        run(tmp_path, DAY1, "2026-11-20")
    assert run(tmp_path, DAY1, "2026-11-20").new == 7  # the lock is released afterwards


def test_since_skips_older_articles(tmp_path):
    result = run(tmp_path, DAY3, "2026-11-22", since="2026-11-22")
    assert result.new == 2
    assert sum("published before" in s.reason for s in result.skipped) == 9


def test_bad_options_are_user_errors(tmp_path):
    with pytest.raises(DigestError, match="YYYY-MM-DD"):
        run(tmp_path, DAY1, "20-11-2026")
    with pytest.raises(DigestError, match="--since"):
        run(tmp_path, DAY1, "2026-11-20", since="last week")


def test_html_output_escapes_article_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    body = (
        "Officials said the <script>alert(1)</script> tag was found in a report on the city "
        "council's website, which was taken offline on Tuesday while engineers checked every "
        "page. The council's spokesperson said no personal data had been exposed and that the "
        "site would return once an outside firm had reviewed its code."
    )
    (folder / "a.md").write_text(f"---\noutlet: A\ntitle: <b>Bold</b> claim\n---\n\n{body}\n")
    digest([folder], state=tmp_path / "s", out=tmp_path / "o", date="2026-11-20", formats=["html"])
    page = (tmp_path / "o" / "2026-11-20.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;b&gt;Bold&lt;/b&gt; claim" in page


def test_the_whole_digest_runs_with_sockets_blocked(tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert run(tmp_path, DAY1, "2026-11-20").new == 7


def test_package_exports_digest():
    import multisum

    assert "digest" in multisum.__all__ and callable(multisum.digest)
    assert os.fspath(FIXTURES)  # fixtures ship with the tests


def test_a_broken_json_line_costs_that_line_not_the_file(tmp_path):
    import frontmatter

    folder = tmp_path / "in"
    folder.mkdir()
    story = frontmatter.load(FIXTURES / "day1" / "articles" / "coastal-herald-strike.md")
    good = {"id": "herald-1", "outlet": "Coastal Herald", "title": story["title"]}
    lines = [
        json.dumps({**good, "text": story.content}),
        '{"id": "cut-off", "text": "The port authority said',
        json.dumps({"id": "no-text", "outlet": "Coastal Herald"}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = digest([folder], state=tmp_path / "s", out=tmp_path / "o", date="2026-11-20")
    assert result.new == 1
    assert [s.articles[0].id for s in result.stories] == ["herald-1"]
    reasons = {item.source: item.reason for item in result.skipped}
    assert reasons[f"{folder / 'feed.jsonl'}, line 2"].startswith("not valid JSON")
    assert (
        reasons[f"{folder / 'feed.jsonl'}, line 3 (id no-text)"]
        == 'each line needs a "text" string'
    )


def test_a_page_of_only_furniture_is_skipped_as_having_no_article_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "saved.md").write_text(
        "---\noutlet: Archive copy\n---\n\n"
        "Since 2001 this crawl of news front pages has been given to the Internet Archive, "
        "where its captures join the Wayback Machine after a delay.\n\n"
        "Tweet with a location\n\n"
        "You can add location information to your Tweets, such as your city, from the web and "
        "via third-party applications.\n\n"
        "Sign up for our morning newsletter and get the day's top stories in your inbox.\n",
        encoding="utf-8",
    )
    result = digest([folder], state=tmp_path / "s", out=tmp_path / "o", date="2026-11-20")
    assert result.new == 0
    (skipped,) = result.skipped
    assert (
        skipped.reason == "no article text: only page furniture (notices, sign-up forms, captions)"
    )


def test_digest_files_follow_the_umask_so_a_web_server_can_read_them(tmp_path):
    import stat

    previous = os.umask(0o022)
    try:
        run(tmp_path, DAY1, "2026-11-20")
    finally:
        os.umask(previous)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").iterdir()}
    assert modes == {"2026-11-20.json": 0o644, "2026-11-20.md": 0o644}


def test_bad_feed_items_and_sources_cost_only_themselves_on_every_run(tmp_path):
    faults = [str(FIXTURES / "faults"), "http://[::1", *DAY1]
    first = run(tmp_path, faults, "2026-11-20")
    again = run(tmp_path, faults, "2026-11-21")
    assert (first.new, again.new) == (9, 0)  # day 1's 7 and the two good fault items
    for result in (first, again):
        named = {item.source: item.reason for item in result.skipped}
        feed, lines = FIXTURES / "faults" / "bad-links.xml", FIXTURES / "faults" / "bad-lines.jsonl"
        assert named[f"{feed}, item 1"].startswith("its link is not a valid URL")
        assert named["http://[::1"].startswith("not a valid URL (Invalid IPv6 URL)")
        assert f"{lines}, line 2 (id rvp-teaser)" in named


def test_many_skips_are_summed_up_in_the_digest_and_listed_in_full_in_its_json(tmp_path):
    folder = tmp_path / "teasers"
    folder.mkdir()
    for number in range(12):
        (folder / f"teaser-{number:02d}.md").write_text(
            f"Read the full story number {number} on our website.\n", encoding="utf-8"
        )
    run(tmp_path, [*DAY1, str(folder)], "2026-11-20")
    data = load(tmp_path, "2026-11-20")
    assert len(data["skipped"]) == 18  # the 6 bad files of day 1 and the 12 teasers
    markdown = (tmp_path / "out" / "2026-11-20.md").read_text(encoding="utf-8")
    skipped = markdown.split("## Skipped\n", 1)[1].strip().splitlines()
    assert skipped[0] == (
        f"- 13 × too short to be an article (e.g. {FIXTURES / 'bad' / 'teaser.md'}; "
        f"{folder / 'teaser-00.md'}; {folder / 'teaser-01.md'})".replace("_", r"\_")
    )
    assert len(skipped) == 1 + 5 + 2  # one line per reason, a blank line, where the rest are
    spanish = str(FIXTURES / "bad" / "spanish.md").replace("_", r"\_")
    assert f"- {spanish}: not in English (multisum summarises English articles)" in skipped
    assert skipped[-1].startswith("Each skipped item is named in the JSON digest")


def test_a_story_without_headlines_is_titled_from_its_briefing_lead(tmp_path):
    """Five outlets on Putin in Vietnam, as JSON lines without titles: the story's title is what
    its briefing says first, not the placeholder "Briefing"."""
    from conftest import CORPUS

    from multisum.pipeline.ingest import read_articles

    feed = tmp_path / "untitled.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"id": a.id, "outlet": a.outlet, "published": a.published, "text": a.text})
            + "\n"
            for a in read_articles([CORPUS])
        ),
        encoding="utf-8",
    )
    run(tmp_path, [str(feed)], "2024-06-21")
    (story,) = load(tmp_path, "2024-06-21")["stories"]
    lead = story["briefing"]["sections"][0]["lines"][0]["text"]
    assert story["title"] != "Briefing"
    assert story["title"].removesuffix("...") in lead
    assert len(story["title"]) <= 90


def test_an_active_story_the_state_cannot_read_costs_that_story_not_the_run(tmp_path):
    """A stored active story that no longer reads (an edited or damaged row) is left out with a
    note naming the state and the row; the day's digest is written and the others continue."""
    import sqlite3
    from contextlib import closing

    run(tmp_path, DAY1, "2026-11-20")
    state = tmp_path / "state" / "state.sqlite3"
    with closing(sqlite3.connect(state)) as db:
        rows = db.execute("SELECT position, story FROM active_stories ORDER BY position").fetchall()
        (key,) = db.execute("SELECT key FROM articles WHERE id = 'ch-strike-1'").fetchone()
        talks = next(p for p, story in rows if key in json.loads(story)["keys"])
        (other, story) = next((p, story) for p, story in rows if p != talks)
        broken = {**json.loads(story), "terms": "not base64!"}
        db.execute(
            "UPDATE active_stories SET story = ? WHERE position = ?", (json.dumps(broken), other)
        )
        db.execute(  # and one row cut short
            "INSERT INTO active_stories VALUES ('2026-11-20', ?, '{\"keys\": [')", (len(rows),)
        )
        db.commit()
    second_day = run(tmp_path, DAY2, "2026-11-21")
    notes = [note for note in second_day.notes if "active story it cannot read" in note]
    assert len(notes) == 2
    assert all(str(state) in note and "digest of 2026-11-20" in note for note in notes)
    assert f"story {other + 1} kept" in notes[0] and "base64" in notes[0]
    assert f"story {len(rows) + 1} kept" in notes[1] and "Expecting value" in notes[1]
    talks_today = next(
        s for s in load(tmp_path, "2026-11-21")["stories"] if "ht-1003" in s["articles"]
    )
    assert talks_today["continues"]["digest"] == "2026-11-20"
    assert second_day.new == 4


def test_stories_hold_their_articles_as_cleaned_not_a_second_copy_as_read(tmp_path):
    """At firehose volume the client must not hold every article twice: a digest story keeps the
    cleaned article (what its briefing quotes), the page furniture gone, its title as read."""
    from dataclasses import replace

    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.ingest import read_articles

    folder = tmp_path / "articles"
    folder.mkdir()
    for source in (FIXTURES / "day1" / "articles").glob("*.md"):
        text = source.read_text(encoding="utf-8")
        noisy = text + "\nSign up for our newsletter to get the latest news in your inbox.\n"
        (folder / source.name).write_text(noisy, encoding="utf-8")
    result = digest(
        [str(folder)], state=tmp_path / "state", out=tmp_path / "out", date="2026-11-20"
    )
    as_read = {article.id: article for article in read_articles([folder])}
    held = [a for story in result.stories for a in story.articles]
    held += [a for story in result.stories for _, copies in story.copies for a in copies]
    assert sorted(a.id for a in held) == sorted(as_read)
    for article in held:
        assert "newsletter" in as_read[article.id].text
        assert article == replace(clean_article(as_read[article.id]), title=article.title)
        assert article.title == as_read[article.id].title
        assert "newsletter" not in article.text


def test_files_with_one_stem_keep_their_own_outlets_in_a_digest(tmp_path):
    corpus = Path(__file__).resolve().parents[1] / "corpus" / "putin-vietnam-2024"
    pages = tmp_path / "pages"
    for name, where in [
        ("guardian", "a/index.md"),
        ("reuters", "b/index.md"),
        ("ap", "c/index-2.md"),
    ]:
        text = (corpus / f"{name}.md").read_text(encoding="utf-8").replace(f"id: {name}\n", "")
        (pages / where).parent.mkdir(parents=True)
        (pages / where).write_text(text, encoding="utf-8")
    run(tmp_path, [str(pages)], "2024-06-21")
    (story,) = load(tmp_path, "2024-06-21")["stories"]
    briefing = story["briefing"]
    outlets = {a["id"]: a["outlet"] for a in briefing["articles"]}
    assert outlets == {
        "index": "The Guardian",
        "index-3": "Reuters",
        "index-2": "Associated Press",
    }
    texts = {
        name: " ".join((corpus / f"{name}.md").read_text(encoding="utf-8").split())
        for name in ("guardian", "reuters", "ap")
    }
    by_outlet = {"The Guardian": "guardian", "Reuters": "reuters", "Associated Press": "ap"}
    for section in briefing["sections"]:
        for line in section["lines"]:
            first = outlets[line["sources"][0]["article"]]
            assert " ".join(line["text"].split()) in texts[by_outlet[first]], first


def test_an_article_over_the_size_limit_is_skipped_before_it_is_prepared(tmp_path):
    """A 4 MB article took a digest past 12 GB and 19 minutes; it is now a skip, as in brief,
    named with the limit and the flag that raises it, and the other articles are digested."""
    body = (ROOT / "corpus" / "putin-vietnam-2024" / "guardian.md").read_text(encoding="utf-8")
    big = tmp_path / "sources" / "big.md"
    big.parent.mkdir()
    text = body.split("---", 2)[2]
    big.write_text(
        "---\ntitle: Long read\noutlet: The Long Read\n---\n\n" + text * (1 + 600_000 // len(text)),
        encoding="utf-8",
    )
    result = run(tmp_path, [*DAY2, str(big.parent)], "2026-11-21")
    [(name, reason)] = [(Path(s.source).name, s.reason) for s in result.skipped]
    assert name == "big.md"
    assert reason.startswith("too large for an article (615.6 kB; the limit is 500 kB")
    assert reason.endswith("raise it with --max-article-size)")
    assert result.new == 7  # day 2's articles, digested
    smaller = run(tmp_path / "again", [*DAY2], "2026-11-21", max_article_size=600)
    assert smaller.new == 5  # the feed items of 630 and 721 bytes are skipped
    assert [s.reason[:26] for s in smaller.skipped] == ["too large for an article ("] * 2
