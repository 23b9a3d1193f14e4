"""Reading articles: front matter, plain text, JSON lines, outlet detection and input errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, corpus_text

from multisum.errors import InputError, OutputError
from multisum.options import format_size
from multisum.pipeline.ingest import (
    check_output_path,
    gather_articles,
    is_multisum_output,
    outlet_from_text,
    read_articles,
)


def test_corpus_front_matter(corpus):
    articles = read_articles([corpus])
    assert [a.id for a in articles] == ["ap", "guardian", "newsweek", "reuters", "wsws"]
    guardian = articles[1]
    assert guardian.outlet == "The Guardian"
    assert guardian.outlet_known
    assert guardian.published == "2024-06-20"
    assert guardian.author == "Rebecca Ratcliffe"
    assert guardian.path == str(corpus / "guardian.md")


def test_corpus_body_is_the_seed_text_as_captured(corpus):
    body = (corpus / "newsweek.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "Disclaimer: The copyright of this article belongs" in body
    assert body.startswith("Putin Strikes New Deal on Asia Tour")


def test_outlet_from_a_byline_footer_and_from_the_text():
    assert outlet_from_text(
        "Text.\n\nBy Rebecca Ratcliffe\u00a0– The Guardian with Reuters – June 20"
    ) == (
        "The Guardian",
        "Rebecca Ratcliffe",
    )
    assert outlet_from_text("Newsweek has contacted the State Department.")[0] == "Newsweek"
    assert outlet_from_text("LONDON (AP) _ A lawmaker said.")[0] == "Associated Press"


def test_outlet_unknown_falls_back_to_the_file_name(tmp_path):
    path = tmp_path / "story-7.txt"
    path.write_text("Putin arrived in Hanoi on Thursday for a state visit.", encoding="utf-8")
    (article,) = read_articles([path])
    assert article.outlet == "story-7"
    assert not article.outlet_known


def test_jsonl_ids_and_fields(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        {"id": "x1", "source": "Reuters", "text": "Putin arrived.", "date": "2024-06-20"},
        {"text": "Lam met Putin.", "outlet": "AP", "title": "T", "url": "https://e.com/a"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    first, second = read_articles([path])
    assert (first.id, first.outlet, first.published) == ("x1", "Reuters", "2024-06-20")
    assert (second.id, second.outlet, second.url) == ("feed-2", "AP", "https://e.com/a")
    assert second.path == str(path)


def test_jsonl_line_without_text(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r'line 1 \(id a\): each line needs a "text" string'):
        read_articles([path])


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        read_articles([tmp_path / "nope"])
    with pytest.raises(InputError, match="holds no article files"):
        read_articles([tmp_path])


def test_non_utf8_bytes_are_named(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 au lait".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.txt: not UTF-8 text \(byte 0xe9 at offset 3\)"):
        read_articles([path])


def test_unsupported_file_type(tmp_path):
    path = tmp_path / "story.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"unsupported file type \.pdf"):
        read_articles([path])


def test_duplicate_ids_are_made_unique(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text("One sentence here.", encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text("Another sentence.", encoding="utf-8")
    assert [a.id for a in read_articles([tmp_path])] == ["story", "story-2"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_files_with_a_byte_order_mark_read_like_utf8(corpus, tmp_path, encoding):
    original = (corpus / "ap.md").read_text(encoding="utf-8")
    data = original.encode(encoding)
    if encoding.endswith("-be"):  # Python writes no mark for an explicit byte order: add it
        data = ("\ufeff" + original).encode(encoding)
    assert data[:2] in (b"\xef\xbb", b"\xff\xfe", b"\xfe\xff", b"\x00\x00")
    path = tmp_path / "ap.md"
    path.write_bytes(data)
    (expected,) = read_articles([corpus / "ap.md"])
    (article,) = read_articles([path])
    assert (article.text, article.outlet, article.title) == (
        expected.text,
        expected.outlet,
        expected.title,
    )


def test_utf16_without_a_mark_and_binary_files_are_named_as_not_text(corpus, tmp_path):
    unmarked = tmp_path / "unmarked.md"
    unmarked.write_bytes((corpus / "ap.md").read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(InputError, match=r"unmarked.md: not text \(it holds NUL bytes"):
        read_articles([unmarked])
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"photo\.txt: not text"):
        read_articles([binary])


def test_a_broken_byte_order_marked_file_says_which_encoding(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(b"\xff\xfeP\x00u\x00t")  # UTF-16-LE cut in the middle of a character
    with pytest.raises(InputError, match=r"odd\.txt: starts with a UTF-16-LE byte-order mark"):
        read_articles([path])


BROKEN = FIXTURES / "brief"


def corpus_with(tmp_path: Path, *extra: Path) -> Path:
    """A copy of the bundled corpus with ``extra`` files added to the folder."""
    folder = tmp_path / "story"
    shutil.copytree(CORPUS, folder)
    for path in extra:
        shutil.copy(path, folder / path.name)
    return folder


def test_gather_skips_each_unusable_file_with_its_reason(tmp_path):
    folder = corpus_with(
        tmp_path,
        *(BROKEN / name for name in ("scan.txt", "windows-1252.txt", "russian.md")),
        FIXTURES / "digest" / "bad" / "empty.md",
    )
    reading = gather_articles([folder])
    expected = read_articles([CORPUS])
    assert [(a.id, a.text) for a in reading.articles] == [(a.id, a.text) for a in expected]
    reasons = {Path(s.source).name: s.reason for s in reading.skipped}
    assert set(reasons) == {"scan.txt", "windows-1252.txt", "russian.md", "empty.md"}
    assert reasons["scan.txt"].startswith("not text (it holds NUL bytes")
    assert reasons["windows-1252.txt"].startswith("not UTF-8 text (byte 0x92 at offset 7)")
    assert reasons["russian.md"].startswith("not in English (Cyrillic script)")
    assert reasons["empty.md"] == "empty: no article text"


def test_gather_refuses_a_huge_file_without_reading_it(tmp_path, monkeypatch):
    huge = tmp_path / "huge.md"
    article = (CORPUS / "ap.md").read_text(encoding="utf-8")
    huge.write_text(article * 100, encoding="utf-8")  # about 800 kB of real text
    read = []
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(
        Path, "read_bytes", lambda self: read.append(self.name) or real_read_bytes(self)
    )
    reading = gather_articles([CORPUS / "guardian.md", huge])
    assert read == ["guardian.md"]  # the huge file's size was enough
    (skip,) = reading.skipped
    assert skip.source == str(huge)
    assert skip.reason.startswith("too large for an article (")
    assert "the limit is 500 kB, raise it with --max-article-size" in skip.reason


def test_the_size_limit_is_an_option_and_applies_to_json_lines_too(tmp_path):
    lines = tmp_path / "feed.jsonl"
    records = [
        {"id": "short", "text": "Putin arrived in Hanoi on Thursday for a state visit."},
        {"id": "long", "text": "Putin arrived in Hanoi on Thursday for a state visit. " * 40},
    ]
    lines.write_text("\n".join(json.dumps(r) for r in records) + "\n{broken\n", encoding="utf-8")
    reading = gather_articles([lines], max_size=1000)
    assert [a.id for a in reading.articles] == ["short"]
    assert [(s.source, s.reason.split(" (")[0]) for s in reading.skipped] == [
        (f"{lines}, line 3", "not valid JSON"),
        (f"{lines} (article long)", "too large for an article"),
    ]
    assert len(gather_articles([lines], max_size=10_000).articles) == 2


def test_nothing_usable_is_one_error_naming_every_file(tmp_path):
    with pytest.raises(InputError) as caught:
        gather_articles([BROKEN / "chinese.md", BROKEN / "scan.txt"])
    message = str(caught.value)
    assert message.startswith("none of the 2 inputs is a usable article (")
    assert "chinese.md: not in English (Chinese script)" in message
    assert "scan.txt: not text" in message
    with pytest.raises(InputError, match=r"^.*arabic\.md: not in English \(Arabic script\)"):
        gather_articles([BROKEN / "arabic.md"])


def test_briefings_multisum_wrote_are_not_articles(tmp_path, corpus_briefing):
    import multisum

    folder = corpus_with(tmp_path)
    (folder / "briefing.md").write_text(multisum.to_markdown(corpus_briefing), encoding="utf-8")
    (folder / "page.txt").write_text(multisum.to_html(corpus_briefing), encoding="utf-8")
    reading = gather_articles([folder])
    assert [a.id for a in reading.articles] == ["ap", "guardian", "newsweek", "reuters", "wsws"]
    assert {(Path(s.source).name, s.reason) for s in reading.skipped} == {
        (name, "a briefing or digest multisum wrote, not an article")
        for name in ("briefing.md", "page.txt")
    }
    assert is_multisum_output(multisum.to_json(corpus_briefing))
    from multisum.model import Digest
    from multisum.render import render_digest

    digest = Digest("2026-11-20", (), read=3, new=0, skipped=(), files=())
    assert is_multisum_output(render_digest(digest, "markdown"))
    originals = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))]
    assert not any(is_multisum_output(text) for text in originals)


def test_an_excluded_file_is_not_read_at_all(tmp_path):
    folder = corpus_with(tmp_path)
    (folder / "notes.md").write_text("My own notes: Putin in Hanoi.", encoding="utf-8")
    reading = gather_articles([folder], exclude=[folder / "." / "notes.md"])
    assert "notes" not in [a.id for a in reading.articles]
    assert reading.skipped == ()


def test_output_over_an_input_is_refused(tmp_path, corpus_briefing, monkeypatch):
    import multisum

    folder = corpus_with(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="is one of the input articles"):
        check_output_path(folder / "ap.md", [folder / "ap.md", folder / "reuters.md"])
    with pytest.raises(
        OutputError, match=r"story/ap\.md is one of the input articles, not a briefing multisum can"
    ):
        check_output_path(folder / "ap.md", [folder])  # inside an input folder
    with pytest.raises(
        OutputError, match=r"input articles \(.*story/reuters\.md\), not a briefing"
    ):
        check_output_path("story/reuters.md", [folder])
    link = tmp_path / "link.md"
    link.symlink_to(folder / "reuters.md")
    with pytest.raises(OutputError, match="is one of the input articles"):
        check_output_path(link, [folder])
    check_output_path(folder / "new.md", [folder])  # a new file destroys nothing
    check_output_path(tmp_path / "elsewhere.md", [folder])
    (folder / "briefing.md").write_text(multisum.to_markdown(corpus_briefing), encoding="utf-8")
    check_output_path(folder / "briefing.md", [folder])  # an earlier run's briefing
    with pytest.raises(OutputError):  # ... unless it is named as an input
        check_output_path(folder / "briefing.md", [folder / "briefing.md"])


def test_an_unreadable_file_is_skipped(tmp_path, monkeypatch):
    folder = corpus_with(tmp_path)
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "reuters.md":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    reading = gather_articles([folder])
    assert [a.id for a in reading.articles] == ["ap", "guardian", "newsweek", "wsws"]
    assert [(Path(s.source).name, s.reason) for s in reading.skipped] == [
        ("reuters.md", "cannot be read (Permission denied)")
    ]
    with pytest.raises(InputError, match=r"reuters\.md: cannot be read \(Permission denied\)"):
        read_articles([folder])


ATTACKS = FIXTURES / "attacks"


def test_front_matter_with_yaml_aliases_is_skipped_and_the_rest_briefed(tmp_path):
    # Nested &lol/*lol aliases: a few hundred bytes that expand to 9^5 strings (to billions,
    # a few levels more) once the title is read; the file is refused before that.
    shutil.copy(ATTACKS / "alias-bomb.md", tmp_path / "alias-bomb.md")
    shutil.copy(CORPUS / "guardian.md", tmp_path / "guardian.md")
    reading = gather_articles([tmp_path])
    assert [a.id for a in reading.articles] == ["guardian"]
    (skip,) = reading.skipped
    assert skip.source == str(tmp_path / "alias-bomb.md")
    assert skip.reason.startswith("the front matter uses YAML aliases (*name)")


def test_front_matter_anchors_without_aliases_are_read(tmp_path):
    article = tmp_path / "ap.md"
    article.write_text(
        "---\noutlet: &who Associated Press\ntitle: Putin in Vietnam\n---\n"
        + corpus_text("ap").split("---\n", 2)[2],
        encoding="utf-8",
    )
    (read,) = read_articles([article])
    assert (read.outlet, read.title) == ("Associated Press", "Putin in Vietnam")


def _saved_pages(folder: Path) -> Path:
    """The corpus as saved pages often are: one ``index.md`` per folder, and an ``index-2.md``."""
    for name, where in [
        ("guardian", "a/index.md"),
        ("reuters", "b/index.md"),
        ("ap", "c/index-2.md"),
    ]:
        text = corpus_text(name).replace(f"id: {name}\n", "")  # ids from the file names
        (folder / where).parent.mkdir(parents=True)
        (folder / where).write_text(text, encoding="utf-8")
    return folder


def test_files_with_one_stem_get_unique_ids_that_never_take_another_files(tmp_path):
    articles = read_articles([_saved_pages(tmp_path)])
    assert [(a.id, a.outlet) for a in articles] == [
        ("index", "The Guardian"),
        ("index-3", "Reuters"),
        ("index-2", "Associated Press"),
    ]


def test_a_briefing_of_files_with_one_stem_credits_each_outlet_and_verifies(tmp_path):
    import multisum
    from multisum.verify import verify_briefing

    briefing = multisum.summarize([_saved_pages(tmp_path)])
    outlets = {a.id: a.outlet for a in briefing.articles}
    assert len(outlets) == 3
    texts = {a.id: a.text for a in briefing.articles}
    for line in briefing.lines:
        assert line.text in texts[line.sources[0].article], outlets[line.sources[0].article]
    report = verify_briefing(json.loads(multisum.to_json(briefing)), base=tmp_path)
    assert report.failures == ()


def test_an_outlet_spelt_with_invisible_or_no_break_spaces_is_one_outlet(tmp_path):
    for name, outlet in [
        ("ap", "Associated\u00a0Press"),  # a no-break space
        ("reuters", "Associated\u200b Press"),  # a zero-width space beside the space
        ("guardian", "The Guardian"),
    ]:
        text = corpus_text(name).split("---\n", 2)[2]
        (tmp_path / f"{name}.md").write_text(
            f"---\noutlet: {outlet}\n---\n{text}", encoding="utf-8"
        )
    articles = read_articles([tmp_path])
    assert [a.outlet for a in articles] == ["Associated Press", "The Guardian", "Associated Press"]
    import multisum

    markdown = multisum.to_markdown(multisum.summarize([tmp_path]))
    assert "Associated Press, Associated Press" not in markdown
    assert "\u00a0Press" not in markdown and "\u200b" not in markdown
    assert "by 2 outlets" in markdown


def test_control_characters_and_terminal_escapes_never_reach_the_briefing(tmp_path):
    body = corpus_text("guardian").split("---\n", 2)[2]
    # a screen clear, an OSC 8 hyperlink hiding its target and a bell in the text
    body = body.replace(
        "Vladimir Putin",
        "\x1b[2J\x1b[HVladimir \x1b]8;;https://evil.example/\x1b\\Putin\x1b]8;;\x1b\\\x07",
        1,
    )
    (tmp_path / "guardian.md").write_text(
        # YAML's double quotes spell them as escapes: \e is ESC, \0 NUL; \x92 is Windows-1252's ’
        '---\noutlet: "The\\e[31m Guardian"\ntitle: "Putin\\0 in Hanoi\\e[2J\\x92s"\n---\n' + body,
        encoding="utf-8",
    )
    # NUL bytes, as JSON lines can carry them ("\\u0000"), in the text and the outlet
    ap = (
        corpus_text("ap").split("---\n", 2)[2].replace("Russian President", "Russian\x00 President")
    )
    record = {"id": "ap", "outlet": "Associated\x00 Press", "title": "Putin\x1bc", "text": ap}
    (tmp_path / "ap.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    guardian, ap_article = read_articles([tmp_path / "guardian.md", tmp_path / "ap.jsonl"])
    assert (guardian.outlet, guardian.title) == ("The Guardian", "Putin in Hanoi’s")
    assert (ap_article.outlet, ap_article.title) == ("Associated Press", "Putin")
    assert "Vladimir Putin" in guardian.text and "Russian President" in ap_article.text
    import multisum

    briefing = multisum.summarize([tmp_path])
    for text in (multisum.to_markdown(briefing), multisum.to_json(briefing)):
        assert not any(c in text for c in "\x1b\x00\x07\x9b"), text
        assert "evil.example" not in text and "\\u0000" not in text and "\\u001b" not in text
    assert any("Vladimir Putin" in line.text for line in briefing.lines)


def _wire_lines(count: int, *, long_line: int | None = None, repeat: int = 1) -> str:
    """JSON lines of the corpus's articles; line ``long_line`` holds its text ``repeat`` times."""
    names = ["ap", "guardian", "newsweek", "reuters", "wsws"]
    lines = []
    for number in range(1, count + 1):
        name = names[(number - 1) % len(names)]
        text = corpus_text(name).split("---\n", 2)[2]
        if number == long_line:
            text = "\n\n".join([text] * repeat)
        lines.append(json.dumps({"id": f"{name}-{number}", "text": text}))
    return "\n".join(lines) + "\n"


