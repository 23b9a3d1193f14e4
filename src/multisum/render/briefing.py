"""Render a briefing: JSON from its data, Markdown from Jinja2 templates shipped with the package."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from multisum.checks.corroboration import corroboration
from multisum.model import Briefing, Citation, Line
from multisum.render.environment import packaged_template, render_template, user_template


def briefing_to_dict(briefing: Briefing) -> dict[str, Any]:
    """The JSON contract: title, articles, sections of lines with their sources.

    ``generator`` comes first and marks the file as multisum's, so that a later run never reads it
    back as an article (``multisum.pipeline.ingest.is_multisum_output``).
    """
    return {
        "generator": generator(),
        "title": briefing.title,
        "algorithm": briefing.algorithm,
        "spacy_model": briefing.spacy_model,
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
                        "sources": [_citation(s) for s in line.sources],
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


@lru_cache(maxsize=1)
def generator() -> str:
    """``multisum`` and its version, as JSON and HTML output name their maker."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"multisum {version('multisum')}"
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "multisum"


def _citation(citation: Citation) -> dict[str, Any]:
    return {
        "article": citation.article,
        "sentence": citation.sentence,
        "start": citation.start,
        "end": citation.end,
        "sha256": citation.sha256,
    }


def _corroboration(line: Line, briefing: Briefing) -> dict[str, Any]:
    found = corroboration(line, briefing.articles)
    return {"count": found.count, "of": found.total, "outlets": list(found.outlets)}


def render_json(briefing: Briefing) -> str:
    return json.dumps(briefing_to_dict(briefing), ensure_ascii=False, indent=2) + "\n"


def render_markdown(briefing: Briefing, *, template: str | Path | None = None) -> str:
    """Render with the packaged ``briefing.md.j2`` or the user's template file (sandboxed)."""
    compiled = packaged_template("briefing.md.j2") if template is None else user_template(template)
    what = "briefing template" if template is None else "template"
    return render_template(compiled, what, **template_context(briefing))


def template_context(briefing: Briefing) -> dict[str, Any]:
    """What templates see: the JSON data plus display names for every outlet."""
    articles = {a.id: a for a in briefing.articles}
    data = briefing_to_dict(briefing)
    for article_data, article in zip(data["articles"], briefing.articles):
        article_data["outlet_name"] = article.label
    for section in data["sections"]:
        for line in section["lines"]:
            line["outlets"] = _distinct(articles[s["article"]].label for s in line["sources"])
    for quote in data["quotes"]:
        quote["outlets"] = _distinct(articles[s["article"]].label for s in quote["sources"])
    for exclusive in data["exclusives"]:
        exclusive["outlet"] = articles[exclusive["source"]["article"]].label
    for disagreement in data["disagreements"]:
        for figure in disagreement["figures"]:
            figure["outlet"] = articles[figure["source"]["article"]].label
    for coverage in data["coverage"]:
        coverage["cells"] = [coverage["counts"][a.id] for a in briefing.articles]
    outlets = _distinct(a.label for a in briefing.articles)
    return {"briefing": data, "outlets": outlets}


def render_html(briefing: Briefing, *, template: str | Path | None = None) -> str:
    """A single self-contained page: autoescaped, no scripts, no external assets.

    A user's ``template`` is compiled in the sandbox with autoescaping on; it should carry the
    ``content_security_policy`` meta tag that the packaged page has.
    """
    compiled = (
        packaged_template("briefing.html.j2")
        if template is None
        else user_template(template, html=True)
    )
    what = "HTML briefing template" if template is None else "template"
    return render_template(compiled, what, **template_context(briefing))


def _distinct(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))
