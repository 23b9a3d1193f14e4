"""Reading articles: front matter, plain text, JSON lines, outlet detection and input errors."""

from __future__ import annotations

import json

import pytest

from multisum.errors import InputError
from multisum.pipeline.ingest import outlet_from_text, read_articles


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
    with pytest.raises(InputError, match='line 1: each line needs a "text" string'):
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
