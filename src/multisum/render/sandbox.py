"""The sandbox a template the user supplies (``--template``) runs in: Jinja2's own, which refuses
unsafe attributes and caps ``range``, bounded so that a template cannot exhaust the machine either
(``{{ "x" * 2000000000 }}`` was a MemoryError, nested loops ran for hours)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

#: Bounds on a template the user supplies (``--template``), which runs sandboxed: the characters
#: it may write (a briefing page is some 100 kB), the steps all its loops may take together (a
#: briefing's loops take a few thousand; nested loops must not run for hours), and the size of any
#: string or list it makes by repetition or padding. Packaged templates are ours and not bounded:
#: a firehose's digest is large by right.
MAX_TEMPLATE_OUTPUT = 10_000_000
MAX_TEMPLATE_LOOP_STEPS = 1_000_000
MAX_TEMPLATE_VALUE = 1_000_000
#: The name a user template's loops are counted through (``bounded_sandbox``).
LOOP_BUDGET = "__multisum_loop_budget"
#: A width or count in a format string (``"%9999999999s"``, ``"{:>9999999999}"``).
_FORMAT_NUMBER = re.compile(r"[0-9]{7,}")
#: A width or precision a format string takes from its arguments: ``"%*d"``, ``"%.*f"``, and a
#: replacement field nested in a format spec, ``"{:{w}}"``.
_WIDTH_ARGUMENT = re.compile(r"%[-+ #0]*(?:\*|[0-9]*\.\*)|\{[^{}]*:[^{}]*\{")


def bounded_sandbox() -> type:
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
                if _WIDTH_ARGUMENT.search(left):
                    values = right if isinstance(right, tuple) else (right,)
                    _check_counts(values, "a format width")
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
                if node.name == LOOP_BUDGET:
                    raise TemplateSyntaxError(
                        f"{LOOP_BUDGET} is a name multisum keeps", node.lineno, name, filename
                    )
            for loop in tree.find_all(nodes.For):
                loop.iter = nodes.Call(
                    nodes.Name(LOOP_BUDGET, "load", lineno=loop.lineno),
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
        # What it formats is data; its format string was checked (``wrap_str_format``), unless
        # that string takes a width from the arguments ("{:{w}}"): then they are widths too.
        text = getattr(getattr(function, "__wrapped__", function), "__self__", None)
        if isinstance(text, str) and _WIDTH_ARGUMENT.search(text):
            mapping = args[0] if name == "format_map" and args else {}
            values = mapping.values() if isinstance(mapping, dict) else ()
            _check_counts((*args, *kwargs.values(), *values), "a format width")
        return
    _check_counts((*args, *kwargs.values()), f"calling {name}")


def _check_counts(values: Iterable[Any], what: str) -> None:
    """No integer among ``values`` over ``MAX_TEMPLATE_VALUE``."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            _check_size(abs(value), what)


#: The loop budget of the user template being rendered (``render_pieces`` sets it): a context
#: variable, not a template variable, so templates it imports count against it too.
CURRENT_BUDGET: ContextVar[LoopBudget | None] = ContextVar("multisum_loop_budget", default=None)


def count_loop_steps(iterable: Any) -> Iterator[Any]:
    """What a user template's ``for`` loops iterate through (``_BoundedSandbox._parse``): the
    items of ``iterable``, each counted against the render's budget."""
    return (CURRENT_BUDGET.get() or LoopBudget())(iterable)


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


def bounded_filter(function: Any) -> Any:
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
