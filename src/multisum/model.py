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
    """Where a line was reported: an article id and the sentence's index in that cleaned article.

    ``start``/``end`` (offsets into the cleaned article text) and ``sha256`` (of that sentence's
    text) let ``multisum verify`` re-check the citation later; they are set by ``provenance``.
    """

    article: str
    sentence: int
    start: int | None = None
    end: int | None = None
    sha256: str = ""


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
class Citation:
    """Verbatim text at ``start``/``end`` of a cleaned article (a quotation or a whole sentence)."""

    article: str
    start: int
    end: int
    sha256: str
    sentence: int | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation, verbatim as ``citations[0]`` prints it, and every outlet carrying it."""

    text: str
    speaker: str
    citations: tuple[Citation, ...]
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity as one outlet states it: ``figure`` is verbatim inside ``sentence``."""

    figure: str
    value: float
    kind: str
    unit: str
    year: int | None
    measure: str
    sentence: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class Comparison:
    """How two figures (positions in ``Disagreement.figures``) differ: one of ``FIGURE_LABELS``."""

    first: int
    second: int
    label: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Figures that outlets give differently for the same quantity, side by side."""

    measure: str
    label: str
    figures: tuple[Figure, ...]
    comparisons: tuple[Comparison, ...]


@dataclass(frozen=True, slots=True)
class Exclusive:
    """A fact only one outlet reported: a verbatim sentence of that outlet's article."""

    text: str
    citation: Citation
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many sentences each article (``counts`` follows ``Briefing.articles``) gives a topic."""

    topic: str
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Briefing:
    """The finished briefing; render it with ``to_markdown`` or ``to_json``."""

    title: str
    articles: tuple[Article, ...]
    sections: tuple[Section, ...]
    algorithm: str
    notes: tuple[str, ...] = field(default=())
    disagreements: tuple[Disagreement, ...] = ()
    quotes: tuple[Quote, ...] = ()
    exclusives: tuple[Exclusive, ...] = ()
    coverage: tuple[Coverage, ...] = ()

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

    def to_html(self) -> str:
        from multisum.render import render_html

        return render_html(self)
