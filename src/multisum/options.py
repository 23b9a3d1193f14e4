"""Every pipeline option in one frozen object; the CLI flags and API keywords map onto it one to one."""

from __future__ import annotations

from dataclasses import dataclass

from multisum.errors import MultisumError

DEFAULT_ALGORITHM = "multisum"
DEFAULT_WORDS = 250


@dataclass(frozen=True, slots=True)
class Options:
    """How to build a briefing.

    ``words`` and ``sentences`` are budgets; when ``sentences`` is set it replaces the word budget.
    ``topics`` forces the number of topic sections; ``None`` lets the data choose.
    ``spacy_model`` names an installed trained spaCy pipeline to split sentences with;
    ``None`` uses the built-in rule-based splitter, which needs no model and no network.
    ``quotes`` caps the quotations quoted by one outlet only (quotes several outlets carry are all
    shown); ``exclusives`` is how many "only in" facts to show per outlet. Zero turns either off.
    """

    algorithm: str = DEFAULT_ALGORITHM
    words: int = DEFAULT_WORDS
    sentences: int | None = None
    topics: int | None = None
    spacy_model: str | None = None
    quotes: int = 6
    exclusives: int = 2

    def __post_init__(self) -> None:
        if self.words < 1:
            raise MultisumError(f"the word budget must be at least 1, not {self.words}")
        if self.sentences is not None and self.sentences < 1:
            raise MultisumError(f"the sentence budget must be at least 1, not {self.sentences}")
        if self.topics is not None and self.topics < 1:
            raise MultisumError(f"the number of topics must be at least 1, not {self.topics}")
        if self.quotes < 0 or self.exclusives < 0:
            raise MultisumError("the numbers of quotes and exclusives cannot be negative")
