"""Choose the lines that fit the budget, group them into topic sections and order them to read well."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from multisum.model import Briefing, Citation, Line, Section, Story, Topic
from multisum.options import Options
from multisum.pipeline.dedupe import FactGroup
from multisum.text import content_terms, tfidf_matrix, word_count

#: Lines more similar than this to a chosen line repeat it and are left out.
REDUNDANT = 0.28
#: Each line a topic already has discounts its next candidate by this factor.
TOPIC_DECAY = 0.75


def assemble_briefing(
    story: Story,
    topics: Sequence[Topic],
    groups: Sequence[FactGroup],
    similarity: np.ndarray,
    options: Options,
    *,
    notes: Sequence[str] = (),
) -> Briefing:
    """Fill the budget with the best fact groups, covering the most important topics first."""
    topic_of = {
        position: number for number, topic in enumerate(topics) for position in topic.members
    }
    ranked = sorted(
        (g for g in groups if g.members[0] in topic_of), key=lambda g: (-g.weight, g.members[0])
    )
    importance = _topic_importance(ranked, topic_of, len(topics))
    chosen = _select(story, ranked, topic_of, importance, similarity, options)

    lines_by_topic: dict[int, list[Line]] = {}
    for group in chosen:
        line = _line(story, group, topic_of[group.members[0]])
        lines_by_topic.setdefault(line.topic, []).append(line)
    order = sorted(lines_by_topic, key=lambda t: (-importance[t], t))
    sections = tuple(
        Section(
            topics[t].label,
            tuple(sorted(lines_by_topic[t], key=lambda line: (line.position, -line.score))),
        )
        for t in order
    )
    return Briefing(
        title=_story_title(story),
        articles=story.articles,
        sections=sections,
        algorithm=options.algorithm,
        notes=tuple(notes),
    )


def _topic_importance(
    groups: Sequence[FactGroup], topic_of: dict[int, int], count: int
) -> list[float]:
    """A topic matters as much as its best two facts together, weighted by how many outlets report them."""
    best: list[list[float]] = [[] for _ in range(count)]
    for group in groups:
        best[topic_of[group.members[0]]].append(group.weight)
    return [sum(sorted(values, reverse=True)[:2]) for values in best]


def _select(
    story: Story,
    groups: Sequence[FactGroup],
    topic_of: dict[int, int],
    importance: Sequence[float],
    similarity: np.ndarray,
    options: Options,
) -> list[FactGroup]:
    """Greedy selection with diminishing returns per topic.

    First the best fact of each topic (most important topic first), then repeatedly the fact with
    the best score discounted by ``TOPIC_DECAY`` for every line its topic already has, so one busy
    topic cannot crowd out the others. Facts that repeat a chosen line are skipped.
    """
    by_topic: dict[int, FactGroup] = {}
    for group in groups:
        by_topic.setdefault(topic_of[group.members[0]], group)
    queue = [by_topic[t] for t in sorted(by_topic, key=lambda t: (-importance[t], t))]
    remaining = [g for g in groups if g not in queue]
    chosen: list[FactGroup] = []
    per_topic: dict[int, int] = {}
    used_words = 0
    while queue or remaining:
        if queue:
            group = queue.pop(0)
        else:
            group = max(
                remaining,
                key=lambda g: (
                    g.weight * TOPIC_DECAY ** per_topic.get(topic_of[g.members[0]], 0),
                    -g.members[0],
                ),
            )
            remaining.remove(group)
        if _repeats(group, chosen, similarity):
            continue
        if options.sentences is not None:
            if len(chosen) >= options.sentences:
                break
        else:
            size = word_count(story.sentences[group.members[0]].text)
            if used_words + size > options.words:
                continue
            used_words += size
        chosen.append(group)
        topic = topic_of[group.members[0]]
        per_topic[topic] = per_topic.get(topic, 0) + 1
    return chosen


def _repeats(group: FactGroup, chosen: Sequence[FactGroup], similarity: np.ndarray) -> bool:
    for other in chosen:
        if similarity[np.ix_(group.members, other.members)].max() >= REDUNDANT:
            return True
    return False


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
