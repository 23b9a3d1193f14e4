"""multisum: many news articles about one story in, one short briefing out, every line sourced."""

from __future__ import annotations

from multisum.digest import Digest, DigestStory, digest
from multisum.errors import InputError, MultisumError, TemplateError, UnknownAlgorithmError
from multisum.evaluate import evaluate
from multisum.model import Article, Briefing, Line, Section, Sentence, Source
from multisum.options import Options
from multisum.pipeline import build_briefing, summarize
from multisum.rank import available_rankers, ranker

__all__ = [
    "Article",
    "Briefing",
    "Digest",
    "DigestStory",
    "InputError",
    "Line",
    "MultisumError",
    "Options",
    "Section",
    "Sentence",
    "Source",
    "TemplateError",
    "UnknownAlgorithmError",
    "available_rankers",
    "build_briefing",
    "digest",
    "evaluate",
    "ranker",
    "summarize",
]
