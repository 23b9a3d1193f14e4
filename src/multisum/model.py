"""The small immutable types that flow between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    """One outlet's article: its text and what is known about where it came from.

    ``outlet_known`` is False when the outlet name was only guessed from the file name,
    so that the briefing can say so instead of presenting a guess as fact.
    """

    id: str
    text: str
    outlet: str
    outlet_known: bool = True
    title: str = ""
    url: str = ""
    published: str = ""
    author: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a cleaned article; ``start``/``end`` are offsets into that article's text."""

    text: str
    article: str
    index: int
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Story:
    """Cleaned articles about one story and all of their sentences, in article order."""

    articles: tuple[Article, ...]
    sentences: tuple[Sentence, ...]

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)


@dataclass(frozen=True, slots=True)
class Topic:
    """A group of sentences (positions in ``Story.sentences``) about one subject."""

    label: str
    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a line was reported: an article id and the sentence's index in that cleaned article."""

    article: str
    sentence: int


@dataclass(frozen=True, slots=True)
class Line:
    """One briefing line: the exact text of ``sources[0]``'s sentence, reported by every source."""

    text: str
    sources: tuple[Source, ...]
    score: float = 0.0
    topic: int = 0
    position: float = 0.0


@dataclass(frozen=True, slots=True)
class Section:
    topic: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Briefing:
    """The finished briefing; render it with ``to_markdown`` or ``to_json``."""

    title: str
    articles: tuple[Article, ...]
    sections: tuple[Section, ...]
    algorithm: str
    notes: tuple[str, ...] = field(default=())

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for section in self.sections for line in section.lines)

    def to_dict(self) -> dict:
        from multisum.render import briefing_to_dict

        return briefing_to_dict(self)

    def to_json(self) -> str:
        from multisum.render import render_json

        return render_json(self)

    def to_markdown(self, template: str | None = None) -> str:
        from multisum.render import render_markdown

        return render_markdown(self, template=template)
