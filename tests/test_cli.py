"""The command line: outputs, and one clear line on stderr for every kind of bad input."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from multisum.cli import cli

BROKEN = FIXTURES / "brief"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args])

    return invoke


def assert_one_line_error(result, message: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    error_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(error_lines) == 1, result.stderr
    assert message in error_lines[0]


def test_markdown_to_stdout(run, corpus):
    result = run("brief", corpus)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "## Sources" in result.stdout


def test_json_to_a_file(run, corpus, tmp_path):
    target = tmp_path / "out" / "briefing.json"
    result = run("brief", corpus, "--format", "json", "-o", target)
    assert result.exit_code == 0, result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert set(data) >= {"title", "articles", "sections"}
    assert set(data["articles"][0]) >= {"id", "outlet", "title", "url", "published", "path"}
    line = data["sections"][0]["lines"][0]
    assert set(line) >= {"text", "sources"}
    assert set(line["sources"][0]) >= {"article", "sentence"}
    assert data["articles"][0]["path"] == str(corpus / "ap.md")


def test_user_template(run, corpus, tmp_path):
    template = tmp_path / "mine.j2"
    template.write_text(
        "{% for s in briefing.sections %}{% for l in s.lines %}* {{ l.text }} ({{ l.outlets|join('/') }})\n"
        "{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    result = run("brief", corpus, "--template", template, "--sentences", "2")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2
    assert all(line.startswith("* ") for line in result.stdout.splitlines())


def test_template_errors(run, corpus, tmp_path):
    assert_one_line_error(
        run("brief", corpus, "--template", tmp_path / "no.j2"), "template not found"
    )
    broken = tmp_path / "broken.j2"
    broken.write_text("{{ briefing.nothing_here }}", encoding="utf-8")
    assert_one_line_error(
        run("brief", corpus, "--template", broken), "the template failed to render"
    )


def test_algorithms_command(run):
    result = run("algorithms")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names[0] == "multisum"
    assert {
        "lexrank",
        "textrank",
        "lsa",
        "luhn",
        "kl",
        "sumbasic",
        "reduction",
        "edmundson",
        "random",
    } <= set(names)


def test_missing_path(run, tmp_path):
    assert_one_line_error(run("brief", tmp_path / "missing"), "no such file or folder")


def test_empty_folder(run, tmp_path):
    assert_one_line_error(run("brief", tmp_path), "holds no article files")


def test_files_with_no_usable_text(run, tmp_path):
    (tmp_path / "a.txt").write_text("Subscribe to our newsletter\n\nCOMMENTS\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\noutlet: X\n---\n", encoding="utf-8")
    assert_one_line_error(run("brief", tmp_path), "none of the articles has usable text")


def test_a_single_article_is_summarised_and_said_so(run, corpus):
    result = run("brief", corpus / "guardian.md", "--words", "80")
    assert result.exit_code == 0
    assert "single article" in result.stderr
    assert "single article" in result.stdout


def test_non_utf8_bytes(run, tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"Putin arrived in Hanoi \xff\xfe on Thursday.")
    assert_one_line_error(run("brief", path), "story.txt: not UTF-8 text")


def test_unknown_algorithm_lists_valid_ones(run, corpus):
    result = run("brief", corpus, "--algorithm", "nope")
    assert_one_line_error(result, "unknown algorithm 'nope'; choose one of: multisum,")
    assert "lexrank" in result.stderr


def test_bad_budget(run, corpus):
    result = run("brief", corpus, "--words", "0")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))}


@pytest.fixture
def story(tmp_path, corpus) -> Path:
    """A copy of the bundled corpus that a test may write into."""
    folder = tmp_path / "story"
    shutil.copytree(corpus, folder)
    return folder


def test_output_onto_an_input_is_refused_and_nothing_is_written(run, story):
    before = snapshot(story)
    for args in (
        (story / "ap.md", story / "reuters.md", "-o", story / "ap.md"),
        (story, "-o", story / "guardian.md"),
        (story, "--format", "json", "-o", story / "newsweek.md"),
    ):
        result = run("brief", *args)
        assert result.exit_code == 2, result.output
        assert "is one of the input articles" in result.stderr
        assert "would destroy it" in result.stderr
        assert "Traceback" not in result.output
        assert snapshot(story) == before


def test_a_briefing_written_into_its_input_folder_is_never_read_back(run, story):
    target = story / "briefing.md"
    first = run("brief", story, "-o", target)
    assert first.exit_code == 0, first.stderr
    written = target.read_bytes()
    assert b"*5 articles by 5 outlets." in written
    second = run("brief", story, "-o", target)
    assert second.exit_code == 0, second.stderr
    assert target.read_bytes() == written  # the same briefing, not one with a sixth outlet
    assert "skipped" not in second.stderr
    # an earlier briefing kept under another name is recognised and skipped, with a note
    shutil.copy(target, story / "monday.md")
    third = run("brief", story)
    assert third.exit_code == 0, third.stderr
    assert "*5 articles by 5 outlets." in third.stdout
    assert f"skipped {story / 'monday.md'}: a briefing or digest multisum wrote" in third.stderr


def test_output_of_a_user_template_in_an_input_folder_is_not_overwritten(run, story, tmp_path):
    """A user template's output carries no mark: the file could be an article, so it is kept."""
    template = tmp_path / "plain.j2"
    template.write_text(
        "{% for s in briefing.sections %}{% for l in s.lines %}{{ l.text }}\n{% endfor %}"
        "{% endfor %}{{ outlets | length }} outlets\n",
        encoding="utf-8",
    )
    target = story / "lines.txt"
    assert run("brief", story, "--template", template, "-o", target).exit_code == 0
    written = target.read_bytes()
    assert written.endswith(b"\n5 outlets\n")
    again = run("brief", story, "--template", template, "-o", target)
    assert again.exit_code == 2
    assert "not a briefing multisum can recognise" in again.stderr
    assert "outside the input folders" in again.stderr
    assert target.read_bytes() == written
    elsewhere = tmp_path / "lines.txt"
    assert (
        run(
            "brief", story / "ap.md", story / "wsws.md", "--template", template, "-o", elsewhere
        ).exit_code
        == 0
    )
    assert elsewhere.read_bytes().endswith(b"\n2 outlets\n")


