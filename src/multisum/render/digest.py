"""Render a digest as JSON, Markdown or HTML from the Jinja2 templates shipped with the package."""

from __future__ import annotations

import json
from typing import Any

from multisum.model import Article, Digest, DigestStory
from multisum.render.briefing import briefing_to_dict, template_context
from multisum.render.environment import packaged_template, render_template

TEMPLATES = {"markdown": "digest.md.j2", "html": "digest.html.j2"}


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    """The JSON contract: date, counts, every story (single-outlet ones too), skipped inputs."""
    return {
        "date": digest.date,
        "counts": digest.counts,
        "stories": [_story_to_dict(story) for story in digest.stories],
        "skipped": [{"source": s.source, "reason": s.reason} for s in digest.skipped],
        "notes": list(digest.notes),
    }


def _story_to_dict(story: DigestStory) -> dict[str, Any]:
    copies = [article for _, group in story.copies for article in group]
    return {
        "title": story.title,
        "articles": [a.id for a in story.articles] + [a.id for a in copies],
        "outlets": list(story.outlets),
        "links": [_link(a) for a in story.articles],
        "copies": [
            {"original": original, "copies": [_link(a) for a in group]}
            for original, group in story.copies
        ],
        "continues": (
            {"digest": story.continues.digest, "title": story.continues.title}
            if story.continues
            else None
        ),
        "notes": list(story.notes),
        "briefing": briefing_to_dict(story.briefing) if story.briefing else None,
    }


def _link(article: Article) -> dict[str, str]:
    return {
        "id": article.id,
        "outlet": article.label,
        "title": article.title,
        "url": article.url,
        "published": article.published,
    }


def render_digest(digest: Digest, kind: str) -> str:
    """The digest as ``json``, ``markdown`` or ``html`` text."""
    data = digest_to_dict(digest)
    if kind == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    for story_data, story in zip(data["stories"], digest.stories):
        story_data["briefing_view"] = template_context(story.briefing) if story.briefing else None
    text = render_template(packaged_template(TEMPLATES[kind]), "digest template", digest=data)
    return text.rstrip("\n") + "\n"
