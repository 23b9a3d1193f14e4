"""Rendering: the briefing and the digest as JSON, Markdown or HTML, and files written atomically.

Presentation lives in the templates (``templates/`` in the source tree, ``multisum/templates`` in
the wheel); one environment factory serves them all (``multisum.render.environment``).
"""

from __future__ import annotations

from multisum.render.briefing import (
    briefing_to_dict,
    render_html,
    render_json,
    render_markdown,
    template_context,
)
from multisum.render.digest import digest_to_dict, render_digest
from multisum.render.files import write_atomically

__all__ = [
    "briefing_to_dict",
    "digest_to_dict",
    "render_digest",
    "render_html",
    "render_json",
    "render_markdown",
    "template_context",
    "write_atomically",
]