def test_one_junk_file_never_stops_a_brief(run, story, corpus_briefing):
    for name in ("scan.txt", "windows-1252.txt", "chinese.md"):
        shutil.copy(BROKEN / name, story / name)
    result = run("brief", story, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [a["id"] for a in data["articles"]] == [a.id for a in corpus_briefing.articles]
    assert [line["text"] for s in data["sections"] for line in s["lines"]] == [
        line.text for line in corpus_briefing.lines
    ]
    warnings = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert warnings == [
        f"multisum: skipped {story / 'chinese.md'}: not in English (Chinese script); "
        "multisum summarises English articles",
        f"multisum: skipped {story / 'scan.txt'}: not text (it holds NUL bytes: a binary file, "
        "or UTF-16/UTF-32 without a byte-order mark); save it as UTF-8",
        f"multisum: skipped {story / 'windows-1252.txt'}: not UTF-8 text (byte 0x92 at offset 7); "
        "convert it with e.g. `iconv -f latin1 -t utf-8`",
    ]
    assert [note.split(":")[0] for note in data["notes"]] == [
        f"skipped {story / name}" for name in ("chinese.md", "scan.txt", "windows-1252.txt")
    ]


def test_only_junk_is_one_error(run, tmp_path):
    for name in ("scan.txt", "russian.md"):
        shutil.copy(BROKEN / name, tmp_path / name)
    result = run("brief", tmp_path)
    assert result.exit_code == 1
    assert_one_line_error(result, "none of the 2 inputs is a usable article (")
    assert "russian.md: not in English (Cyrillic script)" in result.stderr
    assert_one_line_error(
        run("brief", BROKEN / "arabic.md"), "arabic.md: not in English (Arabic script)"
    )


def test_a_huge_file_is_refused_at_once(run, tmp_path, corpus):
    huge = tmp_path / "huge.md"
    article = (corpus / "ap.md").read_bytes()
    huge.write_bytes(article * (50_000_000 // len(article)))  # 50 MB of real text
    started = time.perf_counter()
    result = run("brief", huge)
    assert time.perf_counter() - started < 20  # it used to run for minutes
    assert_one_line_error(result, "huge.md: too large for an article (50 MB; the limit is 500 kB")
    assert "--max-article-size" in result.stderr


def test_the_article_size_limit_is_a_flag(run, corpus):
    result = run("brief", corpus, "--max-article-size", "5.5k")  # ap and reuters are smaller
    assert result.exit_code == 0, result.stderr
    skipped = [
        line.split(":")[1].strip() for line in result.stderr.splitlines() if "skipped" in line
    ]
    assert skipped == [f"skipped {corpus / n}.md" for n in ("guardian", "newsweek", "wsws")]
    assert "*2 articles by 2 outlets." in result.stdout
    bad = run("brief", corpus, "--max-article-size", "lots")
    assert bad.exit_code == 2
    assert "a size is a number of bytes" in bad.stderr


def test_template_with_json_is_a_usage_error(run, corpus, tmp_path):
    template = tmp_path / "mine.j2"
    template.write_text("{{ briefing.title }}\n", encoding="utf-8")
    target = tmp_path / "b.json"
    result = run("brief", corpus, "--format", "json", "--template", template, "-o", target)
    assert result.exit_code == 2
    assert "--template renders Markdown or HTML; a JSON briefing is data" in result.stderr
    assert not target.exists()


def test_template_with_html_is_applied(run, corpus, tmp_path):
    template = tmp_path / "mine.html.j2"
    template.write_text("<h1>{{ briefing.title }}</h1>\n", encoding="utf-8")
    result = run("brief", corpus, "--format", "html", "--template", template)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "<h1>Russia and Vietnam agree to strengthen ties during Putin state visit</h1>"
    )


def test_the_slow_ranker_notice_is_one_plain_line(run, corpus):
    result = run("brief", corpus, "--algorithm", "kl", "--words", "60")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "multisum: kl: rating the first 100 of 146 candidate sentences (it is too slow for more); "
        "the rest rank last"
    ]


def test_no_control_character_reaches_the_terminal_even_from_a_file_name(run, tmp_path):
    from conftest import CORPUS

    folder = tmp_path / "story"
    shutil.copytree(CORPUS, folder)
    # a file name with a screen clear and an OSC 8 hyperlink; it is empty, so its skip is noted
    (folder / "evil\x1b[2J\x1b]8;;evil.example\x07link.md").write_text("", "utf-8")
    guardian = folder / "guardian.md"
    guardian.write_text(
        guardian.read_text(encoding="utf-8").replace("Vladimir Putin", "Vladimir\x1b[2J Putin"),
        encoding="utf-8",
    )
    result = run("brief", folder)
    assert result.exit_code == 0, result.stderr
    assert "evillink.md: empty" in result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
