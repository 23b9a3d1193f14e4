"""A hostile feed through the digest: no script link goes live in Markdown or HTML, and every
HTML page multisum writes carries the one Content-Security-Policy."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

import multisum
from multisum.render.environment import CONTENT_SECURITY_POLICY

DANGEROUS = re.compile(r"^\s*(?:javascript|data|vbscript)\s*:", re.IGNORECASE)
PWN = "https://x/>)[pwn](javascript:alert(1))"

STRIKE = (
    "Thousands of dockworkers walked off the job at the Port of Valmora on Thursday night, "
    "halting container traffic at the busiest harbour on the northern coast after wage talks "
    "with the port authority collapsed. The Valmora Dockworkers Union said 4,200 members joined "
    "the strike, which began at midnight, and union leader Marta Ilescu told reporters that the "
    "offer of a 3 percent raise did not cover the rise in living costs over two years."
)
LIBRARY = (
    "The central library of Valmora reopened its doors on Friday after a two-year renovation "
    "that added a children's wing, a rooftop reading garden and a workshop where residents can "
    "repair bicycles and household appliances. Head librarian Tomas Grell said more than 600 "
    "visitors came through the doors in the first hour, and the renovation cost 18 million euros."
)

COMET = (
    "Astronomers in Chile have photographed a comet that will pass closest to the Sun in March, "
    "and amateur observers in the southern hemisphere should be able to see it with binoculars "
    "shortly after sunset, according to the observatory that first spotted it last summer."
)
SAFE = "https://evil.example/2026/11/20/comet-photographed"


def _feed() -> str:
    def item(guid: str, title: str, link: str, text: str) -> str:
        escaped = link.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (
            f"<item><title>{title}</title><link>{escaped}</link>"
            f'<guid isPermaLink="false">{guid}</guid>'
            "<pubDate>Fri, 20 Nov 2026 07:30:00 GMT</pubDate>"
            f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
        )

    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Evil Gazette</title><link>https://evil.example/</link>"
        "<description>News</description>"
        + item(
            "evil-1", "Dockworkers strike shuts the Port of Valmora", "javascript:alert(1)", STRIKE
        )
        + item(
            "evil-2", "Valmora central library reopens [click](javascript:alert(3))", PWN, LIBRARY
        )
        + item("evil-3", "Comet photographed on its way to the Sun", SAFE, COMET)
        + "</channel></rss>\n"
    )


def _article() -> str:
    return textwrap.dedent(
        """\
        ---
        id: other-strike
        outlet: Other Outlet
        title: Port of Valmora at a standstill as dockers strike over pay
        url: javascript:alert(2)
        published: 2026-11-20T06:45:00Z
        ---

        Container traffic at the Port of Valmora came to a standstill on Friday after dockworkers
        went on strike over pay at midnight on Thursday.

        The Valmora Dockworkers Union said more than 4,000 of its members had stopped work after
        wage talks with the port authority collapsed. "Our members have waited two years for a
        fair raise, and 3 percent is not fair," union leader Marta Ilescu said outside the gates.

        Twelve container ships were waiting at anchor outside the harbour on Friday morning, and
        freight companies began diverting cargo to smaller ports along the coast.
        """
    )


class _Links(HTMLParser):
    """Every URL-bearing attribute, and the Content-Security-Policy meta tags."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.policies: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src", "action", "formaction", "xlink:href", "srcset"):
            if values.get(name) is not None:
                self.urls.append(values[name] or "")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(values.get("content") or "")


def parse(page: str) -> _Links:
    links = _Links()
    links.feed(page)
    links.close()
    return links


@pytest.fixture(scope="module")
def hostile_digest(tmp_path_factory) -> tuple[multisum.Digest, Path]:
    root = tmp_path_factory.mktemp("hostile")
    (root / "sources").mkdir()
    (root / "sources" / "evil.xml").write_text(_feed(), encoding="utf-8")
    (root / "sources" / "other-strike.md").write_text(_article(), encoding="utf-8")
    result = multisum.digest(
        [str(root / "sources" / "evil.xml"), str(root / "sources" / "other-strike.md")],
        state=root / "state",
        out=root / "out",
        date="2026-11-20",
        formats=("markdown", "html"),
    )
    return result, root / "out"


def test_the_hostile_items_are_digested_not_skipped(hostile_digest):
    result, _ = hostile_digest
    assert (result.read, result.new, result.skipped) == (4, 4, ())
    urls = sorted(a.url for story in result.stories for a in story.articles)
    assert urls == sorted(["javascript:alert(1)", "javascript:alert(2)", PWN, SAFE])
    assert any(story.briefing is not None for story in result.stories)  # the strike, two outlets


def test_no_live_script_link_in_the_html_digest(hostile_digest):
    _, out = hostile_digest
    page = (out / "2026-11-20.html").read_text(encoding="utf-8")
    links = parse(page)
    assert all(not DANGEROUS.match(url) for url in links.urls), links.urls
    assert links.urls == [SAFE]  # the one plain link stays live
    assert "pwn" not in page
    assert "Valmora central library" in page  # the story is listed, without its link


def test_no_live_script_link_in_the_markdown_digest(hostile_digest):
    _, out = hostile_digest
    text = (out / "2026-11-20.md").read_text(encoding="utf-8")
    # every link target, `[title](<url>)` and `(<url>)` alike
    targets = re.findall(r"\(<([^>]*)>", text)
    assert all(not DANGEROUS.match(target) for target in targets), targets
    assert targets == [SAFE]
    # no unescaped Markdown link or autolink to a script anywhere, titles included
    assert not re.search(r"(?<!\\)\]\(\s*<?\s*(?:javascript|data|vbscript):", text, re.I)
    assert not re.search(r"<\s*(?:javascript|data|vbscript):", text, re.I)
    assert "Valmora central library reopens" in text


def test_the_html_digest_carries_the_content_security_policy(hostile_digest):
    _, out = hostile_digest
    page = (out / "2026-11-20.html").read_text(encoding="utf-8")
    assert parse(page).policies == [CONTENT_SECURITY_POLICY]
    assert "script-src" not in CONTENT_SECURITY_POLICY  # default-src 'none' forbids scripts
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'none'")


def test_every_html_page_carries_the_same_policy(hostile_digest, corpus_briefing, hostile_briefing):
    _, out = hostile_digest
    pages = [
        multisum.to_html(corpus_briefing),
        multisum.to_html(hostile_briefing),
        (out / "2026-11-20.html").read_text(encoding="utf-8"),
    ]
    for page in pages:
        links = parse(page)
        assert links.policies == [CONTENT_SECURITY_POLICY]
        assert all(not DANGEROUS.match(url) for url in links.urls), links.urls
