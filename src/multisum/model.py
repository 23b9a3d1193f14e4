"""The small immutable types that flow between the pipeline stages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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

    @property
    def label(self) -> str:
        """The outlet as readers see it; outlets count by this name, so two articles from one
        outlet never look like corroboration, and a guessed name says it is one."""
        return self.outlet if self.outlet_known else f"{self.outlet} (outlet unknown)"


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
    """Cleaned articles about one story and all of their sentences, in article order.

    ``notes`` say what preparing the story left out (an article with no text after cleaning).
    """

    articles: tuple[Article, ...]
    sentences: tuple[Sentence, ...]
    notes: tuple[str, ...] = ()

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
class Ranking:
    """A ranker's verdict: a score for each candidate (``positions`` in ``Story.sentences``)."""

    positions: tuple[int, ...]
    scores: tuple[float, ...]

    def best_first(self) -> list[int]:
        """Positions from the best score down; equal scores keep story order."""
        return [p for _, p in sorted(zip((-s for s in self.scores), self.positions))]

    def score_of(self) -> dict[int, float]:
        """The score of each ranked position."""
        return dict(zip(self.positions, self.scores))


def text_hash(text: str | bytes) -> str:
    """The sha256 of ``text`` as UTF-8 (bytes as they are): what ``multisum verify`` compares and
    the digest state records of the files it writes."""
    return hashlib.sha256(text if isinstance(text, bytes) else text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Citation:
    """Verbatim text at ``start``/``end`` of a cleaned article (a whole sentence or a quotation).

    ``sentence`` is the index of the sentence in that article (None for a quotation that spans
    sentences); ``sha256`` hashes the cited text, so ``multisum verify`` can re-check it later.
    """

    article: str
    start: int
    end: int
    sha256: str
    sentence: int | None = None

    @classmethod
    def of(cls, sentence: Sentence) -> Citation:
        """The citation of a whole sentence, made when the sentence is cited."""
        return cls(
            sentence.article, sentence.start, sentence.end, text_hash(sentence.text), sentence.index
        )


@dataclass(frozen=True, slots=True)
class Line:
    """One briefing line: the exact text of ``sources[0]``'s sentence; every source reports it."""

    text: str
    sources: tuple[Citation, ...]
    score: float = 0.0
    topic: int = 0
    position: float = 0.0


@dataclass(frozen=True, slots=True)
class Section:
    topic: str
    lines: tuple[Line, ...]


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
    #: The trained spaCy pipeline that split the sentences (None: the built-in rules), so that
    #: ``multisum verify`` splits the articles the same way when it re-checks the figures.
    spacy_model: str | None = None

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for section in self.sections for line in section.lines)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input left out of a digest and why, so that nothing is dropped silently."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Continuation:
    """The earlier digest story that a new story carries on."""

    digest: str
    title: str


@dataclass(frozen=True, slots=True)
class DigestStory:
    """One story of a digest: its original articles, the copies of them, and a briefing.

    The articles are as cleaned (the text the briefing quotes), under their titles as read.
    ``briefing`` is None for a story told by a single outlet, which the digest lists briefly.
    """

    title: str
    articles: tuple[Article, ...]
    copies: tuple[tuple[str, tuple[Article, ...]], ...]
    briefing: Briefing | None
    continues: Continuation | None = None
    notes: tuple[str, ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({a.outlet for a in self.articles}))


@dataclass(frozen=True, slots=True)
class CarriedStory:
    """A story of an earlier digest file of the same date that the state did not write (its
    record was lost): carried into the new digest, so that rewriting the file loses nothing.

    ``data`` is the story as that file's JSON gave it (checked, see ``digests.outputs``).
    """

    title: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Digest:
    """The result of a run: the stories (empty when nothing was new) and the files written."""

    date: str
    stories: tuple[DigestStory, ...]
    read: int
    new: int
    skipped: tuple[Skipped, ...]
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()
    carried: tuple[CarriedStory, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "new": self.new,
            "stories": len(self.stories) + len(self.carried),
            "skipped": len(self.skipped),
        }