def test_a_json_line_over_the_bound_is_skipped_unread_and_the_rest_read(tmp_path, monkeypatch):
    import multisum.pipeline.ingest as ingest

    wire = tmp_path / "wire.jsonl"
    wire.write_text(_wire_lines(3, long_line=2, repeat=500), encoding="utf-8")  # line 2: 3 MB
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(ingest.json, "loads", lambda s: parsed.append(len(s)) or real_loads(s))
    reading = gather_articles([wire])
    assert [a.id for a in reading.articles] == ["ap-1", "newsweek-3"]
    (skip,) = reading.skipped
    assert skip.source == f"{wire}, line 2"
    assert skip.reason == (
        "too large for an article (a line of 3 MB; a line may hold 2 MB, 4 times the article "
        "limit: raise it with --max-article-size)"
    )
    assert max(parsed) < 100_000  # the long line was never parsed, nor held whole


def test_a_json_lines_file_over_the_bound_is_skipped_before_it_is_read(tmp_path, monkeypatch):
    import multisum.pipeline.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_JSON_LINES_SIZE", 20_000)  # 50 MB by default
    wire = tmp_path / "wire.jsonl"
    wire.write_text(_wire_lines(5), encoding="utf-8")
    size = format_size(wire.stat().st_size)
    opened = []
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self.name))
    with pytest.raises(InputError) as refused:
        gather_articles([wire])
    assert str(refused.value) == (
        f"{wire}: too large for a JSON-lines file of articles ({size}; the limit is 20 kB: a "
        "briefing takes at most 100 articles); split it by story, or run `multisum digest` on it"
    )
    assert opened == []


def test_json_lines_are_split_at_line_feeds_only(tmp_path):
    # JSON written without ASCII escaping may hold a raw line separator (U+2028) in a string,
    # as scraped text often does; the line is still one article
    text = corpus_text("reuters").split("---\n", 2)[2].replace("\n\n", "\u2028", 1)
    wire = tmp_path / "wire.jsonl"
    record = json.dumps({"id": "reuters", "outlet": "Reuters", "text": text}, ensure_ascii=False)
    wire.write_bytes((record + "\r\n").encode("utf-8"))
    (article,) = read_articles([wire])
    assert (article.id, article.outlet, article.text) == ("reuters", "Reuters", text)
