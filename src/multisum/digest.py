"""Daily digests: read sources, keep only new articles, group them into stories, brief each story.

The flow, in order: finish any digest an earlier run left unwritten; read the sources; remember
every unseen article in the state; group everything not yet in a digest into stories; brief each
story covered by two or more outlets; commit the digest to the state; write its files.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date as calendar_date
from datetime import datetime, timedelta, timezone
from pathlib import Path

from multisum.errors import MultisumError
from multisum.ingest import unique_ids
from multisum.model import Article, Briefing, Line, Section
from multisum.options import DEFAULT_ALGORITHM, DEFAULT_WORDS, Options
from multisum.sources import FetchOptions, Skipped, read_sources
from multisum.state import PriorStory, State, StoryRecord, article_key
from multisum.stories import SAME_STORY, StoryGroup, group_stories

FORMATS = {"markdown": ".md", "json": ".json", "html": ".html"}
#: Cosine similarity of story term profiles at which a new story continues an earlier one.
CONTINUES = 0.3
#: Terms kept in a story's profile: enough to recognise it in a later digest.
PROFILE_TERMS = 40
#: Earlier digests searched for a story that a new one continues.
CONTINUE_DAYS = 14
#: Content-word overlap at which a briefing line repeats one an earlier digest already printed.
REPEATED_LINE = 0.6

#: ``progress(stage, done, total)``: called as sources are read and as stories are briefed.
Progress = Callable[[str, int, int], None]


class DigestError(MultisumError):
    """A digest option the user gave that cannot work (a bad date or format)."""


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """How to build a digest; the CLI flags and ``digest()`` keywords map onto it one to one."""

    state: Path = Path(".multisum")
    out: Path = Path("digests")
    date: str = ""
    since: str = ""
    formats: tuple[str, ...] = ("markdown",)
    briefing: Options = field(default_factory=Options)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    wait: float = 0.0
    threshold: float = SAME_STORY

    def __post_init__(self) -> None:
        unknown = sorted(set(self.formats) - set(FORMATS))
        if unknown:
            raise DigestError(f"unknown format {', '.join(unknown)}; use {', '.join(FORMATS)}")
        if not self.formats:
            raise DigestError("choose at least one format")
        if self.date:
            try:
                calendar_date.fromisoformat(self.date)
            except ValueError:
                raise DigestError(f"--date must be YYYY-MM-DD, not {self.date!r}") from None


@dataclass(frozen=True, slots=True)
class Continuation:
    """The earlier digest story that a new story carries on."""

    digest: str
    title: str


@dataclass(frozen=True, slots=True)
class DigestStory:
    """One story of a digest: its original articles, the copies of them, and a briefing.

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
class Digest:
    """The result of a run: the stories (empty when nothing was new) and the files written."""

    date: str
    stories: tuple[DigestStory, ...]
    read: int
    new: int
    skipped: tuple[Skipped, ...]
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "new": self.new,
            "stories": len(self.stories),
            "skipped": len(self.skipped),
        }


def digest(
    sources: Sequence[str | Path],
    *,
    state: str | Path = ".multisum",
    out: str | Path = "digests",
    date: str | None = None,
    since: str | None = None,
    formats: Sequence[str] = ("markdown",),
    algorithm: str = DEFAULT_ALGORITHM,
    words: int = DEFAULT_WORDS,
    wait: float = 0.0,
    timeout: float = FetchOptions.timeout,
    retries: int = FetchOptions.retries,
    progress: Progress | None = None,
) -> Digest:
    """Write today's (or ``date``'s) digest of the articles in ``sources`` not digested before."""
    options = DigestOptions(
        state=Path(state),
        out=Path(out),
        date=date or "",
        since=since or "",
        formats=tuple(formats),
        briefing=Options(algorithm=algorithm, words=words),
        fetch=FetchOptions(timeout=timeout, retries=retries),
        wait=wait,
    )
    return build_digest([str(s) for s in sources], options, progress=progress)


