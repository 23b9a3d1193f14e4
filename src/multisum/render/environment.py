"""The one Jinja2 environment factory: every page and file multisum renders goes through it, so a
safety rule added here holds for the briefing, the digest and the evaluation table alike."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from multisum.errors import TemplateError
from multisum.render.sandbox import (
    CURRENT_BUDGET,
    LOOP_BUDGET,
    MAX_TEMPLATE_OUTPUT,
    LoopBudget,
    bounded_filter,
    bounded_sandbox,
    count_loop_steps,
)

if TYPE_CHECKING:
    from jinja2 import Environment, Template

#: Every HTML page forbids scripts and external assets: article text and feed links are data.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")  # ~ strikes through in GFM
#: An HTML entity or character reference, which Markdown would show as the character it names.
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
#: Bidirectional controls (embeddings, overrides, isolates, marks): one U+202E in an outlet's
#: name would show the rest of its line reversed. Removed from every value a template prints.
_BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]
)
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s)")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def escape_markdown(text: object) -> str:
    """Escape what Markdown would read as markup, so article text always renders as plain text."""
    text = re.sub(r"[\r\n]+", " ", str(text))  # a line break could start a heading or a list
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)  # "&lt;b&gt;" stays those characters, not "<b>"
    return _LINE_START_SPECIAL.sub(r"\1\\\2", text)


def without_bidi_controls(value: object) -> object:
    """``value`` with its bidirectional controls removed, when it is text; Jinja2's ``finalize``,
    so it holds for every value any template prints, packaged or the user's, Markdown or HTML
    (autoescaping comes after; ``Markup`` stays ``Markup``)."""
    return value.translate(_BIDI_CONTROLS) if isinstance(value, str) else value


def safe_url(url: object) -> str:
    """``url`` when it is a plain http(s) address, else "": no ``javascript:``, ``data:`` or
    ``vbscript:`` link ever goes live, and no ``>`` can break out of a Markdown ``<link>``.
    A ``|`` is percent-encoded (``%7C``, the same address): in a Markdown table it would end the
    cell, even inside a link."""
    return str(url).replace("|", "%7C") if _SAFE_URL.match(str(url)) else ""


def template_directory() -> Path:
    """Templates ship inside the package; in a source checkout they live in ``templates/``."""
    packaged = resources.files("multisum") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "templates"


@lru_cache(maxsize=4)
def environment(*, html: bool = False, sandboxed: bool = False) -> Environment:
    """The environment for Markdown (escaping is the explicit ``md`` filter) or HTML (autoescape).

    Missing fields fail loudly (``StrictUndefined``); a template the user supplies runs sandboxed.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    kind = bounded_sandbox() if sandboxed else Environment
    made = kind(
        loader=FileSystemLoader(template_directory()),
        undefined=StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=not html,  # a page ends at </html>; Markdown ends with its line
        finalize=without_bidi_controls,
    )
    made.filters["md"] = escape_markdown
    made.filters["safe_url"] = safe_url
    made.globals["content_security_policy"] = Markup(CONTENT_SECURITY_POLICY)  # ours, not data
    if sandboxed:
        made.filters = {name: bounded_filter(f) for name, f in made.filters.items()}
        made.globals[LOOP_BUDGET] = count_loop_steps
    return made


def packaged_template(name: str) -> Template:
    """One of the templates shipped with multisum."""
    return environment(html=name.endswith(".html.j2")).get_template(name)


def user_template(path: str | Path, *, html: bool = False) -> Template:
    """A template file the user wrote, compiled in the sandbox; for HTML, with autoescaping on,
    so article text stays text whatever the template does with it."""
    from jinja2 import TemplateError as JinjaError

    file = Path(path)
    if not file.is_file():
        raise TemplateError(f"template not found: {path}")
    try:
        source = file.read_text(encoding="utf-8")
        return environment(html=html, sandboxed=True).from_string(source)
    except (JinjaError, UnicodeDecodeError, RecursionError) as error:
        raise TemplateError(f"the template {path} cannot be read: {error}") from None


def render_template(template: Template, what: str, **context: object) -> str:
    """Render, turning any template failure into one message that names what was rendered."""
    return "".join(render_pieces(template, what, **context))


def render_pieces(template: Template, what: str, **context: object) -> Iterator[str]:
    """The pieces Jinja2 generates, so a large file need never be one string; a template failure
    becomes one message that names what was rendered."""
    from jinja2 import TemplateError as JinjaError

    bounded = template.environment.sandboxed  # a user's template: see MAX_TEMPLATE_OUTPUT
    budget = CURRENT_BUDGET.set(LoopBudget() if bounded else None)
    written = 0
    try:
        for piece in template.generate(**context):
            written += len(piece)
            if bounded and written > MAX_TEMPLATE_OUTPUT:
                raise TemplateError(
                    f"the {what} failed to render: it wrote more than {MAX_TEMPLATE_OUTPUT:,} "
                    "characters, the most a template may write"
                )
            yield str(piece)  # plain text: Markup would escape what it is joined with
    except JinjaError as error:
        raise TemplateError(f"the {what} failed to render: {error}") from None
    except (MemoryError, RecursionError, OverflowError) as error:
        problem = {
            MemoryError: "it ran out of memory",
            RecursionError: "it recursed too deeply (a macro calling itself?)",
        }.get(type(error), f"a number grew too large ({error})")
        raise TemplateError(f"the {what} failed to render: {problem}") from None
    finally:
        with contextlib.suppress(ValueError):  # a generator closed from another context
            CURRENT_BUDGET.reset(budget)
