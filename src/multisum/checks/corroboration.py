"""Corroboration: how many of the story's outlets report a line, and which topics each outlet covers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from multisum.model import Article, Briefing, Coverage, Line, Story, Topic


@dataclass(frozen=True, slots=True)
class Corroboration:
    """``outlets`` of the story's ``total`` outlets report the line; one outlet means unconfirmed."""

    outlets: tuple[str, ...]
    total: int

    @property
    def count(self) -> int:
        return len(self.outlets)

    @property
    def single(self) -> bool:
        return self.count == 1


def corroboration(line: Line, articles: Sequence[Article]) -> Corroboration:
    by_id = {a.id: a for a in articles}
    outlets = dict.fromkeys(by_id[s.article].label for s in line.sources)
    total = len(dict.fromkeys(a.label for a in articles))
    return Corroboration(tuple(outlets), total)


def coverage_grid(
    story: Story, topics: Sequence[Topic], briefing: Briefing
) -> tuple[Coverage, ...]:
    """For each section of the briefing, how many of its topic's sentences each article wrote
    (a section's lines carry its topic's number)."""
    grid = []
    for section in briefing.sections:
        if not section.lines or section.lines[0].topic >= len(topics):
            continue
        topic = topics[section.lines[0].topic]
        writers = [story.sentences[m].article for m in topic.members]
        grid.append(Coverage(section.topic, tuple(writers.count(a.id) for a in briefing.articles)))
    return tuple(grid)