def build_digest(
    sources: Sequence[str], options: DigestOptions, *, progress: Progress | None = None
) -> Digest:
    report = progress or (lambda stage, done, total: None)
    day = options.date or calendar_date.today().isoformat()
    cutoff = parse_since(options.since, day) if options.since else None
    with State(options.state, wait=options.wait) as memory:
        run = memory.start_run(sources)
        recovered = _write_unwritten(memory)
        notes = [
            f"finished the digest of {d} that an earlier run left unwritten" for d in recovered
        ]
        recovered_files = tuple(path for paths in recovered.values() for path in paths)
        harvest = read_sources(sources, options.fetch)
        report("sources", len(sources), len(sources))
        skipped = list(harvest.skipped)
        fresh: dict[str, Article] = {}
        for article in harvest.articles:
            if cutoff is not None and _is_before(article.published, cutoff):
                skipped.append(Skipped(article.url or article.path, f"published before {cutoff}"))
                continue
            fresh.setdefault(article_key(article), article)
        added = memory.record_articles(fresh.items(), run)
        pending = memory.pending_articles()
        counts = {"read": len(harvest.articles), "new": len(pending), "skipped": len(skipped)}
        if not pending:
            memory.finish_run(run, "nothing-new", {**counts, "stories": 0}, "nothing new")
            return Digest(day, (), counts["read"], 0, tuple(skipped), recovered_files, tuple(notes))
        if len(added) < len(pending):
            notes.append(
                f"{len(pending) - len(added)} article(s) read by an earlier, unfinished run "
                "are included"
            )
        pool = memory.digest_articles(day) + pending  # a second run on one day adds to its digest
        stories = _build_stories(pool, memory.prior_stories(day), options, report)
        result = Digest(
            day,
            tuple(s for s, _ in stories),
            counts["read"],
            len(pending),
            tuple(skipped),
            (),
            tuple(notes),
        )
        outputs = {
            str(options.out / f"{day}{FORMATS[kind]}"): render(result, kind)
            for kind in options.formats
        }
        memory.commit_digest(day, [record for _, record in stories], outputs)
        _write_unwritten(memory)
        memory.finish_run(run, "ok", result.counts)
    return replace(result, files=tuple(Path(p) for p in outputs))


def _write_unwritten(memory: State) -> dict[str, list[Path]]:
    """Write every committed digest whose files are not yet known to be on disk."""
    from multisum.render_digest import write_atomically

    done: dict[str, list[Path]] = {}
    for day, outputs in memory.unwritten_digests():
        for path, text in outputs.items():
            write_atomically(Path(path), text)
        memory.mark_written(day)
        done[day] = [Path(path) for path in outputs]
    return done


def _build_stories(
    pool: Sequence[tuple[str, Article]],
    prior: Sequence[PriorStory],
    options: DigestOptions,
    report: Progress,
) -> list[tuple[DigestStory, StoryRecord]]:
    keys = [key for key, _ in pool]
    articles = unique_ids(article for _, article in pool)
    groups = group_stories(articles, threshold=options.threshold)
    profiles = _profiles(articles, groups)
    stories = []
    for done, (group, profile) in enumerate(zip(groups, profiles), start=1):
        stories.append(_build_story(articles, keys, group, profile, prior, options))
        report("stories", done, len(groups))
    return stories


def _build_story(
    articles: Sequence[Article],
    keys: Sequence[str],
    group: StoryGroup,
    profile: dict[str, float],
    prior: Sequence[PriorStory],
    options: DigestOptions,
) -> tuple[DigestStory, StoryRecord]:
    from multisum.pipeline import build_briefing

    originals = tuple(articles[p] for p in group.originals)
    copies = tuple(
        (articles[original].id, tuple(articles[p] for p in others))
        for original, others in group.copies
    )
    earlier = _continued(profile, prior)
    notes: list[str] = []
    briefing = None
    if len({a.outlet for a in originals}) >= 2:
        try:
            briefing = build_briefing(originals, options.briefing)
        except MultisumError as error:
            notes.append(f"no briefing: {error}")
        if briefing is not None and earlier is not None:
            briefing = lead_with_new(briefing, earlier)
    title = _story_title(originals, briefing)
    lines = [line.text for line in briefing.lines] if briefing else [a.title for a in originals]
    story = DigestStory(
        title=title,
        articles=originals,
        copies=copies,
        briefing=briefing,
        continues=Continuation(earlier.digest, earlier.title) if earlier else None,
        notes=tuple(notes),
    )
    record = StoryRecord(
        title=title,
        keys=tuple(keys[p] for p in group.members),
        terms=profile,
        lines=tuple(lines),
        continues=earlier.id if earlier else None,
    )
    return story, record


