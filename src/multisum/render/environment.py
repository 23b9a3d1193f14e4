"""The one Jinja2 environment factory: every page and file multisum renders goes through it, so a
safety rule added here holds for the briefing, the digest and the evaluation table alike."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from multisum.errors import TemplateError

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
#: Bounds on a template the user supplies (``--template``), which runs sandboxed: the characters
#: it may write (a briefing page is some 100 kB), the steps all its loops may take together (a
#: briefing's loops take a few thousand; nested loops must not run for hours), and the size of any
#: string or list it makes by repetition or padding. Packaged templates are ours and not bounded:
#: a firehose's digest is large by right.
MAX_TEMPLATE_OUTPUT = 10_000_000
MAX_TEMPLATE_LOOP_STEPS = 1_000_000
MAX_TEMPLATE_VALUE = 1_000_000
#: The name a user template's loops are counted through (``_BoundedSandbox``).
_LOOP_BUDGET = "__multisum_loop_budget"
#: A width or count in a format string (``"%9999999999s"``, ``"{:>9999999999}"``).
_FORMAT_NUMBER = re.compile(r"[0-9]{7,}")
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


def _bounded_sandbox() -> type:
    """Jinja2's sandbox, bounded: it already refuses unsafe attributes and caps ``range`` at
    100,000, but ``{{ "x" * 2000000000 }}`` is a MemoryError and nested loops run for hours.
    Here repetition, padding and format widths are capped at ``MAX_TEMPLATE_VALUE``, and every
    ``for`` loop counts its steps against the render's ``MAX_TEMPLATE_LOOP_STEPS``."""
    from jinja2 import nodes
    from jinja2.exceptions import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "%"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for sequence, times in ((left, right), (right, left)):
                    if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
                        _check_size(len(sequence) * times, "repeating a value")
            elif operator == "**" and isinstance(left, int) and isinstance(right, int):
                digits = int(max(0, left.bit_length() - 1) * right * 0.30103) + 1
                _check_size(digits, "a power")  # its digits, as it would be written
            elif operator == "%" and isinstance(left, str):
                _check_format(left)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            # str.format and format_map, as the sandbox hands them out: their widths first
            if isinstance(getattr(value, "__self__", None), str):
                _check_format(value.__self__)
            return super().wrap_str_format(value)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _check_arguments(__obj, args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

        def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
            tree = super()._parse(source, name, filename)
            for node in tree.find_all(nodes.Name):
                if node.name == _LOOP_BUDGET:
                    raise TemplateSyntaxError(
                        f"{_LOOP_BUDGET} is a name multisum keeps", node.lineno, name, filename
                    )
            for loop in tree.find_all(nodes.For):
                loop.iter = nodes.Call(
                    nodes.Name(_LOOP_BUDGET, "load", lineno=loop.lineno),
                    [loop.iter],
                    [],
                    None,
                    None,
                    lineno=loop.lineno,
                )
            return tree

    return BoundedSandbox


def _check_size(size: int, what: str) -> None:
    from jinja2.exceptions import SecurityError

    if size > MAX_TEMPLATE_VALUE:
        raise SecurityError(
            f"{what} would make a value of {size:,} characters or items, over the "
            f"{MAX_TEMPLATE_VALUE:,} a template may make"
        )


def _check_format(text: str) -> None:
    """No width or precision in a format string over ``MAX_TEMPLATE_VALUE``."""
    for number in _FORMAT_NUMBER.findall(text):
        _check_size(int(number), "a format width")


def _check_arguments(function: Any, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
    """No count passed to a call or filter over ``MAX_TEMPLATE_VALUE`` (``"x".ljust(10**9)``,
    ``center(10**9)``); what ``format`` formats is data, only its format string is checked."""
    name = getattr(function, "__name__", "a function")
    if name in ("format", "format_map"):
        return  # what it formats is data; its format string was checked (``wrap_str_format``)
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool):
            _check_size(abs(value), f"calling {name}")


#: The loop budget of the user template being rendered (``render_pieces`` sets it): a context
#: variable, not a template variable, so templates it imports count against it too.
_CURRENT_BUDGET: ContextVar[LoopBudget | None] = ContextVar("multisum_loop_budget", default=None)


def count_loop_steps(iterable: Any) -> Iterator[Any]:
    """What a user template's ``for`` loops iterate through (``_BoundedSandbox._parse``): the
    items of ``iterable``, each counted against the render's budget."""
    return (_CURRENT_BUDGET.get() or LoopBudget())(iterable)


class LoopBudget:
    """Counts the steps of every loop of one render of a user template, and stops the render
    when they pass ``MAX_TEMPLATE_LOOP_STEPS``: nested loops cannot hang a run."""

    def __init__(self, limit: int = MAX_TEMPLATE_LOOP_STEPS) -> None:
        self.left = limit
        self.limit = limit

    def __call__(self, iterable: Any) -> Iterator[Any]:
        from jinja2.exceptions import SecurityError

        for item in iterable:
            self.left -= 1
            if self.left < 0:
                raise SecurityError(
                    f"its loops took more than {self.limit:,} steps in all, the most a "
                    "template may take (nested loops?)"
                )
            yield item


def _bounded_filter(function: Any) -> Any:
    """A filter whose counts are checked first (``center(2000000000)``)."""
    from functools import wraps

    passes = getattr(function, "jinja_pass_arg", None)  # context or environment comes first
    skip = 1 if passes is None else 2

    @wraps(function)  # keeps Jinja's pass_context / pass_environment mark
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if function.__name__ == "do_format":  # the value is the format string
            _check_format(str(args[skip - 1]))
        else:
            _check_arguments(function, args[skip:], kwargs)
        return function(*args, **kwargs)

    return bounded


@lru_cache(maxsize=4)
def environment(*, html: bool = False, sandboxed: bool = False) -> Environment:
    """The environment for Markdown (escaping is the explicit ``md`` filter) or HTML (autoescape).

    Missing fields fail loudly (``StrictUndefined``); a template the user supplies runs sandboxed.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    kind = _bounded_sandbox() if sandboxed else Environment
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
        made.filters = {name: _bounded_filter(f) for name, f in made.filters.items()}
        made.globals[_LOOP_BUDGET] = count_loop_steps
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
    budget = _CURRENT_BUDGET.set(LoopBudget() if bounded else None)
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
            _CURRENT_BUDGET.reset(budget)
