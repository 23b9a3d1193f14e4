"""Arrange the chosen lines into topic sections, the lead first, and build the briefing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from multisum.model import Briefing, Citation, Line, Section, Story, Topic
from multisum.options import Options
from multisum.pipeline.dedupe import FactGroup
from multisum.text import content_terms, tfidf_matrix

#: Lines more similar than this to a chosen line repeat it and are left out.
REDUNDANT = 0.28
#: Each line a topic already has discounts its next candidate by this factor.
TOPIC_DECAY = 0.75


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
    within a section lines keep the order in which their articles tell them.
    """
    topic_of = {
        position: number for number, topic in enumerate(topics) for position in topic.members
    }
    lines = [_line(story, group, topic_of.get(group.members[0], 0)) for group in groups]
    by_topic: dict[int, list[Line]] = {}  # insertion order: each topic at its best line
    for line in lines:
        by_topic.setdefault(line.topic, []).append(line)
    sections = tuple(
        Section(
            topics[topic].label,
            tuple(sorted(members, key=lambda line: (line is not lines[0], line.position))),
        )
        for topic, members in by_topic.items()
    )
    return Briefing(
        title=_story_title(story),
        articles=story.articles,
        sections=sections,
        algorithm=options.algorithm,
        notes=tuple(notes),
    )


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