def _story_title(originals: Sequence[Article], briefing: Briefing | None) -> str:
    titled = [a for a in originals if a.title]
    if titled:
        return min(titled, key=lambda a: (_sortable_day(a.published), a.id)).title
    if briefing is not None and briefing.title:
        return briefing.title
    first = originals[0].text.split(". ")[0]
    return first if len(first) <= 90 else first[:87].rsplit(" ", 1)[0] + "..."


def _sortable_day(published: str) -> float:
    from multisum.stories import day_number

    day = day_number(published)
    return math.inf if math.isnan(day) else day


def _profiles(articles: Sequence[Article], groups: Sequence[StoryGroup]) -> list[dict[str, float]]:
    """Each story's strongest terms (tf-idf over this pool, unit length), kept in the state."""
    from multisum.text import content_terms

    term_lists = [content_terms(f"{a.title}\n{a.title}\n{a.text}") for a in articles]
    document_frequency = Counter(term for terms in term_lists for term in set(terms))
    total = len(articles)
    profiles = []
    for group in groups:
        counts = Counter(term for p in group.originals for term in term_lists[p])
        weights = {
            term: (1 + math.log(count))
            * (math.log((1 + total) / (1 + document_frequency[term])) + 1)
            for term, count in counts.items()
        }
        top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:PROFILE_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        profiles.append({term: round(w / norm, 5) for term, w in top})
    return profiles


def _continued(profile: dict[str, float], prior: Sequence[PriorStory]) -> PriorStory | None:
    """The most similar earlier story within ``CONTINUE_DAYS``, when similar enough."""
    best, best_score = None, CONTINUES
    for story in prior:
        score = sum(weight * story.terms.get(term, 0.0) for term, weight in profile.items())
        if score >= best_score:
            best, best_score = story, score
    return best


def lead_with_new(briefing: Briefing, earlier: PriorStory) -> Briefing:
    """Put lines the earlier digest did not print first; repeated ones follow under their own head."""
    from multisum.text import content_terms

    seen = [set(content_terms(line)) for line in earlier.lines]

    def repeated(line: Line) -> bool:
        terms = set(content_terms(line.text))
        return any(
            terms and len(terms & old) / max(1, min(len(terms), len(old))) >= REPEATED_LINE
            for old in seen
        )

    fresh_sections, old_lines = [], []
    for section in briefing.sections:
        fresh = tuple(line for line in section.lines if not repeated(line))
        old_lines.extend(line for line in section.lines if repeated(line))
        if fresh:
            fresh_sections.append(Section(section.topic, fresh))
    if old_lines:
        fresh_sections.append(Section(f"Already reported on {earlier.digest}", tuple(old_lines)))
    note = f"continues “{earlier.title}” from the digest of {earlier.digest}; new lines come first"
    return replace(briefing, sections=tuple(fresh_sections), notes=(*briefing.notes, note))


def parse_since(since: str, day: str) -> str:
    """``--since``: an ISO date or time, or a span back from the digest date such as 2d or 12h."""
    text = since.strip().lower()
    if text[:-1].isdigit() and text[-1:] in ("d", "h"):
        amount = int(text[:-1])
        moment = datetime.fromisoformat(day).replace(tzinfo=timezone.utc) + timedelta(days=1)
        span = timedelta(days=amount) if text.endswith("d") else timedelta(hours=amount)
        return (moment - span).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(since.strip().replace("Z", "+00:00"))
    except ValueError:
        raise DigestError(
            f"--since must be a date (2026-11-20), a time or a span (2d, 12h), not {since!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def _is_before(published: str, cutoff: str) -> bool:
    from multisum.stories import day_number

    day = day_number(published)
    return not math.isnan(day) and day < day_number(cutoff)


def render(result: Digest, kind: str) -> str:
    from multisum.render_digest import render_digest

    return render_digest(result, kind)
