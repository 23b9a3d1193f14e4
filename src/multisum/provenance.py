"""Character offsets and hashes for everything a briefing cites, so a reader can check them later."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from multisum.model import Briefing, Citation, Line, Section, Sentence, Story


def text_hash(text: str) -> str:
    """The sha256 of ``text`` as UTF-8: what ``multisum verify`` compares."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sentence_citation(sentence: Sentence) -> Citation:
    return Citation(
        sentence.article, sentence.start, sentence.end, text_hash(sentence.text), sentence.index
    )


def locate_sources(briefing: Briefing, story: Story) -> Briefing:
    """Give every line source the offsets and hash of its sentence in the cleaned article."""
    by_key = {(s.article, s.index): s for s in story.sentences}

    def locate(line: Line) -> Line:
        sources = []
        for source in line.sources:
            sentence = by_key[(source.article, source.sentence)]
            sources.append(
                replace(
                    source, start=sentence.start, end=sentence.end, sha256=text_hash(sentence.text)
                )
            )
        return replace(line, sources=tuple(sources))

    sections = tuple(
        Section(section.topic, tuple(locate(line) for line in section.lines))
        for section in briefing.sections
    )
    return replace(briefing, sections=sections)
