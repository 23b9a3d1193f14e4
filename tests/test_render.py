"""The rendered Markdown: a reviewed golden file, escaping, and packaged templates."""

from __future__ import annotations

from pathlib import Path

import multisum
from multisum.model import Article, Briefing, Citation, Line, Section
from multisum.render.briefing import render_markdown
from multisum.render.environment import escape_markdown, template_directory

GOLDEN = Path(__file__).resolve().parent / "golden" / "putin-vietnam-2024.md"


def test_default_briefing_matches_the_reviewed_golden_file(corpus, monkeypatch):
    monkeypatch.chdir(corpus.parents[1])
    rendered = multisum.to_markdown(multisum.summarize(["corpus/putin-vietnam-2024"]))
    assert rendered == GOLDEN.read_text(encoding="utf-8")


def test_markdown_in_article_text_is_escaped():
    assert escape_markdown("*bold* [link](javascript:x) <b>") == (
        r"\*bold\* \[link\](javascript:x) \<b\>"
    )
    assert escape_markdown("# not a heading") == r"\# not a heading"


def test_lines_name_their_outlets_and_unknown_outlets_are_flagged():
    briefing = Briefing(
        title="T",
        articles=(
            Article("a", "", "AP", title="A"),
            Article("b", "", "story-2", outlet_known=False, title="B"),
        ),
        sections=(
            Section(
                "Topic",
                (
                    Line(
                        "Putin arrived.",
                        (Citation("a", 0, 14, "", 0), Citation("b", 10, 24, "", 3)),
                    ),
                ),
            ),
        ),
        algorithm="multisum",
    )
    markdown = render_markdown(briefing)
    assert "- Putin arrived. — *AP, story-2 (outlet unknown)*" in markdown
    assert "## Topic" in markdown
    assert "| AP | A |" in markdown


def test_templates_ship_with_the_package():
    assert (template_directory() / "briefing.md.j2").is_file()
