"""Render a briefing: JSON from its data, Markdown from Jinja2 templates shipped with the package."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from multisum.corroborate import corroboration
from multisum.errors import TemplateError
from multisum.model import Article, Briefing, Citation, Source

if TYPE_CHECKING:
    from jinja2 import Environment

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s)")


def escape_markdown(text: str) -> str:
    """Escape what Markdown would read as markup, so article text always renders as plain text."""
    text = re.sub(r"[\r\n]+", " ", str(text))  # a line break could start a heading or a list
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LINE_START_SPECIAL.sub(r"\1\\\2", text)


_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def safe_url(url: str) -> str:
    """``url`` when it is a plain http(s) address, else "": no ``javascript:`` link ever goes live."""
    return url if _SAFE_URL.match(str(url)) else ""


def outlet_name(article: Article) -> str:
    return article.outlet if article.outlet_known else f"{article.outlet} (outlet unknown)"


def briefing_to_dict(briefing: Briefing) -> dict[str, Any]:
    """The JSON contract: title, articles, sections of lines with their sources."""
    return {
        "title": briefing.title,
        "algorithm": briefing.algorithm,
        "notes": list(briefing.notes),
        "articles": [
            {
                "id": a.id,
                "outlet": a.outlet if a.outlet_known else None,
                "title": a.title,
                "url": a.url,
                "published": a.published,
                "path": a.path,
            }
            for a in briefing.articles
        ],
        "sections": [
            {
                "topic": section.topic,
                "lines": [
                    {
                        "text": line.text,
                        "sources": [_source(s) for s in line.sources],
                        "corroboration": _corroboration(line, briefing),
                    }
                    for line in section.lines
                ],
            }
            for section in briefing.sections
        ],
        "disagreements": [
            {
                "measure": d.measure,
                "label": d.label,
                "figures": [
                    {
                        "figure": f.figure,
                        "value": f.value,
                        "kind": f.kind,
                        "unit": f.unit,
                        "year": f.year,
                        "text": f.sentence,
                        "source": _citation(f.citation),
                    }
                    for f in d.figures
                ],
                "comparisons": [
                    {"first": c.first, "second": c.second, "label": c.label} for c in d.comparisons
                ],
            }
            for d in briefing.disagreements
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "sources": [_citation(c) for c in q.citations],
            }
            for q in briefing.quotes
        ],
        "exclusives": [
            {"text": e.text, "source": _citation(e.citation)} for e in briefing.exclusives
        ],
        "coverage": [
            {"topic": c.topic, "counts": dict(zip([a.id for a in briefing.articles], c.counts))}
            for c in briefing.coverage
        ],
    }


def _source(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {"article": source.article, "sentence": source.sentence}
    if source.start is not None:
        data.update(start=source.start, end=source.end, sha256=source.sha256)
    return data


def _citation(citation: Citation) -> dict[str, Any]:
    return {
        "article": citation.article,
        "sentence": citation.sentence,
        "start": citation.start,
        "end": citation.end,
        "sha256": citation.sha256,
    }


def _corroboration(line, briefing: Briefing) -> dict[str, Any]:
    found = corroboration(line, briefing.articles)
    return {"count": found.count, "of": found.total, "outlets": list(found.outlets)}


def render_json(briefing: Briefing) -> str:
    return json.dumps(briefing_to_dict(briefing), ensure_ascii=False, indent=2) + "\n"


def render_markdown(briefing: Briefing, *, template: str | Path | None = None) -> str:
    """Render with the packaged ``briefing.md.j2`` or the user's template file."""
    from jinja2 import TemplateError as JinjaError

    environment = _environment()
    try:
        if template is None:
            compiled = environment.get_template("briefing.md.j2")
        else:
            path = Path(template)
            if not path.is_file():
                raise TemplateError(f"template not found: {template}")
            compiled = environment.from_string(path.read_text(encoding="utf-8"))
        return compiled.render(**template_context(briefing))
    except JinjaError as error:
        raise TemplateError(f"the template failed to render: {error}") from None


def template_context(briefing: Briefing) -> dict[str, Any]:
    """What templates see: the JSON data plus display names for every outlet."""
    articles = {a.id: a for a in briefing.articles}
    data = briefing_to_dict(briefing)
    for article_data, article in zip(data["articles"], briefing.articles):
        article_data["outlet_name"] = outlet_name(article)
    for section in data["sections"]:
        for line in section["lines"]:
            line["outlets"] = _distinct(
                outlet_name(articles[s["article"]]) for s in line["sources"]
            )
    for quote in data["quotes"]:
        quote["outlets"] = _distinct(outlet_name(articles[s["article"]]) for s in quote["sources"])
    for exclusive in data["exclusives"]:
        exclusive["outlet"] = outlet_name(articles[exclusive["source"]["article"]])
    for disagreement in data["disagreements"]:
        for figure in disagreement["figures"]:
            figure["outlet"] = outlet_name(articles[figure["source"]["article"]])
    for coverage in data["coverage"]:
        coverage["cells"] = [coverage["counts"][a.id] for a in briefing.articles]
    outlets = _distinct(outlet_name(a) for a in briefing.articles)
    return {"briefing": data, "outlets": outlets}


def render_html(briefing: Briefing) -> str:
    """A single self-contained page: autoescaped, no scripts, no external assets."""
    from jinja2 import TemplateError as JinjaError

    try:
        return (
            _html_environment()
            .get_template("briefing.html.j2")
            .render(**template_context(briefing))
        )
    except JinjaError as error:
        raise TemplateError(f"the HTML template failed to render: {error}") from None


def _distinct(names) -> list[str]:
    return list(dict.fromkeys(names))


def template_directory() -> Path:
    """Templates ship inside the package; in a source checkout they live in ``templates/``."""
    packaged = resources.files("multisum") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(template_directory()),
        undefined=StrictUndefined,
        autoescape=False,  # Markdown output: escaping is the explicit `md` filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = escape_markdown
    environment.filters["safe_url"] = safe_url
    return environment


@lru_cache(maxsize=1)
def _html_environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(template_directory()),
        undefined=StrictUndefined,
        autoescape=True,  # article text is data: it must never become markup
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["safe_url"] = safe_url
    return environment
