"""Streaming story grouping: one pass over articles in time order, each joining an active story.

Each article joins the active story it matches best (the cosine of the article's vector and the
story's compact centroid, the sum of its articles' vectors) or opens a new story.
Candidate stories come from an inverted index of the article's strongest (rarest, most telling)
terms, so the work per article depends on how many stories share its terms, not on the day's
volume. Stories go quiet ``window_days`` after their last article and leave the index.

A guard keeps stories apart: a story refuses an article that shares none of its key terms with
the story's core (its centroid's strongest terms), or none of its names with the names the story
uses most, however close the centroid looks, since two stories that share only general vocabulary
("police", "officials said") are not one story. The same guard holds when two active stories whose
centroids have come close are folded into one (fragments of a story opened before its words were
known).

A story also refuses an article that reports another event on the same subject: one whose lead
is about someone or somewhere (a name its headline or first sentence gives and the article uses
most) that an established story's articles hardly ever mention. Two rehab check-ins, two quakes in
one country or two title defences share nearly every word; who and where tell them apart
(``ArticleNames.anchors``). So does when: a story refuses an article about a year well after the
latest its articles are about (its date's year, or undated, the latest year its text names), as
two elections of one parliament years apart are two events (``ArticleNames.year``). And when a
story refuses an article for its year, the story's undated members that name no year, which the
years guard could not check, are looked at again: those that match the refused article's story
better than their own (less themselves) move to it (``_move_undated``).

Everything that decides the output is deterministic: articles are taken by date then id, index
entries are visited in sorted order, and scores are rounded before they are compared.
"""

from __future__ import annotations

import base64
import heapq
import math
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from multisum.digests.stories import (
    SAME_TEXT,
    StoryGroup,
    StoryVectors,
    _outlet_count,
    _story_group,
    day_number,
    story_vectors,
)
from multisum.model import Article
from multisum.options import DEFAULT_STREAM_SAME_STORY

#: How many of an article's strongest terms look up candidate stories and must meet a story's core.
KEY_TERMS = 12
#: How many terms a story's centroid keeps: enough to compare, small enough to keep for days.
CENTROID_TERMS = 300
#: How many of a centroid's strongest terms index the story and form its core.
CORE_TERMS = 24
#: A story goes quiet this many days after its newest article (undated: as of the run's day) and
#: takes no more articles, in one run as across runs: one event's reports follow each other within
#: days, and a story quiet for longer that flares up again (the same people, weeks later) is a new
#: event, which a briefing must not mix with the old one.
QUIET_DAYS = 4
#: Scores are rounded to this many decimals before they are compared, so ties break by story number.
SCORE_DECIMALS = 9
#: The cosine of two stories' centroids at which they are one story told in two fragments.
MERGE_STORIES = 0.17
#: A fragment has at most this many articles: two stories both larger are two events told alike
#: (two rehab check-ins, two earthquakes), not one story opened twice, and are never folded.
FRAGMENT_ARTICLES = 2
#: How many of a story's most used names form its core: an article must use one of them.
CORE_NAMES = 24
#: How many stories one term indexes, those that changed last: a term many active stories share
#: tells little, and without the cap the work per article would grow with the day's volume.
POSTING_STORIES = 64
#: How many name counts a story keeps (its most used), so a long story stays compact.
STORY_NAMES = 100
#: How many of an article's most used names it brings to the guard.
ARTICLE_NAMES = 8
#: A story of this many articles knows the names its event is told with, so an article whose
#: anchors it hardly mentions reports another event; a smaller story may not have met them yet.
ESTABLISHED_ARTICLES = 3
#: An anchor is among the article's this many most used names ...
ANCHOR_NAMES = 3
#: ... used at least this many times (what the article is about, not a name it cites; a sentence's
#: first word counts when the article names it inside a sentence too), and named in its headline
#: or first sentence.
ANCHOR_USES = 4
#: ... and in at least this share of its sentences: a long report names the background (another
#: player's arrest, an earlier quake) four times over, a short one hardly names its subject more.
ANCHOR_SENTENCES = 0.25
#: A story hardly mentions a name that at most this share of its articles mention ...
RARELY_MENTIONED = 0.1
#: ... or that none of its articles names in its lead and at most this share mention (background:
#: reports of a quake in West Papua that recall the tsunami in Aceh).
UNLED_MENTIONED = 0.6
#: A story keeps the counts of every name its articles mention until it holds more than this
#: many; then it forgets those it hardly mentions, which the guard treats alike anyway.
STORY_MENTIONS = 400
#: Weekdays and months are when, not who or where: not names. Two unrelated reports of the same
#: day share "Thursday", which let the names guard pass them. ("May" stays: a surname too.)
DATE_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december".split()
)
#: A story refuses an article about a year more than this many years after the latest year its
#: articles are about: the same people and words years apart (two elections of one parliament,
#: two emergency patches of one browser) are two events. An article is about its date's year; an
#: undated one about the latest year its text names (a report names its own year or earlier
#: ones; the margin allows for a season or a contract that runs on).
YEAR_GAP = 3
#: ... once at least this many of its articles are about a year (one article's background year
#: does not date a story).
YEAR_ARTICLES = 2
#: Two fragments are not folded into one when one is about a year well after the other's, once
#: at least this many articles of the other are about a year: a fold is how the fragments of one
#: story opened before its words were known come together, so it waits for firmer evidence.
FOLD_YEAR_ARTICLES = 3
#: A year in the text: 1900-2099 standing alone (not "$2000", "2,000", "2000%").
YEAR = re.compile(r"(?<![\w$£€.,])((?:19|20)\d\d)(?![\w%]|[.,]\d)")


