"""Group articles into stories: tf-idf of words and word pairs, a sparse similarity graph, linkage.

What an article is about is told best by its headline and lead, which count twice, and by the
names and phrases it uses ("Hurricane Georges", "Asian Games"), so word pairs are compared as well
as words. Every step is sparse: terms that a large share of the pool carries (which tie unrelated
stories together and cost quadratic work) are dropped before the similarity product.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from hashlib import blake2b

import numpy as np
from scipy import sparse

from multisum.model import Article
from multisum.options import DEFAULT_SAME_STORY
from multisum.text import content_terms, smoothed_idf

#: Cosine similarity at which two articles are copies of one text (a wire story on several sites).
SAME_TEXT = 0.85
#: Similarities below this are left out of the graph: they could never lift an average.
MIN_LINK = 0.03
#: Articles with fewer distinct content words than this are stubs, not a story to group. A two- or
#: three-sentence news item that passed the digest's gate (it states an event) has more.
MIN_TERMS = 8
#: The headline and the lead (its first content words) say what the story is: they count twice.
LEAD_TERMS = 80
#: Terms found in more than this share of the pool say nothing about which story an article is in.
COMMON_TERM_SHARE = 0.05
#: ... but a term shared by this many articles is never common: small pools keep their story words.
COMMON_TERM_FLOOR = 25
#: How much terms no other article shares count toward an article's length. They cannot link it to
#: anything, and at full weight they make a long article look unlike its own story.
UNSHARED_WEIGHT = 0.25
#: Articles dated further apart than this are never the same story (undated articles always may be).
WINDOW_DAYS = 90
#: Entries (an article's terms each) joined into one array at a time while vectors are made, and
#: the fewest counted into the document frequencies at a time.
BLOCK_ENTRIES = 1 << 20


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """Positions (in the input sequence) of the articles of one story.

    ``originals`` holds one article per distinct text; ``copies`` maps each original to the
    positions of articles that republish it, so a wire story on five sites counts once.
    ``earlier`` holds the state keys of articles of earlier runs when the story continues one.
    """

    members: tuple[int, ...]
    originals: tuple[int, ...]
    copies: tuple[tuple[int, tuple[int, ...]], ...] = ()
    earlier: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryVectors:
    """What grouping compares, one row per article: shared tf-idf terms (``terms`` holds the
    columns' term numbers), unit length; ``to_plain`` turns a similarity of rows back into the
    plain cosine."""

    rows: sparse.csr_matrix
    to_plain: np.ndarray
    terms: np.ndarray


def article_terms(article: Article) -> list[str]:
    """What grouping compares: content words and adjacent pairs, headline and lead counted twice.

    ``article`` is already cleaned (the digest cleans at harvest), so two pages that share only
    their boilerplate do not look alike.
    """
    title = content_terms(article.title)
    body = content_terms(article.text)
    sections = (title, title, body[:LEAD_TERMS], body)
    return [term for section in sections for term in (*section, *_pairs(section))]


def _pairs(terms: Sequence[str]) -> list[str]:
    return [f"{first} {second}" for first, second in itertools.pairwise(terms)]


def term_number(term: str) -> int:
    """A term's stable 64-bit number (blake2b), the same in every process and every run."""
    return int.from_bytes(blake2b(term.encode(), digest_size=8).digest(), "little", signed=True)


def story_vectors(articles: Sequence[Article], *, known: Collection[int] = ()) -> StoryVectors:
    """Rows of shared, not-too-common tf-idf terms, scaled to unit length (unshared terms damped).

    Terms are numbered by ``term_number``, so no list of the day's words or vocabulary of their
    text is held, and a story kept for the next run carries its terms as numbers that run's
    articles share. A term in ``known`` (the term numbers of stories active from earlier runs)
    counts as shared, so one article that continues yesterday's story keeps the words it shares
    with that story.

    Two passes over the articles, each making an article's terms again rather than keeping them:
    the first counts the day's document frequencies (``_document_frequencies``), the second makes
    the rows. Kept between the passes are only the terms more than one article uses (most of a
    day's terms, word pairs above all, are one article's). What a pass holds at a time is one
    block of entries, never a small array per article for the whole day: those would scatter
    over the process's heap, which then cannot shrink for the rest of the run.

    Also returns, per article, the factor that turns a similarity of these rows back into the plain
    cosine (unshared terms at full weight), which is what tells a copy from a report of the same
    story.
    """
    count = len(articles)
    if not count:
        return StoryVectors(sparse.csr_matrix((0, 0)), np.zeros(0), np.zeros(0, dtype=np.int64))
    terms, frequency = _document_frequencies(articles)
    # Sublinear tf and smoothed idf, as text.tfidf_matrix weighs them.
    idf = smoothed_idf(frequency, count)
    if known:
        frequency = frequency + np.isin(terms, np.fromiter(known, dtype=np.int64))
    repeated = frequency >= 2
    # every term one article alone uses has this idf: taken from the same computation, to the bit
    once_idf = float(idf[~repeated][0]) if not repeated.all() else 0.0
    terms, frequency, idf = terms[repeated], frequency[repeated], idf[repeated]
    limit = max(COMMON_TERM_FLOOR, int(COMMON_TERM_SHARE * count))
    kept = frequency <= limit
    renumbered = (np.cumsum(kept) - 1).astype(np.int32)
    data, indices = _Blocks(np.float64), _Blocks(np.int32)
    indptr = np.zeros(count + 1, dtype=np.int64)
    lengths, plain = np.zeros(count), np.zeros(count)
    for row, article in enumerate(articles):
        tally = Counter(article_terms(article))
        numbers = np.fromiter(map(term_number, tally), dtype=np.int64, count=len(tally))
        tallies = np.fromiter(tally.values(), dtype=np.int32, count=len(tally))
        column = np.searchsorted(terms, numbers)
        found = np.zeros(len(numbers), dtype=bool)  # used by another article too
        inside = column < len(terms)
        found[inside] = terms[column[inside]] == numbers[inside]
        term_idf = np.full(len(numbers), once_idf)
        term_idf[found] = idf[column[found]]
        shared = np.zeros(len(numbers), dtype=bool)
        shared[found] = kept[column[found]]
        weights = (1.0 + np.log(tallies.astype(np.float64))) * term_idf
        squares = weights * weights
        # bincount adds in entry order, as one bincount over the day's entries did
        shared_part = _sum_in_order(np.where(shared, squares, 0.0))
        unshared_part = _sum_in_order(np.where(found, 0.0, squares))
        lengths[row] = np.sqrt(shared_part + UNSHARED_WEIGHT * unshared_part)
        plain[row] = np.sqrt(shared_part + unshared_part)
        distinct = sum(1 for term in tally if " " not in term)
        if lengths[row] > 0 and distinct >= MIN_TERMS:
            data.add(weights[shared] * (1.0 / max(lengths[row], 1e-12)))
            indptr[row + 1] = indptr[row] + indices.add(renumbered[column[shared]])
        else:
            indptr[row + 1] = indptr[row]
    vectors = sparse.csr_matrix(
        (data.whole(), indices.whole(), indptr), shape=(count, int(kept.sum()))
    )
    vectors.sort_indices()  # each row's terms by number, so what reads a row reads it in one order
    to_plain = lengths / np.maximum(plain, 1e-12)
    return StoryVectors(vectors, to_plain, terms[kept])


class _Blocks:
    """An array built piece by piece: pieces are joined into blocks of ``BLOCK_ENTRIES``, so
    what is held is a few large arrays, not one small array per piece."""

    def __init__(self, dtype: type) -> None:
        self.dtype = dtype
        self.blocks: list[np.ndarray] = []
        self.pieces: list[np.ndarray] = []
        self.waiting = 0

    def add(self, piece: np.ndarray) -> int:
        """Add ``piece``; returns its length."""
        self.pieces.append(piece)
        self.waiting += len(piece)
        if self.waiting >= BLOCK_ENTRIES:
            self.blocks.append(np.concatenate(self.pieces))
            self.pieces, self.waiting = [], 0
        return len(piece)

    def entries(self) -> int:
        return sum(len(block) for block in self.blocks) + self.waiting

    def whole(self) -> np.ndarray:
        parts = [*self.blocks, *self.pieces]
        self.blocks, self.pieces, self.waiting = [], [], 0
        return np.concatenate(parts) if parts else np.zeros(0, dtype=self.dtype)


def _document_frequencies(articles: Sequence[Article]) -> tuple[np.ndarray, np.ndarray]:
    """The day's distinct term numbers (sorted) and how many articles use each.

    Counted as the articles come, in folds (``_fold``) at least ``BLOCK_ENTRIES`` entries and as
    large as the distinct terms counted so far, so folds stay few and the peak is the distinct
    terms plus one fold, not every article's terms and their sort.
    """
    terms, frequency = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    waiting = _Blocks(np.int64)
    for article in articles:
        distinct = set(article_terms(article))  # each term once an article: a document frequency
        waiting.add(np.fromiter(map(term_number, distinct), dtype=np.int64, count=len(distinct)))
        if waiting.entries() >= max(BLOCK_ENTRIES, len(terms)):
            terms, frequency = _fold(terms, frequency, waiting.whole())
    if waiting.entries():
        terms, frequency = _fold(terms, frequency, waiting.whole())
    return terms, frequency


def _fold(
    terms: np.ndarray, frequency: np.ndarray, numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Document frequencies (``terms`` sorted, unique) with ``numbers`` counted in; the counts
    are exact integers, the same however the articles are cut into folds.

    Sorting, not ``np.unique``/``np.union1d``: numpy's hash-based unique reaches all over a table
    of millions of terms, which cost three times as much per doubling of a firehose day; the
    fold's old terms are one sorted run, which a stable sort merges in one sweep.
    """
    new, counts = _runs(np.sort(numbers))
    merged, _ = _runs(np.sort(np.concatenate((terms, new)), kind="stable"))
    total = np.zeros(len(merged), dtype=np.int64)
    total[np.searchsorted(merged, terms)] += frequency  # each term once in each: no collisions
    total[np.searchsorted(merged, new)] += counts
    return merged, total


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of sorted ``values`` and how many times each occurs."""
    if not len(values):
        return values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[starts], np.diff(np.append(starts, len(values)))


def _sum_in_order(values: np.ndarray) -> float:
    return float(np.bincount(np.zeros(len(values), dtype=np.intp), values, minlength=1)[0])


def group_stories(
    articles: Sequence[Article],
    *,
    threshold: float = DEFAULT_SAME_STORY,
    window_days: float = WINDOW_DAYS,
    vectors: StoryVectors | None = None,
) -> list[StoryGroup]:
    """Group ``articles`` into stories, most widely covered first, each story's members in input order.

    Average linkage over a sparse similarity graph: two groups merge while their articles are, on
    average, at least ``threshold`` similar (pairs never compared count as 0), which follows a
    story's drift without the chaining of single links. Articles dated more than ``window_days``
    apart are not compared; articles too short to tell a story stand alone. ``articles`` are
    cleaned; pass their ``story_vectors`` when the caller needs them too (story profiles).
    """
    if not articles:
        return []
    if vectors is None:
        vectors = story_vectors(articles)
    to_plain = vectors.to_plain
    similarity = sparse.triu(vectors.rows @ vectors.rows.T, k=1).tocoo()
    keep = similarity.data >= MIN_LINK
    rows, cols, values = similarity.row[keep], similarity.col[keep], similarity.data[keep]
    days = np.array([day_number(a.published) for a in articles])
    gap = np.abs(days[rows] - days[cols])
    close = np.isnan(gap) | (gap <= window_days)
    rows, cols, values = rows[close], cols[close], values[close]
    labels = average_linkage(len(articles), rows, cols, values, threshold)
    same_text = values * to_plain[rows] * to_plain[cols] >= SAME_TEXT
    groups = [
        _story_group(articles, members, rows[same_text], cols[same_text])
        for members in _components(labels)
    ]
    return sorted(groups, key=lambda g: (-_outlet_count(articles, g), -len(g.members), g.members))


def average_linkage(
    count: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, threshold: float
) -> np.ndarray:
    """Cluster labels from average linkage on a sparse graph; work grows with its edges, not n²."""
    import heapq

    links: list[dict[int, float]] = [{} for _ in range(count)]
    for row, col, value in zip(rows.tolist(), cols.tolist(), values.tolist()):
        links[row][col] = links[col][row] = value
    size = [1] * count
    label = list(range(count))
    heap = [
        (-value, row, col) for row, col, value in zip(rows.tolist(), cols.tolist(), values.tolist())
    ]
    heapq.heapify(heap)
    while heap:
        negative, first, second = heapq.heappop(heap)
        if -negative < threshold:
            break
        if label[first] != first or label[second] != second:
            continue  # an entry for a group that has since merged
        total = links[first].get(second)
        if total is None or abs(total / (size[first] * size[second]) + negative) > 1e-12:
            continue  # stale: the pair's average changed after it was queued
        if len(links[first]) < len(links[second]):
            first, second = second, first  # fold the smaller neighbourhood into the larger
        label[second] = first
        del links[first][second]
        for other, value in links[second].items():
            if other == first:
                continue
            del links[other][second]
            merged = links[first].get(other, 0.0) + value
            links[first][other] = links[other][first] = merged
        links[second] = {}
        size[first] += size[second]
        for other, total in links[first].items():
            average = total / (size[first] * size[other])
            if average >= threshold:
                heapq.heappush(heap, (-average, min(first, other), max(first, other)))
    roots = np.array(label)
    for _ in range(count):  # follow merge chains to their final group
        updated = roots[roots]
        if np.array_equal(updated, roots):
            break
        roots = updated
    return roots


def _components(labels: np.ndarray) -> list[tuple[int, ...]]:
    members: dict[int, list[int]] = {}
    for position, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append(position)
    return [tuple(m) for m in members.values()]


def _story_group(
    articles: Sequence[Article], members: tuple[int, ...], rows: np.ndarray, cols: np.ndarray
) -> StoryGroup:
    """Collapse copies of one text onto the article that can be told to be the original."""
    inside = set(members)
    parent = {m: m for m in members}

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for row, col in zip(rows.tolist(), cols.tolist()):
        if row in inside and col in inside:
            parent[find(row)] = find(col)
    families: dict[int, list[int]] = {}
    for member in members:
        families.setdefault(find(member), []).append(member)
    originals, copies = [], []
    for family in families.values():
        original = min(family, key=lambda p: _original_rank(articles, family, p))
        originals.append(original)
        others = tuple(p for p in family if p != original)
        if others:
            copies.append((original, others))
    return StoryGroup(members, tuple(sorted(originals)), tuple(sorted(copies)))


def _original_rank(articles: Sequence[Article], family: list[int], position: int) -> tuple:
    """The original is the agency a copy names in its dateline, else the earliest, else the first."""
    from multisum.pipeline.ingest import outlet_from_text

    article = articles[position]
    named = {outlet_from_text(articles[p].text)[0] for p in family} - {""}
    day = day_number(article.published)
    return (article.outlet not in named, np.inf if np.isnan(day) else day, position)


def _outlet_count(articles: Sequence[Article], group: StoryGroup) -> int:
    return len({articles[p].outlet for p in group.originals})


def day_number(published: str) -> float:
    """Days since the epoch for an ISO-like or RFC 822 date; NaN when it cannot be read."""
    text = published.strip()
    if not text:
        return float("nan")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            for layout in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y%m%d"):
                try:
                    moment = datetime.strptime(text, layout)
                    break
                except ValueError:
                    continue
            else:
                return float("nan")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp() / 86400
