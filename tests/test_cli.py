"""The command line: outputs, and one clear line on stderr for every kind of bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from multisum.cli import cli


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