@dataclass(slots=True)
class _Story:
    """A story: its members, the summed vectors of its members (compact) and that sum's length,
    its core (the centroid's strongest terms), the names it uses most and the day of its newest
    dated article. The core and core names are kept as of the story's last change (``_refresh``),
    as every article that looks for its story reads them. ``mentions`` counts the articles that
    mention each name, ``leads`` those that name it in their headline or first sentence.
    ``anchors`` are its articles' anchors while it is a fragment: it is not folded into an
    established story that hardly mentions one of them. ``years`` counts its articles by the year
    they are about (``ArticleNames.year``); ``undated`` holds the names of this run's members about
    no year (the article that opened it aside), which a later year can move to another story."""

    number: int
    members: list[int]
    centroid: dict[int, float]
    core: frozenset[int] = frozenset()
    norm: float = 1.0
    lengths: float = 0.0
    last_day: float = math.nan
    indexed: tuple[int, ...] = field(default_factory=tuple)
    names: dict[str, int] = field(default_factory=dict)
    core_names: frozenset[str] = frozenset()
    earlier: tuple[str, ...] = ()
    mentions: dict[str, int] = field(default_factory=dict)
    leads: dict[str, int] = field(default_factory=dict)
    anchors: frozenset[str] = frozenset()
    years: Counter[int] = field(default_factory=Counter)
    undated: dict[int, ArticleNames] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Its articles, this run's and earlier runs'."""
        return len(self.members) + len(self.earlier)


@dataclass(frozen=True, slots=True)
class ActiveStory:
    """A story still active after a run, as the state keeps it for the next run's articles.

    Terms are their stable numbers (``stories.term_number``), not one run's column positions, so
    the next run's articles meet them; ``keys`` are the state keys of its articles, which tell a
    later digest which story it continues. The centroid is packed (``terms`` as little-endian
    int64, ``weights`` as float64, strongest first): a firehose keeps thousands of stories of
    300 terms each, and as Python pairs each story would take about seven times the memory.
    ``mentions`` and ``leads`` count the articles that mention each name and that name it in their
    lead (the same-event guard's record); ``years`` counts its articles by the year they are about
    (the years guard's).
    """

    keys: tuple[str, ...]
    terms: bytes
    weights: bytes
    names: tuple[tuple[str, int], ...]
    lengths: float
    last_day: float
    mentions: tuple[tuple[str, int], ...] = ()
    leads: tuple[tuple[str, int], ...] = ()
    years: tuple[tuple[int, int], ...] = ()

    @classmethod
    def pack(
        cls,
        keys: tuple[str, ...],
        centroid: Sequence[tuple[int, float]],
        names: tuple[tuple[str, int], ...],
        lengths: float,
        last_day: float,
        mentions: tuple[tuple[str, int], ...] = (),
        leads: tuple[tuple[str, int], ...] = (),
        years: tuple[tuple[int, int], ...] = (),
    ) -> ActiveStory:
        terms = np.array([term for term, _ in centroid], dtype="<i8")
        weights = np.array([weight for _, weight in centroid], dtype="<f8")
        return cls(
            keys,
            terms.tobytes(),
            weights.tobytes(),
            names,
            lengths,
            last_day,
            mentions,
            leads,
            years,
        )

    @property
    def centroid(self) -> list[tuple[int, float]]:
        """The centroid as (term number, weight) pairs, strongest first."""
        return list(zip(self.term_numbers(), np.frombuffer(self.weights, dtype="<f8").tolist()))

    def term_numbers(self) -> list[int]:
        return np.frombuffer(self.terms, dtype="<i8").tolist()

    def to_dict(self) -> dict:
        return {
            "keys": list(self.keys),
            "terms": base64.b64encode(self.terms).decode("ascii"),
            "weights": base64.b64encode(self.weights).decode("ascii"),
            "names": [list(item) for item in self.names],
            "lengths": self.lengths,
            "last_day": self.last_day,
            "mentions": [list(item) for item in self.mentions],
            "leads": [list(item) for item in self.leads],
            "years": [list(item) for item in self.years],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ActiveStory:
        """From ``to_dict``'s form, or from what a state of an earlier release kept, so its active
        stories go on: (term, weight) pairs for the centroid, no mentions or leads, for which the
        names its articles use most stand in, and no years (the years guard waits until the story's
        next articles give some)."""
        names = tuple((name, int(count)) for name, count in data["names"])
        mentions = tuple((name, int(count)) for name, count in data.get("mentions", names))
        leads = tuple((name, int(count)) for name, count in data.get("leads", names))
        years = tuple((int(year), int(count)) for year, count in data.get("years", ()))
        lengths, last_day = float(data["lengths"]), float(data["last_day"])
        if "centroid" in data:
            centroid = [(int(term), float(weight)) for term, weight in data["centroid"]]
            return cls.pack(
                tuple(data["keys"]), centroid, names, lengths, last_day, mentions, leads, years
            )
        terms, weights = base64.b64decode(data["terms"]), base64.b64decode(data["weights"])
        if len(terms) != len(weights) or len(terms) % 8:
            raise ValueError("an active story's terms and weights differ in length")
        return cls(
            tuple(data["keys"]), terms, weights, names, lengths, last_day, mentions, leads, years
        )


@dataclass(frozen=True, slots=True)
class Streamed:
    """What a pass returns: the run's stories, and the stories to keep active for the next run."""

    groups: tuple[StoryGroup, ...]
    active: tuple[ActiveStory, ...]


def group_stories_streaming(
    articles: Sequence[Article],
    *,
    threshold: float = DEFAULT_STREAM_SAME_STORY,
    quiet_days: float = QUIET_DAYS,
    vectors: StoryVectors | None = None,
) -> list[StoryGroup]:
    """Group ``articles`` (cleaned) into stories in one pass, most widely covered first.

    Same result type and order as ``group_stories``; the grouping itself is sequential: articles by
    date (undated last, as of the newest date) then id, each compared only with the active stories
    its key terms index.
    """
    streamed = stream_stories(articles, threshold=threshold, quiet_days=quiet_days, vectors=vectors)
    return list(streamed.groups)


def stream_stories(
    articles: Sequence[Article],
    *,
    keys: Sequence[str] | None = None,
    active: Sequence[ActiveStory] = (),
    today: float = math.nan,
    keep_days: float = math.inf,
    threshold: float = DEFAULT_STREAM_SAME_STORY,
    quiet_days: float = QUIET_DAYS,
    vectors: StoryVectors | None = None,
) -> Streamed:
    """Stream ``articles`` into the ``active`` stories of earlier runs and into new ones.

    ``keys`` name the articles in the state (default: their ids). Stories of earlier runs take
    part exactly as this run's do; a group that continues one lists its earlier articles' keys in
    ``earlier``. An undated article counts as of ``today`` (without it, the newest dated article's
    day): it meets the stories active then, not one that went quiet long before. The result's
    ``active`` holds every story whose newest article is at most ``keep_days`` before ``today``,
    for the next run.
    """
    if vectors is None:
        vectors = story_vectors(articles, known={t for s in active for t in s.term_numbers()})
    keys = [a.id for a in articles] if keys is None else list(keys)
    days = [day_number(a.published) for a in articles]
    order = sorted(
        range(len(articles)),
        key=lambda p: (
            math.isnan(days[p]),
            0.0 if math.isnan(days[p]) else days[p],
            articles[p].id,
            p,
        ),
    )
    # an undated article is as new as the run: today, or without one the run's newest dated day
    dated = [day for day in days if not math.isnan(day)]
    now = today if not math.isnan(today) else max(dated, default=math.nan)
    terms = vectors.terms.tolist()
    numbers = {term: number for number, term in enumerate(terms)}
    stories: list[_Story] = []
    index: dict[int, dict[int, None]] = {}
    queue: list[tuple[float, int]] = []  # (newest day, story), a heap
    for kept in active:
        centroid = {}
        for term, weight in kept.centroid:
            if term not in numbers:
                numbers[term] = len(terms)
                terms.append(term)
            centroid[numbers[term]] = weight
        story = _Story(len(stories), [], centroid, lengths=kept.lengths, last_day=kept.last_day)
        story.names, story.earlier = dict(kept.names), kept.keys
        story.mentions, story.leads = dict(kept.mentions), dict(kept.leads)
        story.years = Counter(dict(kept.years))
        stories.append(story)
        _refresh(story, index)
        if not math.isnan(story.last_day):
            heapq.heappush(queue, (story.last_day, story.number))
    for position in order:
        vector = _row(vectors, position)
        day = now if math.isnan(days[position]) else days[position]
        if not math.isnan(day):
            _retire(stories, index, queue, day, quiet_days)
        if not vector:  # a stub or an article with nothing shared: a story of its own
            stories.append(_Story(len(stories), [position], {}, last_day=day))
            continue
        key_terms = _strongest(vector, KEY_TERMS)
        names = name_profile(articles[position])
        refused: list[_Story] = []
        best = _best_story(vector, key_terms, names, stories, index, threshold, refused)
        if best is None:
            best = _Story(len(stories), [], {})
            stories.append(best)
        _join(best, position, vector, names, day, index)
        for story in refused:
            _move_undated(story, best, vectors, day, index)
        # folded after the moves: with the members that moved to it, it may be a fragment no longer
        _merge_close_stories(best, stories, index)
        if not math.isnan(best.last_day):
            heapq.heappush(queue, (best.last_day, best.number))
    groups = _story_groups(articles, vectors, [s for s in stories if s.members])
    kept = _still_active(stories, terms, keys, today, keep_days)
    return Streamed(tuple(groups), kept)


def _still_active(
    stories: list[_Story], terms: list[int], keys: list[str], today: float, keep_days: float
) -> tuple[ActiveStory, ...]:
    """The stories to keep for the next run, compact and in a stable order."""
    kept = []
    for story in stories:
        if not story.indexed:
            continue  # folded into another, gone quiet, or a stub
        last_day = today if math.isnan(story.last_day) else story.last_day
        if not math.isnan(today) and today - last_day > keep_days:
            continue
        centroid = sorted(
            ((terms[t], round(w, SCORE_DECIMALS)) for t, w in story.centroid.items()),
            key=lambda item: (-item[1], item[0]),
        )
        members = tuple(sorted(keys[p] for p in story.members))
        kept.append(
            ActiveStory.pack(
                (*story.earlier, *members),
                centroid,
                _ranked(story.names),
                round(story.lengths, SCORE_DECIMALS),
                last_day,
                _ranked(story.mentions),
                _ranked(story.leads),
                tuple(sorted(story.years.items())),
            )
        )
    return tuple(sorted(kept, key=lambda story: story.keys))


def _best_story(
    vector: dict[int, float],
    keys: list[int],
    names: ArticleNames,
    stories: list[_Story],
    index: dict[int, dict[int, None]],
    threshold: float,
    refused: list[_Story],
) -> _Story | None:
    """The active story that ``vector`` matches best at ``threshold`` or above, guards holding.

    Stories that it matches at ``threshold`` but that refuse it for its year go into ``refused``."""
    candidates = sorted({s for term in keys for s in index.get(term, ())})
    best, best_score = None, round(threshold, SCORE_DECIMALS)
    for number in candidates:
        story = stories[number]
        if story.core.isdisjoint(keys):
            continue  # the guard: no key term of the article is in the story's core ...
        if names.most_used and story.names and names.most_used.isdisjoint(story.core_names):
            continue  # ... nor any of its names among the names the story uses most ...
        if _another_event(story, names.anchors):
            continue  # ... or its lead is about someone or somewhere the story hardly mentions
        total = sum(weight * story.centroid.get(term, 0.0) for term, weight in vector.items())
        score = round(total / story.norm, SCORE_DECIMALS)
        if _another_year(story, names.year):
            if score >= round(threshold, SCORE_DECIMALS):
                refused.append(story)
            continue  # ... or it is about a year well after the story's
        if score >= best_score and (best is None or score > best_score):
            best, best_score = story, score
    return best


def _join(
    story: _Story,
    position: int,
    vector: dict[int, float],
    names: ArticleNames,
    day: float,
    index: dict[int, dict[int, None]],
) -> None:
    """Add the article at ``position`` to ``story`` (folding comes after, ``_merge_close_stories``)."""
    story.members.append(position)
    story.lengths += math.sqrt(sum(w * w for w in vector.values()))
    _tally(story.names, dict.fromkeys(names.most_used, 1))
    _tally(story.mentions, dict.fromkeys(names.mentioned, 1))
    _tally(story.leads, dict.fromkeys(names.lead, 1))
    if names.year is not None:
        story.years[names.year] += 1
    elif story.size > 1:
        story.undated[position] = names
    if story.size <= FRAGMENT_ARTICLES:
        story.anchors |= names.anchors
    for term, weight in vector.items():
        story.centroid[term] = story.centroid.get(term, 0.0) + weight
    if not math.isnan(day):
        story.last_day = day if math.isnan(story.last_day) else max(story.last_day, day)
    _refresh(story, index)


def _refresh(story: _Story, index: dict[int, dict[int, None]]) -> None:
    """Compact the centroid and names, recompute the length, core and core names (each from one
    ranking), and index the story by its core."""
    for term in story.indexed:
        index[term].pop(story.number, None)
    strongest = _strongest_items(story.centroid, CENTROID_TERMS)
    if len(story.centroid) > CENTROID_TERMS:
        story.centroid = dict(strongest)
    ranked = _ranked(story.names)
    if len(ranked) > STORY_NAMES:
        story.names = dict(ranked[:STORY_NAMES])
    if len(story.mentions) > STORY_MENTIONS:
        rare = RARELY_MENTIONED * story.size
        story.mentions = {name: n for name, n in story.mentions.items() if n > rare}
    if len(story.leads) > STORY_MENTIONS:
        story.leads = dict(_ranked(story.leads)[:STORY_MENTIONS])
    if story.size > FRAGMENT_ARTICLES:
        story.anchors = frozenset()  # a fragment no longer
    story.core_names = frozenset(name for name, _ in ranked[:CORE_NAMES])
    story.norm = math.sqrt(sum(w * w for w in story.centroid.values())) or 1.0
    story.core = frozenset(term for term, _ in strongest[:CORE_TERMS])
    story.indexed = tuple(sorted(story.core))
    for term in story.indexed:
        posting = index.setdefault(term, {})
        posting[story.number] = None  # newest last: the story just changed
        if len(posting) > POSTING_STORIES:
            del posting[next(iter(posting))]  # the story that changed longest ago


def _merge_close_stories(
    story: _Story, stories: list[_Story], index: dict[int, dict[int, None]]
) -> None:
    """Fold into ``story`` every active story whose centroid has become as close as one story's
    articles are: fragments opened before the story's words were known come together again. One
    of the two must be a fragment (``FRAGMENT_ARTICLES``), so one new article that resembles two
    established stories cannot bridge them into one."""
    while True:
        candidates = sorted(
            {s for term in story.core for s in index.get(term, ())} - {story.number}
        )
        best, best_score = None, round(MERGE_STORIES, SCORE_DECIMALS)
        for number in candidates:
            other = stories[number]
            if min(story.size, other.size) > FRAGMENT_ARTICLES:
                continue  # two stories of their own, not a story and its fragment
            if story.names and other.names and story.core_names.isdisjoint(other.core_names):
                continue  # the names guard holds for stories as for articles ...
            if _another_event(story, other.anchors) or _another_event(other, story.anchors):
                continue  # ... and so does the same-event guard
            if any(_another_year(story, year, FOLD_YEAR_ARTICLES) for year in other.years) or any(
                _another_year(other, year, FOLD_YEAR_ARTICLES) for year in story.years
            ):
                continue  # ... and the years guard
            total = sum(w * other.centroid.get(t, 0.0) for t, w in story.centroid.items())
            # On the articles' scale: an article's vector is shorter the less of it other articles
            # share, and a story's is its articles' mean, so a one-article story of a short
            # report compares as that article would.
            fullness = min(story.lengths / story.size, other.lengths / other.size)
            score = round(total / (story.norm * other.norm) * fullness, SCORE_DECIMALS)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = other, score
        if best is None:
            return
        for term in best.indexed:
            index[term].pop(best.number, None)
        story.members.extend(best.members)
        story.earlier = (*story.earlier, *best.earlier)
        story.lengths += best.lengths
        for term, weight in best.centroid.items():
            story.centroid[term] = story.centroid.get(term, 0.0) + weight
        if not math.isnan(best.last_day):
            story.last_day = (
                best.last_day if math.isnan(story.last_day) else max(story.last_day, best.last_day)
            )
        _tally(story.names, best.names)
        _tally(story.mentions, best.mentions)
        _tally(story.leads, best.leads)
        story.anchors |= best.anchors
        story.years.update(best.years)
        story.undated.update(best.undated)
        best.years, best.undated = Counter(), {}
        best.members, best.centroid, best.indexed, best.earlier = [], {}, (), ()
        best.names, best.mentions, best.leads, best.anchors = {}, {}, {}, frozenset()
        _refresh(story, index)


@dataclass(frozen=True, slots=True)
class ArticleNames:
    """The names an article uses (capitalised words that do not open a sentence, normalised):
    what tells two stories apart is who and where ("Pinochet", "Valmora"), which a story's
    general vocabulary ("police", "talks") does not.

    ``most_used`` are the ``ARTICLE_NAMES`` it uses most, which the names guard compares with a
    story's; ``mentioned`` is every name it uses, ``lead`` those its headline and first sentence
    use. ``anchors`` are who and where its lead is about: names of its lead that are among the
    ``ANCHOR_NAMES`` it uses most, at least ``ANCHOR_USES`` times and in ``ANCHOR_SENTENCES`` of
    its sentences ("Capaldi" in a report that Peter Capaldi is the new Doctor). ``year`` is the
    year it is about: its date's, or undated, the latest its text names (None if it names none).
    """

    most_used: frozenset[str]
    mentioned: frozenset[str]
    lead: frozenset[str]
    anchors: frozenset[str]
    year: int | None = None


def name_profile(article: Article) -> ArticleNames:
    """The names ``article`` uses, most used first, and which of them anchor its lead."""
    from multisum.text import normalize_term, stop_words

    stops = stop_words()
    counts: Counter[str] = Counter()
    lead: set[str] = set()
    sentences = re.split(r"(?<=[.!?\n])\s+", f"{article.title}\n{article.text}")
    openers: list[str] = []
    for number, sentence in enumerate(sentences):
        words = re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", sentence)
        if words:
            openers.append(words[0])
        for word in words[1:]:
            if word[0].isupper() and word.lower() not in stops and len(word) > 1:
                if word.lower() in DATE_NAMES:
                    continue  # when, not who or where
                name = sys.intern(normalize_term(word))  # one string however many stories
                counts[name] += 1
                if number < 2:  # the headline, then the first sentence
                    lead.add(name)
    # A sentence's first word is capitalised anyway; it counts when the article names it inside a
    # sentence too ("Williams was booked ..." after "... tackle Jamal Williams was arrested").
    known = set(counts)
    for word in openers:
        name = normalize_term(word)
        if word[0].isupper() and len(word) > 1 and name in known:
            counts[name] += 1
    ranked = _ranked(counts)
    day = day_number(article.published)
    if not math.isnan(day):
        year: int | None = _year_of(day)
    else:
        years = YEAR.findall(f"{article.title}\n{article.text}")
        year = max(map(int, years), default=None)
    least = max(ANCHOR_USES, ANCHOR_SENTENCES * len(sentences))
    salient = [name for name, count in ranked if count >= least]
    return ArticleNames(
        most_used=frozenset(name for name, _ in ranked[:ARTICLE_NAMES]),
        mentioned=frozenset(counts),
        lead=frozenset(lead),
        anchors=frozenset(name for name in salient[:ANCHOR_NAMES] if name in lead),
        year=year,
    )


def _year_of(day: float) -> int:
    """The calendar year (UTC) of a day number (``stories.day_number``)."""
    from datetime import datetime, timezone

    return datetime.fromtimestamp(day * 86400, timezone.utc).year


def _another_year(story: _Story, year: int | None, least: int = YEAR_ARTICLES) -> bool:
    """Whether an article about ``year`` reports a later event than ``story``: the year is more
    than ``YEAR_GAP`` after the latest its articles are about, and at least ``least`` of them are
    about one. Only later: a report of this year's event often recalls only earlier ones, while
    one of an event years ago does not name years to come."""
    if year is None or story.years.total() < least:
        return False
    return year > max(story.years) + YEAR_GAP


def _move_undated(
    story: _Story,
    target: _Story,
    vectors: StoryVectors,
    day: float,
    index: dict[int, dict[int, None]],
) -> None:
    """Move to ``target`` the members of ``story`` about no year that match ``target`` better than
    ``story`` less themselves: ``story`` has just refused an article for its year, which
    ``target`` took, so the story holds an earlier event, and its undated members joined it
    before the years could tell (the first reports of a later emergency patch, naming no year,
    join the earlier patch's story until one names the year). Compared as an article is with a
    story, scores rounded; the article that opened ``story`` stays, as does every member of an
    earlier run (no vector of it is kept)."""
    if story is target or not story.undated:
        return
    norm_squared = story.norm * story.norm
    moving = []
    for position, names in story.undated.items():  # in the order they joined
        vector = _row(vectors, position)
        with_target = sum(w * target.centroid.get(t, 0.0) for t, w in vector.items())
        shared = sum(w * story.centroid[t] for t, w in vector.items() if t in story.centroid)
        own = sum(w * w for t, w in vector.items() if t in story.centroid)
        rest = math.sqrt(max(norm_squared - 2 * shared + own, 0.0)) or 1.0
        to_target = round(with_target / target.norm, SCORE_DECIMALS)
        to_rest = round((shared - own) / rest, SCORE_DECIMALS)
        if to_target > to_rest:
            moving.append((position, vector, names))
    if not moving:
        return
    for position, vector, names in moving:
        story.members.remove(position)
        del story.undated[position]
        story.lengths -= math.sqrt(sum(w * w for w in vector.values()))
        for term, weight in vector.items():
            if term in story.centroid:
                left = story.centroid[term] - weight
                if round(left, SCORE_DECIMALS) > 0:
                    story.centroid[term] = left
                else:
                    del story.centroid[term]
        _untally(story.names, names.most_used)
        _untally(story.mentions, names.mentioned)
        _untally(story.leads, names.lead)
    _refresh(story, index)
    for position, vector, names in moving:
        _join(target, position, vector, names, day, index)


def _row(vectors: StoryVectors, position: int) -> dict[int, float]:
    """An article's vector as term column to weight."""
    rows = vectors.rows
    start, end = rows.indptr[position], rows.indptr[position + 1]
    return dict(zip(rows.indices[start:end].tolist(), rows.data[start:end].tolist()))


def _untally(counts: dict[str, int], names: frozenset[str]) -> None:
    """Take one article's names out of a story's ``counts`` (a member that moves away)."""
    for name in names:
        if name in counts:
            counts[name] -= 1
            if counts[name] <= 0:
                del counts[name]


def _tally(counts: dict[str, int], more: Mapping[str, int]) -> None:
    """Add ``more``'s counts of names into ``counts`` (a story's, as articles join or merge)."""
    for name, count in more.items():
        counts[name] = counts.get(name, 0) + count


def _ranked(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """Names with their counts, the most counted first, then alphabetically: one order on
    every machine."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _another_event(story: _Story, anchors: frozenset[str]) -> bool:
    """Whether an established ``story`` hardly mentions one of ``anchors``: then what they come
    from (an article, a fragment) reports another event on the same subject, whatever the words
    they share. Hardly: few of its articles mention the name, or none leads with it and not most
    mention it ("Aceh" in a report of a quake in Aceh, against a story of a quake in West Papua
    whose reports recall the tsunami in Aceh further down)."""
    if story.size < ESTABLISHED_ARTICLES or not anchors:
        return False
    for name in anchors:
        mentioned = story.mentions.get(name, 0)
        if mentioned <= RARELY_MENTIONED * story.size:
            return True
        if not story.leads.get(name) and mentioned <= UNLED_MENTIONED * story.size:
            return True
    return False


def _strongest_items(weights: dict[int, float], count: int) -> list[tuple[int, float]]:
    """The ``count`` heaviest terms, ties by term number, so the choice never depends on dict order."""
    ranked = sorted(weights.items(), key=lambda item: (-round(item[1], SCORE_DECIMALS), item[0]))
    return ranked[:count]


def _strongest(weights: dict[int, float], count: int) -> list[int]:
    return [term for term, _ in _strongest_items(weights, count)]


def _retire(
    stories: list[_Story],
    index: dict[int, dict[int, None]],
    active: list[tuple[float, int]],
    day: float,
    quiet: float,
) -> None:
    """Take out of the index every story whose newest dated article is over ``quiet`` days old.

    ``active`` is a heap of (newest day, story), so the work is the stories that go quiet, not
    every active story for every article.
    """
    while active and day - active[0][0] > quiet:
        last_day, number = heapq.heappop(active)
        story = stories[number]
        if story.last_day != last_day:
            continue  # the story has had a newer article since this entry was queued
        for term in story.indexed:
            index[term].pop(number, None)
        story.indexed = ()
        story.mentions, story.leads = {}, {}  # it takes no more articles
        story.years, story.undated = Counter(), {}


def _story_groups(
    articles: Sequence[Article], vectors: StoryVectors, stories: list[_Story]
) -> list[StoryGroup]:
    """StoryGroups as ``group_stories`` makes them: members in input order, copies collapsed."""
    groups = []
    for story in stories:
        members = tuple(sorted(story.members))
        rows, cols = _copies(vectors, members)
        group = _story_group(articles, members, rows, cols)
        groups.append(replace(group, earlier=tuple(sorted(story.earlier))))
    return sorted(groups, key=lambda g: (-_outlet_count(articles, g), -len(g.members), g.members))


def _copies(vectors: StoryVectors, members: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of members that are copies of one text (only within a story: its size, not the day's)."""
    if len(members) < 2:
        return np.array([], dtype=int), np.array([], dtype=int)
    block = vectors.rows[list(members)]
    similarity = (block @ block.T).toarray()
    plain = vectors.to_plain[list(members)]
    same = similarity * plain[:, None] * plain[None, :] >= SAME_TEXT
    first, second = np.nonzero(np.triu(same, k=1))
    picked = np.asarray(members)
    return picked[first], picked[second]
