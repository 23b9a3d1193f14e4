"""The whole pipeline in order: ingest, clean, split, rank, cluster, merge duplicates, assemble."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from multisum.assemble import assemble_briefing
from multisum.clean import clean_article
from multisum.corroborate import coverage_grid
from multisum.dedupe import merge_duplicates, similarity_matrix
from multisum.errors import InputError
from multisum.exclusives import find_exclusives
from multisum.figures import find_disagreements
from multisum.ingest import read_articles
from multisum.model import Article, Briefing, Story
from multisum.options import DEFAULT_ALGORITHM, DEFAULT_WORDS, Options
from multisum.provenance import locate_sources
from multisum.quotes import find_quotes
from multisum.rank import candidate_positions, get_ranker, rank_sentences
from multisum.sentences import split_sentences
from multisum.topics import find_topics

#: Lines per topic the budget should allow before another topic is worth a section.
_LINES_PER_TOPIC = 2
_WORDS_PER_LINE = 25


def summarize(
    inputs: Iterable[str | Path | Article] | str | Path,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    words: int = DEFAULT_WORDS,
    sentences: int | None = None,
    topics: int | None = None,
    spacy_model: str | None = None,
    quotes: int = 6,
    exclusives: int = 2,
) -> Briefing:
    """Build a sourced briefing from article files, folders or ``Article`` objects."""
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    options = Options(
        algorithm=algorithm,
        words=words,
        sentences=sentences,
        topics=topics,
        spacy_model=spacy_model,
        quotes=quotes,
        exclusives=exclusives,
    )
    return build_briefing(read_articles(inputs), options)


def build_briefing(articles: Sequence[Article], options: Options) -> Briefing:
    get_ranker(options.algorithm)  # fail on a bad name before any work
    notes: list[str] = []
    cleaned = [clean_article(article) for article in articles]
    split = split_sentences(cleaned, model=options.spacy_model)
    with_text = {s.article for s in split}
    usable = [a for a in cleaned if a.id in with_text]
    for article in cleaned:
        if article.id not in with_text:
            notes.append(f"skipped {article.path or article.id}: no usable text after cleaning")
    if not usable:
        raise InputError("none of the articles has usable text after cleaning")
    if len(usable) == 1:
        notes.append(
            "based on a single article: nothing could be cross-checked against other outlets"
        )
    unknown = [a.id for a in usable if not a.outlet_known]
    if unknown:
        notes.append(f"outlet unknown for {', '.join(unknown)}: named after the file")

    story = Story(tuple(usable), tuple(split))
    candidates = candidate_positions(story)
    if not candidates:
        raise InputError("the articles hold no complete sentences to summarise")
    scores = rank_sentences(story, candidates, options.algorithm)
    budget_lines = options.sentences or max(1, options.words // _WORDS_PER_LINE)
    topics = find_topics(
        story, candidates, count=options.topics, max_count=max(2, budget_lines // _LINES_PER_TOPIC)
    )
    similarity = similarity_matrix(story)
    groups = merge_duplicates(story, candidates, scores, similarity)
    briefing = assemble_briefing(story, topics, groups, similarity, options, notes=notes)
    briefing = locate_sources(briefing, story)
    ranks = dict(zip(candidates, (float(score) for score in scores)))
    return replace(
        briefing,
        coverage=coverage_grid(story, topics, briefing),
        disagreements=find_disagreements(story),
        quotes=find_quotes(story, ranks, limit=options.quotes),
        exclusives=find_exclusives(
            story, candidates, scores, similarity, briefing, per_outlet=options.exclusives
        ),
    )
