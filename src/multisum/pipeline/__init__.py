"""The briefing pipeline, one module per stage; the flow reads top to bottom.

``prepare_story`` cleans each article once and splits it once; ``brief_story`` ranks, chooses the
lines within the budget, attributes them, arranges them by topic, adds the cross-outlet checks and
keeps those that fit the body's bound. The digest calls
the same two steps on articles it has already cleaned at harvest (``split_story``).

``summarize`` (what ``multisum brief`` runs) reads forgivingly (``ingest.gather_articles``: a file
that cannot be used is skipped and noted), counts copies of one article once (``copies``) and
names articles on other stories (``coherence``) between cleaning and splitting. ``build_briefing``
leaves those two out, so the evaluation scores the ranking on the clusters exactly as given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from multisum.checks.corroboration import coverage_grid
from multisum.checks.exclusives import find_exclusives
from multisum.checks.figures import find_disagreements
from multisum.checks.quotes import find_quotes
from multisum.errors import InputError
from multisum.model import Article, Briefing, Story
from multisum.options import (
    DEFAULT_ALGORITHM,
    DEFAULT_EXCLUSIVES,
    DEFAULT_MAX_ARTICLE_SIZE,
    DEFAULT_QUOTES,
    DEFAULT_WORDS,
    MAX_ARTICLES,
    Options,
)
from multisum.pipeline.assemble import assemble_briefing, fit_body
from multisum.pipeline.clean import clean_article
from multisum.pipeline.coherence import mixture_note
from multisum.pipeline.copies import merge_copies
from multisum.pipeline.dedupe import merge_duplicates, similarity_matrix, states_fact
from multisum.pipeline.ingest import gather_articles
from multisum.pipeline.selection import select_lines
from multisum.pipeline.sentences import candidate_positions, split_sentences
from multisum.pipeline.topics import find_topics
from multisum.rankers import get_ranker, rank_sentences

if TYPE_CHECKING:
    import numpy as np

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
    quotes: int = DEFAULT_QUOTES,
    exclusives: int = DEFAULT_EXCLUSIVES,
    max_article_size: int = DEFAULT_MAX_ARTICLE_SIZE,
    exclude: Iterable[str | Path] = (),
) -> Briefing:
    """Build a sourced briefing from article files, folders or ``Article`` objects.

    The keywords are the fields of ``Options``, the same names as the command-line flags, and
    ``exclude``: files never to read as articles (``brief -o`` passes the file it will replace).
    A file that cannot be used is skipped, and the briefing's notes say which and why.
    """
    options = Options(
        algorithm=algorithm,
        words=words,
        sentences=sentences,
        topics=topics,
        spacy_model=spacy_model,
        quotes=quotes,
        exclusives=exclusives,
        max_article_size=max_article_size,
    )
    get_ranker(options.algorithm)  # fail on a bad name before any work
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    reading = gather_articles(
        inputs, max_size=options.max_article_size, exclude=exclude, max_articles=MAX_ARTICLES
    )
    skips = [f"skipped {s.source}: {s.reason}" for s in reading.skipped]
    cleaned = [clean_article(article) for article in reading.articles]
    distinct = merge_copies(reading.articles, cleaned)  # a wire story on three sites is one report
    mixture = mixture_note(distinct.articles)  # unrelated stories are named, never mixed silently
    notes = [*skips, *distinct.notes, *([mixture] if mixture else [])]
    story = split_story(distinct.articles, spacy_model=options.spacy_model, notes=notes)
    return brief_story(story, options)


def build_briefing(articles: Sequence[Article], options: Options) -> Briefing:
    """Raw articles in, briefing out: ``brief_story(prepare_story(articles), options)``."""
    return brief_story(prepare_story(articles, spacy_model=options.spacy_model), options)


def prepare_story(articles: Sequence[Article], *, spacy_model: str | None = None) -> Story:
    """Clean every article once and split it once; articles left without text are noted."""
    return split_story([clean_article(article) for article in articles], spacy_model=spacy_model)


def split_story(
    cleaned: Sequence[Article], *, spacy_model: str | None = None, notes: Sequence[str] = ()
) -> Story:
    """Split already cleaned articles into the story's sentences.

    ``notes`` say what an earlier step left out (a file skipped on reading); they lead the
    story's notes, and the message when no article is left.
    """
    sentences = split_sentences(cleaned, model=spacy_model)
    with_text = {s.article for s in sentences}
    usable = tuple(a for a in cleaned if a.id in with_text)
    notes = [
        *notes,
        *(
            f"skipped {a.path or a.id}: no usable text after cleaning"
            for a in cleaned
            if a.id not in with_text
        ),
    ]
    if not usable:
        shown = "; ".join(notes[:3]) + (f"; and {len(notes) - 3} more" if len(notes) > 3 else "")
        raise InputError(
            "none of the articles has usable text after cleaning" + (f" ({shown})" if shown else "")
        )
    return Story(usable, tuple(sentences), tuple(notes))


def brief_story(story: Story, options: Options) -> Briefing:
    """The briefing of a prepared story: its lines, then the checks that fit the body's bound."""
    # Every quote is found, so that those repeating a line can give way to others under the cap.
    briefing, similarity = _draft(story, options, quotes=len(story.sentences))
    return fit_body(briefing, story, similarity, options.body_words, max_quotes=options.quotes)


def draft_briefing(story: Story, options: Options) -> Briefing:
    """Rank, choose, attribute and arrange the lines, with every check's findings unbounded."""
    return _draft(story, options, quotes=options.quotes)[0]


def _draft(story: Story, options: Options, *, quotes: int) -> tuple[Briefing, np.ndarray]:
    notes = list(story.notes)
    if len(story.articles) == 1:
        notes.append(
            "based on a single article: nothing could be cross-checked against other outlets"
        )
    unknown = [a.id for a in story.articles if not a.outlet_known]
    if unknown:
        notes.append(f"outlet unknown for {', '.join(unknown)}: named after the file")
    candidates = candidate_positions(story)
    if not candidates:
        raise InputError("the articles hold no complete sentences to summarise")
    ranking = rank_sentences(story, candidates, options.algorithm)
    budget_lines = options.sentences or max(1, options.words // _WORDS_PER_LINE)
    topics = find_topics(
        story, candidates, count=options.topics, max_count=max(2, budget_lines // _LINES_PER_TOPIC)
    )
    similarity = similarity_matrix(story)
    chosen = select_lines(
        story,
        ranking,
        similarity,
        strategy=get_ranker(options.algorithm).selection,
        words=options.words,
        sentences=options.sentences,
    )
    groups = merge_duplicates(story, chosen, ranking, similarity)
    briefing = assemble_briefing(story, topics, groups, options, notes=notes)
    briefing = replace(
        briefing,
        coverage=coverage_grid(story, topics, briefing),
        disagreements=find_disagreements(story),
        quotes=find_quotes(story, ranking, limit=quotes if options.quotes else 0),
        exclusives=find_exclusives(
            story,
            ranking,
            similarity,
            briefing,
            per_outlet=options.exclusives,
            states_fact=states_fact,
        ),
        spacy_model=options.spacy_model,
    )
    return briefing, similarity


__all__ = [
    "brief_story",
    "build_briefing",
    "draft_briefing",
    "prepare_story",
    "split_story",
    "summarize",
]
