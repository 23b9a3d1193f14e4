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


RLO = "\u202e"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _hostile_names_briefing() -> Briefing:
    """An outlet name and a title carrying a right-to-left override and every other bidi control."""
    return Briefing(
        title=f"Putin {RLO}visits Vietnam",
        articles=(
            Article("a", "", f"AP{RLO} single source", title=f"A{BIDI} title"),
            Article("b", "", "Reuters", title="B", url="https://example.com/a|b"),
        ),
        sections=(Section("Topic", (Line("Putin arrived.", (Citation("a", 0, 14, "", 0),)),)),),
        algorithm="multisum",
    )


def test_bidirectional_controls_never_reach_the_markdown_or_html():
    """One U+202E in an outlet's name shows the rest of its line reversed: no rendered output
    (Markdown, HTML, a user's template, the digest) carries any bidi control."""
    from multisum.model import Digest, DigestStory
    from multisum.render.briefing import render_html
    from multisum.render.digest import render_digest

    briefing = _hostile_names_briefing()
    markdown = render_markdown(briefing)
    assert "- Putin arrived. — *AP single source*" in markdown
    assert "| AP single source | A title |" in markdown
    story = DigestStory("Putin visits", briefing.articles, (), briefing)
    digest = Digest("2026-11-20", (story,), 2, 2, (), ())
    for text in (
        markdown,
        render_html(briefing),
        render_digest(digest, "markdown"),
        render_digest(digest, "html"),
    ):
        assert not set(BIDI) & set(text)
        assert "AP single source" in text


def test_a_user_template_cannot_print_a_bidi_control(tmp_path):
    template = tmp_path / "own.md.j2"
    template.write_text("{{ briefing.title }} {{ outlets | join(', ') }}", encoding="utf-8")
    text = render_markdown(_hostile_names_briefing(), template=template)
    assert text == "Putin visits Vietnam AP single source, Reuters"


def test_markdown_escapes_strikethrough_and_entities():
    assert escape_markdown("~~struck~~ ~one~") == r"\~\~struck\~\~ \~one\~"
    assert escape_markdown("&lt;b&gt; &#60;i&#x3e; AT&T &amp") == (
        r"\&lt;b\&gt; \&#60;i\&#x3e; AT&T &amp"
    )


def test_a_pipe_in_a_url_does_not_break_the_sources_table():
    markdown = render_markdown(_hostile_names_briefing())
    (row,) = [line for line in markdown.splitlines() if line.startswith("| Reuters |")]
    assert row == "| Reuters | B |  | <https://example.com/a%7Cb> |"
    assert row.count("|") - row.count("\\|") == 5  # four cells
