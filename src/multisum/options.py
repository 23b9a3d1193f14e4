"""Every option and every default, once: the CLI flags and API keywords map onto these one to one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as calendar_date
from pathlib import Path

from multisum.errors import OptionsError

DEFAULT_ALGORITHM = "multisum"
DEFAULT_WORDS = 250
DEFAULT_QUOTES = 6
DEFAULT_EXCLUSIVES = 2
#: The whole body above the source list (lines, their outlets, headings, disagreements, quotes,
#: "only in") stays within this many times the word budget: what the reader gets is bounded.
BODY_RATIO = 1.6
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 2
DEFAULT_STATE = Path(".multisum")
DEFAULT_OUT = Path("digests")
#: Average cosine similarity at which two groups of articles tell one story; tuned on the pooled
#: evaluation clusters and on daily-sized samples of them (benchmarks/story_grouping.py).
DEFAULT_SAME_STORY = 0.08
#: Output formats and the suffix of the file each writes.
FORMATS = {"markdown": ".md", "json": ".json", "html": ".html"}


@dataclass(frozen=True, slots=True)
class Options:
    """How to build a briefing.

    ``words`` and ``sentences`` are budgets; when ``sentences`` is set it replaces the word budget.
    ``topics`` forces the number of topic sections; ``None`` lets the data choose.
    ``spacy_model`` names an installed trained spaCy pipeline to split sentences with;
    ``None`` uses the built-in rule-based splitter, which needs no model and no network.
    ``quotes`` caps the quotations quoted by one outlet only; ``exclusives`` is how many "only in"
    facts to show per outlet. Zero turns either off. With a word budget, disagreements, quotes and
    "only in" share what the lines leave of ``body_words``, the bound on the whole body.
    """

    algorithm: str = DEFAULT_ALGORITHM
    words: int = DEFAULT_WORDS
    sentences: int | None = None
    topics: int | None = None
    spacy_model: str | None = None
    quotes: int = DEFAULT_QUOTES
    exclusives: int = DEFAULT_EXCLUSIVES

    @property
    def body_words(self) -> int | None:
        """The bound on the whole body above the source list, or None with a sentence budget."""
        return None if self.sentences is not None else round(BODY_RATIO * self.words)

    def __post_init__(self) -> None:
        if self.words < 1:
            raise OptionsError(f"the word budget must be at least 1, not {self.words}")
        if self.sentences is not None and self.sentences < 1:
            raise OptionsError(f"the sentence budget must be at least 1, not {self.sentences}")
        if self.topics is not None and self.topics < 1:
            raise OptionsError(f"the number of topics must be at least 1, not {self.topics}")
        if self.quotes < 0:
            raise OptionsError(f"the number of quotes cannot be negative, not {self.quotes}")
        if self.exclusives < 0:
            raise OptionsError(
                f"the number of exclusives cannot be negative, not {self.exclusives}"
            )


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How URLs are fetched: per-attempt timeout in seconds, and retries after the first attempt."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 1.0

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise OptionsError(f"the timeout must be positive, not {self.timeout}")
        if self.retries < 0:
            raise OptionsError(f"the number of retries cannot be negative, not {self.retries}")


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """How to build a digest; the CLI flags and ``digest()`` keywords map onto it one to one."""

    state: Path = DEFAULT_STATE
    out: Path = DEFAULT_OUT
    date: str = ""
    since: str = ""
    formats: tuple[str, ...] = ("markdown",)
    briefing: Options = field(default_factory=Options)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    wait: float = 0.0
    threshold: float = DEFAULT_SAME_STORY

    def __post_init__(self) -> None:
        unknown = sorted(set(self.formats) - set(FORMATS))
        if unknown:
            raise OptionsError(f"unknown format {', '.join(unknown)}; use {', '.join(FORMATS)}")
        if not self.formats:
            raise OptionsError("choose at least one format")
        if self.date:
            try:
                calendar_date.fromisoformat(self.date)
            except ValueError:
                raise OptionsError(f"--date must be YYYY-MM-DD, not {self.date!r}") from None
