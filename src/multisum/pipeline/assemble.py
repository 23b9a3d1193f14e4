"""Arrange the chosen lines into topic sections, the lead first, and build the briefing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from multisum.model import Briefing, Citation, Line, Section, Story, Topic
from multisum.options import Options
from multisum.pipeline.dedupe import FactGroup
from multisum.pipeline.selection import is_repeat
from multisum.pipeline.topics import name_sections
from multisum.text import content_terms, tfidf_matrix, word_count


def assemble_briefing(
    story: Story,
    topics: Sequence[Topic],
    groups: Sequence[FactGroup],
    options: Options,
    *,
    notes: Sequence[str] = (),
) -> Briefing:
    """Lay the chosen lines (``groups``, in briefing order, the lead first) out under their topics.

    Selection has decided what is said; topics only arrange it. The lead's section comes first
    with the lead at its top, the other sections follow in the order of their best line, and
    within a section lines keep the order in which their articles tell them. Each section is
    named in its lines' own words (``topics.name_sections``).
    """
    topic_of = {
        position: number for number, topic in enumerate(topics) for position in topic.members
    }
    representatives = [group.members[0] for group in groups]
    lines = [
        _line(story, group, topic_of.get(position, 0))
        for group, position in zip(groups, representatives)
    ]
    by_topic: dict[int, list[int]] = {}  # insertion order: each topic at its best line
    for k, line in enumerate(lines):
        by_topic.setdefault(line.topic, []).append(k)
    arranged = [
        sorted(members, key=lambda k: (k != 0, lines[k].position, k))
        for members in by_topic.values()
    ]
    title = {article.id: article.title for article in story.articles}
    label = {article.id: article.label for article in story.articles}
    headings = name_sections(
        story,
        [
            [(representatives[k], len({label[c.article] for c in lines[k].sources})) for k in order]
            for order in arranged
        ],
        [
            sorted({title[c.article] for k in order for c in lines[k].sources} - {""})
            for order in arranged
        ],
    )
    sections = tuple(
        Section(heading, tuple(lines[k] for k in order))
        for heading, order in zip(headings, arranged)
    )
    return Briefing(
        title=_story_title(story),
        articles=story.articles,
        sections=sections,
        algorithm=options.algorithm,
        notes=tuple(notes),
    )


#: Words the Markdown wording adds around the content (a word has a letter or a digit, so list
#: marks and dashes are none): the preamble under the title, a section heading of the checks, a
#: line's corroboration note ("4 of 5 outlets"), a figure's year ("in 2023").
PREAMBLE_WORDS = 20
HEADING_WORDS = 2
CORROBORATED_WORDS = 4
FIGURE_WORDS = 2


def fit_body(
    briefing: Briefing,
    story: Story,
    similarity: np.ndarray,
    limit: int | None,
    *,
    max_quotes: int | None = None,
) -> Briefing:
    """Keep the checks that add something and fit: nothing twice, the body within ``limit``.

    A quotation or an "only in" fact whose sentence is a line, or repeats one as selection
    judges repeats (``selection.is_repeat``), would tell the reader again what they just read;
    it goes. Then disagreements, quotes and "only in" take turns (the most important of each
    first) for the words the lines leave under ``limit``; an item that does not fit is left out,
    a shorter one after it may still fit. ``limit`` None keeps every item that adds something.
    ``max_quotes`` caps the quotations kept (None: no cap).
    """
    label = {a.id: a.label for a in briefing.articles}
    where = {(s.article, s.index): k for k, s in enumerate(story.sentences)}
    lines = [where[(line.sources[0].article, line.sources[0].sentence)] for line in briefing.lines]

    def inside_a_line(citation: Citation) -> bool:
        k = where.get((citation.article, citation.sentence))  # quotes cite their sentence too
        return k is not None and any(k == line or is_repeat(similarity[k, line]) for line in lines)

    # A voice the lines have not let speak comes first, then one with a name, then the checks'
    # order: To Lam's words in a line and Lâm's in a quote tell the reader one thing twice.
    heard = _folded(" ".join(line.text for line in briefing.lines))
    quotes = sorted(
        (q for q in briefing.quotes if not any(inside_a_line(c) for c in q.citations)),
        key=lambda q: (_named_in(q.speaker, heard), not _names_someone(q.speaker)),
    )[:max_quotes]
    exclusives = [e for e in briefing.exclusives if not inside_a_line(e.citation)]
    disagreements = list(briefing.disagreements)
    if limit is None:
        return replace(briefing, quotes=tuple(quotes), exclusives=tuple(exclusives))

    def names(citations: Sequence[Citation]) -> int:
        return sum(word_count(label[c.article]) for c in citations)

    def corroboration(line: Line) -> int:
        outlets = len({label[c.article] for c in line.sources})
        return CORROBORATED_WORDS if outlets > 1 else 0

    used = PREAMBLE_WORDS + word_count(briefing.title)
    used += sum(1 + word_count(note) for note in briefing.notes)  # "Note: ..."
    used += sum(word_count(section.topic) for section in briefing.sections)
    used += sum(
        word_count(line.text) + names(line.sources) + corroboration(line) for line in briefing.lines
    )
    costs = {
        "disagreements": [
            word_count(d.measure)
            + word_count(d.label)
            + sum(FIGURE_WORDS + word_count(f.figure) + names([f.citation]) for f in d.figures)
            for d in disagreements
        ],
        "quotes": [
            word_count(q.text) + word_count(q.speaker or "speaker not named") + names(q.citations)
            for q in quotes
        ],
        "exclusives": [word_count(e.text) + names([e.citation]) for e in exclusives],
    }
    items = {"disagreements": disagreements, "quotes": quotes, "exclusives": exclusives}
    kept: dict[str, list] = {kind: [] for kind in items}
    for turn in range(max(map(len, items.values()), default=0)):
        for kind, found in items.items():
            if turn >= len(found):
                continue
            cost = costs[kind][turn] + (HEADING_WORDS if not kept[kind] else 0)
            if used + cost <= limit:
                kept[kind].append(found[turn])
                used += cost
    return replace(
        briefing,
        disagreements=tuple(kept["disagreements"]),
        quotes=tuple(kept["quotes"]),
        exclusives=tuple(kept["exclusives"]),
    )


def _folded(text: str) -> str:
    """Lower case without accents, so "Lâm" finds "Lam"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names_someone(speaker: str) -> bool:
    """Whether the speaker is more than a pronoun ("He" tells the reader nothing out of context)."""
    return bool(speaker) and speaker.split()[0].lower() not in _PRONOUNS


_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})


def _named_in(speaker: str, text: str) -> bool:
    """Whether the speaker's name (the last word, when capitalised) appears in ``text``."""
    name = speaker.split()[-1] if speaker.split() else ""
    return name[:1].isupper() and re.search(rf"\b{re.escape(_folded(name))}\b", text) is not None


def _line(story: Story, group: FactGroup, topic: int) -> Line:
    representative = story.sentences[group.members[0]]
    total = sum(1 for s in story.sentences if s.article == representative.article)
    return Line(
        text=representative.text,
        sources=tuple(Citation.of(story.sentences[m]) for m in group.members),
        score=group.score,
        topic=topic,
        position=representative.index / max(1, total),
    )


def _story_title(story: Story) -> str:
    """The headline of the article closest to what the whole story says."""
    titled = [a for a in story.articles if a.title]
    if not titled:
        return "Briefing"
    documents = [content_terms(a.title) for a in titled]
    documents.append([t for s in story.sentences for t in content_terms(s.text)])
    vectors, _ = tfidf_matrix(documents)
    closeness = (vectors[:-1] @ vectors[-1].T).toarray().ravel()
    return titled[int(np.argmax(closeness))].title
