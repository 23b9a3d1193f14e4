"""Every option and every default, once: the CLI flags and API keywords map onto these one to one."""

from __future__ import annotations

import re
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
#: 1.8 since lines name every outlet that states their fact: the bundled story's 100-word lines
#: carry 173 words with their outlets and headings.
BODY_RATIO = 1.8
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 2
#: Seconds before the first retry of a fetch; each later retry waits twice as long as the last.
DEFAULT_BACKOFF = 1.0
#: Largest source a digest reads, in megabytes (10^6 bytes): a file or a fetched answer. A news
#: feed or page is well under 1 MB; anything far bigger is a mistake or hostile, not news.
DEFAULT_MAX_MB = 10.0
#: The longest span ``--since`` takes (``2d``, ``12h``): ten years. A longer one is a typo (99999d
#: is the year 1753), and a date says an early cut-off plainly.
MAX_SINCE_DAYS = 3653
DEFAULT_STATE = Path(".multisum")
DEFAULT_OUT = Path("digests")
#: Bytes an article file may hold. Five times the longest news feature; cleaning and ranking grow
#: faster than the text (500 kB of prose takes about 10 s and 0.5 GB, 1 MB 85 s and 1.8 GB).
DEFAULT_MAX_ARTICLE_SIZE = 500_000
#: Average cosine similarity at which two groups of articles tell one story; tuned on the pooled
#: evaluation clusters and on daily-sized samples of them (benchmarks/story_grouping.py).
DEFAULT_SAME_STORY = 0.08
#: The digest's grouping (digests/streaming.py): the cosine of an article and a story's centroid
#: at which the article joins the story; tuned on the same pooled clusters, where 0.10 groups
#: more (ARI 0.70) but 0.13 mixes fewer stories (4.4% of stories, against 6.9%).
DEFAULT_STREAM_SAME_STORY = 0.13
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
    ``max_article_size`` is the most bytes an article may hold; a larger one is skipped.
    """

    algorithm: str = DEFAULT_ALGORITHM
    words: int = DEFAULT_WORDS
    sentences: int | None = None
    topics: int | None = None
    spacy_model: str | None = None
    quotes: int = DEFAULT_QUOTES
    exclusives: int = DEFAULT_EXCLUSIVES
    max_article_size: int = DEFAULT_MAX_ARTICLE_SIZE

    @property
    def body_words(self) -> int | None:
        """The bound on the whole body above the source list, or None with a sentence budget."""
        return None if self.sentences is not None else round(BODY_RATIO * self.words)

    def __post_init__(self) -> None:
        if self.max_article_size < 1:
            raise OptionsError(
                f"the article size limit must be at least 1 byte, not {self.max_article_size}"
            )
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
    """How sources are read: ``timeout`` is the deadline in seconds for a whole transfer (each
    try); ``retries`` are the tries after the first, ``backoff`` seconds apart and doubling;
    ``max_mb`` caps the size of one source, file or URL, in megabytes. ``allow_private`` lets a
    fetch (or a redirect) reach loopback, link-local and private addresses, which are refused by
    default: a feed must not make the digest read this machine's or its network's services."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_mb: float = DEFAULT_MAX_MB
    allow_private: bool = False

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise OptionsError(f"the timeout must be positive, not {self.timeout}")
        if self.retries < 0:
            raise OptionsError(f"the number of retries cannot be negative, not {self.retries}")
        if self.backoff < 0:
            raise OptionsError(f"the backoff cannot be negative, not {self.backoff}")
        if not self.max_mb > 0:
            raise OptionsError(f"the size limit must be positive, not {self.max_mb} MB")

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1_000_000)


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """How to build a digest; the CLI flags and ``digest()`` keywords map onto it one to one.

    ``recover`` continues from the state's last good copy when the state is damaged (the damaged
    file is kept aside), or from a new state when there is no good copy. ``workers`` (a local Dask
    cluster of that many processes) or ``scheduler`` (an existing one) runs the articles'
    preparing and the stories' briefings as tasks; neither runs everything in this process.
    """

    state: Path = DEFAULT_STATE
    out: Path = DEFAULT_OUT
    date: str = ""
    since: str = ""
    formats: tuple[str, ...] = ("markdown",)
    briefing: Options = field(default_factory=Options)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    wait: float = 0.0
    threshold: float = DEFAULT_STREAM_SAME_STORY
    recover: bool = False
    workers: int = 0
    scheduler: str = ""

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise OptionsError(f"--workers must be 1 or more, not {self.workers}")
        if self.workers and self.scheduler:
            raise OptionsError(
                "give --workers (a local cluster) or --scheduler (an existing one), not both"
            )
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


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def parse_size(text: str) -> int:
    """Bytes from a size as people write it: ``500000``, ``500k``, ``2MB``, ``1.5M``."""
    match = _SIZE.match(text)
    if not match:
        raise OptionsError(
            f"a size is a number of bytes, or with k, M or G (500k, 2MB), not {text!r}"
        )
    return int(float(match[1]) * _UNITS[match[2].lower()])


def format_size(size: int) -> str:
    """A byte count for a message: ``52.8 MB``, ``500 kB``, ``812 bytes``."""
    for unit, name in ((1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")):
        if size >= unit:
            return f"{size / unit:.1f}".removesuffix(".0") + f" {name}"
    return f"{size} bytes"
