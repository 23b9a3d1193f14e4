"""Render a digest as JSON, Markdown or HTML from the Jinja2 templates shipped with the package."""

from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from multisum.errors import MultisumError, TemplateError
from multisum.model import Article
from multisum.render import escape_markdown, outlet_name, template_context, template_directory

if TYPE_CHECKING:
    from jinja2 import Environment

    from multisum.digest import Digest, DigestStory

TEMPLATES = {"markdown": "digest.md.j2", "html": "digest.html.j2"}


class OutputError(MultisumError):
    """A digest file that cannot be written."""


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
        "briefing": story.briefing.to_dict() if story.briefing else None,
    }


def _link(article: Article) -> dict[str, str]:
    return {
        "id": article.id,
        "outlet": outlet_name(article),
        "title": article.title,
        "url": article.url,
        "published": article.published,
    }


def render_digest(digest: Digest, kind: str) -> str:
    """The digest as ``json``, ``markdown`` or ``html`` text."""
    data = digest_to_dict(digest)
    if kind == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    from jinja2 import TemplateError as JinjaError

    for story_data, story in zip(data["stories"], digest.stories):
        story_data["briefing_view"] = template_context(story.briefing) if story.briefing else None
    try:
        text = _environment().get_template(TEMPLATES[kind]).render(digest=data)
        return text.rstrip("\n") + "\n"
    except JinjaError as error:
        raise TemplateError(f"the digest template failed to render: {error}") from None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(template_directory()),
        undefined=StrictUndefined,
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2")
        ),  # Markdown is escaped explicitly with `md`
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = escape_markdown
    return environment


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a digest."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
