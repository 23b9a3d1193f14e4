"""multisum: many news articles about one story in, one short briefing out, every line sourced.

The API is loaded on first use (PEP 562), so ``import multisum`` and ``multisum --help`` load
none of numpy, scipy, spaCy, sumy or Jinja2.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: Public name -> the module that defines it.
_API = {
    "Article": "multisum.model",
    "Briefing": "multisum.model",
    "Citation": "multisum.model",
    "Digest": "multisum.model",
    "DigestStory": "multisum.model",
    "Line": "multisum.model",
    "Ranking": "multisum.model",
    "Section": "multisum.model",
    "Sentence": "multisum.model",
    "Story": "multisum.model",
    "MultisumError": "multisum.errors",
    "InputError": "multisum.errors",
    "OptionsError": "multisum.errors",
    "TemplateError": "multisum.errors",
    "UnknownAlgorithmError": "multisum.errors",
    "DigestOptions": "multisum.options",
    "Options": "multisum.options",
    "summarize": "multisum.pipeline",
    "build_briefing": "multisum.pipeline",
    "prepare_story": "multisum.pipeline",
    "brief_story": "multisum.pipeline",
    "ranker": "multisum.rankers",
    "available_rankers": "multisum.rankers",
    "to_dict": "multisum.render",
    "to_json": "multisum.render",
    "to_markdown": "multisum.render",
    "to_html": "multisum.render",
    "digest": "multisum.digests",
    "evaluate": "multisum.evaluation",
    "verify_file": "multisum.verify",
}
#: Public names whose definition carries another name in its module.
_RENAMED = {
    "to_dict": "briefing_to_dict",
    "to_json": "render_json",
    "to_markdown": "render_markdown",
    "to_html": "render_html",
}

__all__ = [
    "Article",
    "Briefing",
    "Citation",
    "Digest",
    "DigestOptions",
    "DigestStory",
    "InputError",
    "Line",
    "MultisumError",
    "Options",
    "OptionsError",
    "Ranking",
    "Section",
    "Sentence",
    "Story",
    "TemplateError",
    "UnknownAlgorithmError",
    "available_rankers",
    "brief_story",
    "build_briefing",
    "digest",
    "evaluate",
    "prepare_story",
    "ranker",
    "summarize",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
    "verify_file",
]

if TYPE_CHECKING:
    from multisum.digests import digest
    from multisum.errors import (
        InputError,
        MultisumError,
        OptionsError,
        TemplateError,
        UnknownAlgorithmError,
    )
    from multisum.evaluation import evaluate
    from multisum.model import (
        Article,
        Briefing,
        Citation,
        Digest,
        DigestStory,
        Line,
        Ranking,
        Section,
        Sentence,
        Story,
    )
    from multisum.options import DigestOptions, Options
    from multisum.pipeline import brief_story, build_briefing, prepare_story, summarize
    from multisum.rankers import available_rankers, ranker
    from multisum.render import briefing_to_dict as to_dict
    from multisum.render import render_html as to_html
    from multisum.render import render_json as to_json
    from multisum.render import render_markdown as to_markdown
    from multisum.verify import verify_file


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'multisum' has no attribute {name!r}")
    value = getattr(import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
