"""Article text is data: nothing from a hostile article becomes live markup or code."""

import json
import re
from html.parser import HTMLParser

import multisum


def _live(pattern, markdown):
    """Occurrences of ``pattern`` that are not preceded by a Markdown backslash escape."""
    return re.findall(r"(?<!\\)" + pattern, markdown)


def test_markdown_escapes_hostile_text(hostile_briefing):
    markdown = multisum.to_markdown(hostile_briefing)
    assert "\\<script\\>" in markdown  # the hostile text is shown, as text
    for pattern in (r"<script", r"<img", r"<a ", r"<b>", r"\]\(javascript:", r"<javascript:", r"`"):
        assert _live(pattern, markdown) == [], pattern
    assert "javascript:alert(1)>" not in markdown
    assert "49" not in markdown
    assert "{{ 7\\*7 }}" in markdown
    assert not re.search(r"^#+ Not a heading", markdown, re.MULTILINE)
    sources = markdown.split("## Sources")[1].split("###")[0]
    rows = [r for r in sources.splitlines() if r.startswith("|")]
    assert rows and all(len(_live(r"\|", row)) == 5 for row in rows)
    assert "Evil \\| Outlet" in markdown


def test_json_keeps_hostile_text_as_plain_strings(hostile_briefing):
    data = json.loads(multisum.to_json(hostile_briefing))
    evil = next(a for a in data["articles"] if a["id"] == "evil")
    assert evil["url"] == "javascript:alert(1)"  # data, stored as given; renderers never link it
    assert "{{ 7*7 }}" in evil["title"]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name == "href":
                self.hrefs.append(value or "")
            if name.startswith("on"):
                self.handlers.append(name)


def test_html_escapes_hostile_text(hostile_briefing):
    html = multisum.to_html(hostile_briefing)
    parsed = _Collect()
    parsed.feed(html)
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert parsed.handlers == []
    assert all(h.startswith("https://") for h in parsed.hrefs)
    assert "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html
    assert ">49<" not in html and " 49 " not in html


def test_hostile_quote_is_merged_and_verbatim(hostile_briefing):
    quotes = [q for q in hostile_briefing.quotes if "platform" in q.text]
    assert len(quotes) == 1
    assert len(quotes[0].citations) == 2
