"""Daily digests: read sources, keep only new articles, group them into stories, brief each story.

The flow, in order: open and check the state; finish any digest an earlier run left unwritten;
read the sources (every bad source or item becomes a named skip); remember every unseen article
in the state; group everything not yet in a digest into stories; brief each story covered by two
or more outlets; carry in the stories of an earlier file of the date that the state did not
write; commit the digest to the state; write its files, keeping aside any file it did not write.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date as calendar_date
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path

from multisum.digests.execution import (
    SMALL_TASKS_PER_BATCH,
    Failed,
    Progress,
    Runner,
    open_runner,
    return_free_memory,
)
from multisum.digests.outputs import carry_stories, write_digest_files
from multisum.digests.sources import read_sources, unexpected
from multisum.digests.state import PriorStory, State, StoryRecord, article_key
from multisum.digests.stories import StoryGroup, day_number, story_vectors
from multisum.digests.streaming import QUIET_DAYS, ActiveStory, stream_stories
from multisum.errors import MultisumError, NothingReadError, OptionsError
from multisum.model import (
    Article,
    Briefing,
    Continuation,
    Digest,
    DigestStory,
    Line,
    Section,
    Skipped,
)
from multisum.options import (
    DEFAULT_ALGORITHM,
    DEFAULT_MAX_ARTICLE_SIZE,
    DEFAULT_MAX_MB,
    DEFAULT_OUT,
    DEFAULT_RETRIES,
    DEFAULT_STATE,
    DEFAULT_TIMEOUT,
    DEFAULT_WORDS,
    FORMATS,
    MAX_SINCE_DAYS,
    DigestOptions,
    FetchOptions,
    Options,
)
from multisum.pipeline import brief_story, split_story
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import unique_ids
from multisum.render.digest import encode_digest, summarize_skips
from multisum.text import content_terms

#: A story stays in the state for later digests to continue while its newest article is at most
#: this many days older than the digest: as long as it takes articles (``QUIET_DAYS``), so a
#: story goes quiet by the same rule within one run and across runs.
CONTINUE_DAYS = QUIET_DAYS
#: A title made from a sentence is cut to this many characters, a headline's length.
TITLE_LENGTH = 90
#: Content-word overlap at which a briefing line repeats one an earlier digest already printed.
REPEATED_LINE = 0.6

#: A story's briefing, or None and the notes that say why there is none.
Briefed = tuple[Briefing | None, tuple[str, ...]]


def digest(
    sources: Sequence[str | Path],
    *,
    state: str | Path = DEFAULT_STATE,
    out: str | Path = DEFAULT_OUT,
    date: str | None = None,
    since: str | None = None,
    formats: Sequence[str] = ("markdown",),
    algorithm: str = DEFAULT_ALGORITHM,
    words: int = DEFAULT_WORDS,
    wait: float = 0.0,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    max_mb: float = DEFAULT_MAX_MB,
    max_article_size: int = DEFAULT_MAX_ARTICLE_SIZE,
    allow_private: bool = False,
    recover: bool = False,
    workers: int = 0,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Digest:
    """Write today's (or ``date``'s) digest of the articles in ``sources`` not digested before.

    Every source or item that cannot be used is in the result's ``skipped``; its ``notes`` also
    hold what the run tells its operator but does not print in the digest (a recovered state, a
    file kept aside). Raises ``NothingReadError`` when not one source could be read,
    ``StateDamagedError`` when the state is damaged (``recover=True`` goes on from its last good
    copy), ``OptionsError`` for a bad option (all in ``multisum.errors``). URLs (and their
    redirects) reach only public addresses unless ``allow_private``. An article over
    ``max_article_size`` bytes is skipped, as ``brief`` skips it. ``workers`` runs a
    local Dask cluster of that many processes, ``scheduler`` uses the cluster at that address
    (``tcp://host:port``); either needs the ``[dask]`` extra, and the digest is the same.
    """
    options = DigestOptions(
        state=Path(state),
        out=Path(out),
        date=date or "",
        since=since or "",
        formats=tuple(formats),
        briefing=Options(algorithm=algorithm, words=words, max_article_size=max_article_size),
        fetch=FetchOptions(
            timeout=timeout, retries=retries, max_mb=max_mb, allow_private=allow_private
        ),
        wait=wait,
        recover=recover,
        workers=workers,
        scheduler=scheduler or "",
    )
    return build_digest([str(s) for s in sources], options, progress=progress)


def build_digest(
    sources: Sequence[str], options: DigestOptions, *, progress: Progress | None = None
) -> Digest:
    report = progress or (lambda stage, done, total: None)
    day = options.date or calendar_date.today().isoformat()
    cutoff = parse_since(options.since, day) if options.since else None
    with (
        open_runner(workers=options.workers, scheduler=options.scheduler) as runner,
        State(options.state, wait=options.wait, recover=options.recover) as memory,
    ):
        _check_date_order(memory, day)
        run = memory.start_run(sources)
        # what the run tells its operator (stderr) but that is no news for the digest's reader
        said = list(memory.notes)
        recovered, kept_before = _write_unwritten(memory)
        said += kept_before
        notes = [
            f"finished the digest of {d} that an earlier run left unwritten" for d in recovered
        ]
        recovered_files = tuple(path for paths in recovered.values() for path in paths)
        read, added, cleaned, skipped = _read_and_record(
            sources, options, cutoff, memory, run, runner, report
        )
        pending = memory.pending_count()
        counts = {"read": read, "new": pending, "skipped": len(skipped)}
        if not pending:
            said += _warning(
                memory.finish_run(run, "nothing-new", {**counts, "stories": 0}, "nothing new")
            )
            return Digest(day, (), read, 0, tuple(skipped), recovered_files, tuple(said + notes))
        if len(added) < pending:
            notes.append(
                f"{pending - len(added)} article(s) read by an earlier, unfinished run are included"
            )
        active, damaged = _active_stories(memory, day)
        said += damaged
        stories, active = _build_stories(cleaned, active, memory, day, options, runner, report)
        runner.close()  # the last task is done: workers give their memory back before rendering
        paths = {kind: options.out / f"{day}{FORMATS[kind]}" for kind in options.formats}
        carried, absorbed, carry_notes = carry_stories(
            memory, day, paths.get("json"), [story for story, _ in stories]
        )
        said += carry_notes
        result = Digest(
            day,
            tuple(s for s, _ in stories),
            read,
            pending,
            tuple(skipped),
            (),
            tuple(notes),
            carried,
        )
        files = _commit(memory, result, paths, [record for _, record in stories], absorbed, active)
        _, kept = _write_unwritten(memory)
        said += kept
        said += _warning(memory.finish_run(run, "ok", result.counts))
    return replace(result, files=files, notes=(*said, *result.notes))


def _warning(warning: str) -> list[str]:
    return [warning] if warning else []


def _check_date_order(memory: State, day: str) -> None:
    """Refuse a date before the state's latest digest: that digest would then read as continuing
    the earlier one, and put its own lines under "Already reported on"."""
    latest = memory.latest_digest()
    if latest is not None and day < latest:
        raise OptionsError(
            f"--date {day} is before {latest}, the latest digest of the state {memory.path}: a "
            "digest state goes forward in time (an earlier date would make the later digest "
            "continue from it and move its own lines under 'Already reported on'); write "
            f"{latest} or later, or use another --state for an earlier date"
        )


def _commit(
    memory: State,
    result: Digest,
    paths: dict[str, Path],
    records: list[StoryRecord],
    absorbed: dict[str, str],
    active: Sequence[ActiveStory],
) -> tuple[Path, ...]:
    """Render the digest's files and commit them to the state with its stories; returns the
    files' paths. Each file is rendered as UTF-8 while the state stores it and let go before the
    next: they are written from the state's copy, as a recovering run does, so a large digest's
    files are never all held at once."""
    memory.commit_digest(
        result.date,
        records,
        ((str(path), encode_digest(result, kind)) for kind, path in paths.items()),
        carried=[story.data for story in result.carried],
        absorbed=absorbed,
        active=[story.to_dict() for story in active],
    )
    return tuple(paths.values())


def _read_and_record(
    sources: Sequence[str],
    options: DigestOptions,
    cutoff: str | None,
    memory: State,
    run: int,
    runner: Runner,
    report: Progress,
) -> tuple[int, list[str], dict[str, Article], list[Skipped]]:
    """Read the sources and remember every unseen article in the state.

    Returns how many usable articles were read, the keys the state did not know, each article
    cleaned (by key) and every skip. The articles as read are let go here: the pending ones come
    back from the state, so a firehose's text is not held twice.
    """
    harvest = read_sources(
        sources,
        options.fetch,
        runner=runner,
        report=report,
        max_article_size=options.briefing.max_article_size,
    )
    report("sources", len(sources), len(sources))
    skipped = list(harvest.skipped)
    if harvest.sources_read == 0:
        message = _nothing_read(sources, skipped)
        warning = memory.finish_run(run, "failed", {"read": 0, "skipped": len(skipped)}, message)
        raise NothingReadError(message + (f"; {warning}" if warning else ""), tuple(skipped))
    fresh: dict[str, Article] = {}
    cleaned: dict[str, Article] = {}
    for item in harvest.items:
        key = article_key(item.article)
        cleaned.setdefault(key, item.cleaned)
        if cutoff is not None and _is_before(item.article.published, cutoff):
            skipped.append(Skipped(item.where, f"published before the --since cut-off ({cutoff})"))
            continue
        fresh.setdefault(key, item.article)
    return len(harvest.items), memory.record_articles(fresh.items(), run), cleaned, skipped


def _nothing_read(sources: Sequence[str], skipped: Sequence[Skipped]) -> str:
    """One line for a run that could read none of its sources: how many, and why."""
    reasons = "; ".join(
        f"{group.examples[0]}: {group.reason}"
        if group.count == 1
        else f"{group.count} × {group.reason} (e.g. {', '.join(group.examples)})"
        for group in summarize_skips(skipped)
    )
    what = "the source" if len(sources) == 1 else f"any of the {len(sources)} sources"
    return f"could not read {what}: {reasons or 'none was given'}"


def _write_unwritten(memory: State) -> tuple[dict[str, list[Path]], list[str]]:
    """Write every committed digest whose files are not yet known to be on disk; files there
    that the state did not write are kept aside first, each named in a note."""
    done: dict[str, list[Path]] = {}
    notes: list[str] = []
    for day, outputs in memory.unwritten_digests():
        notes += write_digest_files(memory, day, outputs)
        done[day] = [Path(path) for path in outputs]
    return done, notes


def _active_stories(memory: State, day: str) -> tuple[list[ActiveStory], list[str]]:
    """The stories the state keeps active for ``day``, and a note for each it cannot read: that
    one is left out (its new articles open a new story), the digest goes on."""
    stories, notes = [], []
    for digest, position, text in memory.active_stories(day):
        try:
            stories.append(ActiveStory.from_dict(json.loads(text)))
        except (ValueError, KeyError, TypeError) as error:
            reason = f"no {error}" if isinstance(error, KeyError) else str(error)
            notes.append(
                f"the digest state {memory.path} holds an active story it cannot read (story "
                f"{position + 1} kept by the digest of {digest}: {reason}); it is left out, so "
                "today's articles of that story start a new one"
            )
    return stories, notes


def _build_stories(
    cleaned: dict[str, Article],
    active: Sequence[ActiveStory],
    memory: State,
    day: str,
    options: DigestOptions,
    runner: Runner,
    report: Progress,
) -> tuple[list[tuple[DigestStory, StoryRecord]], tuple[ActiveStory, ...]]:
    """Group the day's articles into the ``active`` stories and new ones, and brief each.

    Also returns the stories to keep active for the next date.
    """
    keys, prepared, titles = _prepare(memory, day, cleaned, runner, report)
    known = {term for story in active for term in story.term_numbers()}
    vectors = story_vectors(prepared, known=known)
    return_free_memory()  # what making the vectors freed, before grouping allocates its own
    streamed = stream_stories(
        prepared,
        keys=keys,
        active=active,
        today=day_number(day),
        keep_days=CONTINUE_DAYS,
        threshold=options.threshold,
        vectors=vectors,
    )
    del vectors
    return_free_memory()  # grouping's centroids and index, before the workers take their share
    groups = streamed.groups
    # the state stays on the client: continued stories are looked up before any task is sent
    earlier = [memory.prior_story(g.earlier, day) if g.earlier else None for g in groups]
    briefed = _brief_groups(prepared, groups, options.briefing, runner, report)
    # a story lists its articles under their titles as read, not a heading cleaning found
    listed = [a if a.title == t else replace(a, title=t) for a, t in zip(prepared, titles)]
    stories = [
        _build_story(listed, keys, group, earlier[number], briefed.get(number))
        for number, group in enumerate(groups)
    ]
    return stories, streamed.active


def _prepare(
    memory: State, day: str, cleaned: dict[str, Article], runner: Runner, report: Progress
) -> tuple[list[str], list[Article], list[str]]:
    """The state keys, cleaned articles and titles as read of the day's digest: the articles it
    already holds (a second run on one day adds to its digest), then those pending. ``cleaned``
    holds the articles cleaned at harvest (by state key), so only articles left from an earlier
    run are cleaned here. The articles as read are let go on return: a firehose's text is not
    held twice while its stories are briefed."""
    pool = memory.digest_articles(day) + memory.pending_articles()
    keys = [key for key, _ in pool]
    articles = unique_ids(article for _, article in pool)
    cleaned = {**cleaned, **_clean_left(keys, articles, cleaned, runner, report)}
    prepared = [replace(cleaned[key], id=article.id) for key, article in zip(keys, articles)]
    return keys, prepared, [article.title for article in articles]


def _clean_left(
    keys: Sequence[str],
    articles: Sequence[Article],
    cleaned: dict[str, Article],
    runner: Runner,
    report: Progress,
) -> dict[str, Article]:
    """Articles an earlier run read but did not digest, cleaned now (by state key)."""
    left = [n for n, key in enumerate(keys) if key not in cleaned]
    outcomes = runner.map(
        clean_article,
        [articles[n] for n in left],
        stage="articles",
        report=report,
        batch=SMALL_TASKS_PER_BATCH,
        sizes=[len(articles[n].text) for n in left],
    )
    return {
        keys[n]: clean_article(articles[n]) if isinstance(outcome, Failed) else outcome
        for n, outcome in zip(left, outcomes)
    }


def _brief_groups(
    prepared: Sequence[Article],
    groups: Sequence[StoryGroup],
    options: Options,
    runner: Runner,
    report: Progress,
) -> dict[int, Briefed]:
    """The briefing (or the notes saying why there is none) of every story that two or more
    outlets reported, by story number; each briefing is a task of its own."""
    numbers = [
        n for n, g in enumerate(groups) if len({prepared[p].outlet for p in g.originals}) >= 2
    ]
    stories = [[prepared[p] for p in groups[n].originals] for n in numbers]
    outcomes = runner.map(
        partial(_brief_by_position, options=options),
        stories,
        stage="stories",
        report=report,
        sizes=[sum(len(a.text) for a in story) for story in stories],
    )
    briefed: dict[int, Briefed] = {}
    for n, story, outcome in zip(numbers, stories, outcomes):
        if isinstance(outcome, Failed):
            briefed[n] = (None, (f"no briefing: {outcome.reason}",))
            continue
        briefing, used, notes = outcome
        if briefing is not None:  # the articles this process holds, not a copy of them
            briefing = replace(briefing, articles=tuple(story[p] for p in used))
        briefed[n] = (briefing, notes)
    return briefed


def _brief_by_position(
    articles: Sequence[Article], options: Options
) -> tuple[Briefing | None, tuple[int, ...], tuple[str, ...]]:
    """``brief_articles`` as a task: the briefing comes back without its articles, which the
    client already holds, and with their positions in ``articles``, so a story's text is not
    sent back and kept twice (at firehose volume, a second copy of every briefed article)."""
    briefing, notes = brief_articles(articles, options)
    if briefing is None:
        return None, (), notes
    position = {article.id: p for p, article in enumerate(articles)}  # ids are unique in a pool
    used = tuple(position[article.id] for article in briefing.articles)
    return replace(briefing, articles=()), used, notes


def brief_articles(articles: Sequence[Article], options: Options) -> Briefed:
    """One story's briefing from its cleaned articles, or the note saying why there is none.

    A task of its own (it may run on a cluster worker), so it never raises: one story's surprise
    must not stop the digest.
    """
    try:
        story = split_story(articles, spacy_model=options.spacy_model)
        return brief_story(story, options), ()
    except MultisumError as error:
        return None, (f"no briefing: {error}",)
    except Exception as error:  # see the docstring
        return None, (f"no briefing: {unexpected(error)}",)


def _build_story(
    articles: Sequence[Article],
    keys: Sequence[str],
    group: StoryGroup,
    earlier: PriorStory | None,
    briefed: Briefed | None,
) -> tuple[DigestStory, StoryRecord]:
    originals = tuple(articles[p] for p in group.originals)
    copies = tuple(
        (articles[original].id, tuple(articles[p] for p in others))
        for original, others in group.copies
    )
    briefing, notes = briefed or (None, ())
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
        lines=tuple(lines),
        continues=earlier.id if earlier else None,
    )
    return story, record


def _story_title(originals: Sequence[Article], briefing: Briefing | None) -> str:
    """The earliest headline; without headlines, the briefing's lead line (what the story says
    first), else the first article's first sentence, cut to a headline's length."""
    titled = [a for a in originals if a.title]
    if titled:
        return min(titled, key=lambda a: (_sortable_day(a.published), a.id)).title
    if briefing is not None and briefing.lines:
        return _headline(briefing.lines[0].text)
    return _headline(originals[0].text.split(". ")[0])


def _headline(text: str, length: int = TITLE_LENGTH) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= length else text[: length - 3].rsplit(" ", 1)[0] + "..."


def _sortable_day(published: str) -> float:
    day = day_number(published)
    return math.inf if math.isnan(day) else day


def lead_with_new(briefing: Briefing, earlier: PriorStory) -> Briefing:
    """Put lines the earlier digest did not print first; repeated ones follow under their own head."""
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


#: A span of ``--since``: ASCII digits and d or h (``"²d".isdigit()`` is true, but not a number).
_SPAN = re.compile(r"([0-9]{1,18})([dh])", re.ASCII)


def parse_since(since: str, day: str) -> str:
    """``--since``: an ISO date or time, or a span back from the digest date such as 2d or 12h."""
    span = _SPAN.fullmatch(since.strip().lower())
    if span:
        amount, unit = int(span[1]), span[2]
        try:
            moment = datetime.fromisoformat(day).replace(tzinfo=timezone.utc) + timedelta(days=1)
            back = timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
            cutoff = moment - back
        except OverflowError:
            raise OptionsError(
                f"--since {since} from {day} falls outside the calendar (years 1 to 9999); "
                "give a date or a shorter span"
            ) from None
        if back > timedelta(days=MAX_SINCE_DAYS):
            raise OptionsError(
                f"--since {since.strip()} reaches back {back.days / 365.25:,.0f} years, to "
                f"{cutoff.date()}; a span goes back at most {MAX_SINCE_DAYS} days (10 years): "
                "give a date for an earlier cut-off"
            )
        return cutoff.isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(since.strip().replace("Z", "+00:00"))
    except ValueError:
        raise OptionsError(
            f"--since must be a date (2026-11-20), a time or a span (2d, 12h), not {since!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def _is_before(published: str, cutoff: str) -> bool:
    day = day_number(published)
    return not math.isnan(day) and day < day_number(cutoff)
