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
#: Articles with fewer distinct content words than this are stubs, not a story to group.
MIN_TERMS = 20
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
#: Term entries (an article's distinct terms each) counted into the document frequencies at a time,
#: at least; a fold is as large as the distinct terms counted so far, so folds stay few.
FOLD_ENTRIES = 1 << 20


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

    Terms are numbered by ``term_number``, article by article, so no list of the day's words or
    vocabulary of their text is held: memory grows with the terms each article has, and a story
    kept for the next run carries its terms as numbers that run's articles share. A term in
    ``known`` (the term numbers of stories active from earlier runs) counts as shared, so one
    article that continues yesterday's story keeps the words it shares with that story. The day's
    document frequencies are counted in folds as articles come (``_fold``); weights and rows are
    made article by article, each article's term list let go as its row is made, so the peak is
    the day's term numbers and its distinct terms, not a second copy, a sort, or the weights and
    rows of every entry at once.

    Also returns, per article, the factor that turns a similarity of these rows back into the plain
    cosine (unshared terms at full weight), which is what tells a copy from a report of the same
    story.
    """
    count = len(articles)
    numbers: list[np.ndarray | None] = []
    tallies: list[np.ndarray | None] = []
    distinct = np.zeros(count, dtype=np.int64)
    terms, frequency = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first = unfolded = 0  # the first article not yet in the frequencies, and its rows' entries
    for row, article in enumerate(articles):
        tally = Counter(article_terms(article))
        distinct[row] = sum(1 for term in tally if " " not in term)
        numbers.append(np.fromiter(map(term_number, tally), dtype=np.int64, count=len(tally)))
        tallies.append(np.fromiter(tally.values(), dtype=np.int32, count=len(tally)))
        unfolded += len(tally)
        if unfolded >= max(FOLD_ENTRIES, len(terms)) or row == count - 1:
            terms, frequency = _fold(terms, frequency, numbers[first:])
            first, unfolded = row + 1, 0
    if not numbers:
        return StoryVectors(sparse.csr_matrix((0, 0)), np.zeros(0), np.zeros(0, dtype=np.int64))
    # Sublinear tf and smoothed idf, as text.tfidf_matrix weighs them.
    idf = smoothed_idf(frequency, count)
    if known:
        frequency = frequency + np.isin(terms, np.fromiter(known, dtype=np.int64))
    limit = max(COMMON_TERM_FLOOR, int(COMMON_TERM_SHARE * count))
    kept = (frequency >= 2) & (frequency <= limit)
    renumbered = (np.cumsum(kept) - 1).astype(np.int32)
    data, indices = [], []
    indptr = np.zeros(count + 1, dtype=np.int64)
    lengths, plain = np.zeros(count), np.zeros(count)
    for row in range(count):
        column = np.searchsorted(terms, numbers[row])
        weights = (1.0 + np.log(tallies[row].astype(np.float64))) * idf[column]
        numbers[row] = tallies[row] = None
        shared = kept[column]
        squares = weights * weights
        # bincount adds in entry order, as one bincount over the day's entries did
        shared_part = _sum_in_order(np.where(shared, squares, 0.0))
        unshared_part = _sum_in_order(np.where(frequency[column] == 1, squares, 0.0))
        lengths[row] = np.sqrt(shared_part + UNSHARED_WEIGHT * unshared_part)
        plain[row] = np.sqrt(shared_part + unshared_part)
        if lengths[row] > 0 and distinct[row] >= MIN_TERMS:
            data.append(weights[shared] * (1.0 / max(lengths[row], 1e-12)))
            indices.append(renumbered[column[shared]])
            indptr[row + 1] = indptr[row] + len(data[-1])
        else:
            indptr[row + 1] = indptr[row]
    vectors = sparse.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32),
            indptr,
        ),
        shape=(count, int(kept.sum())),
    )
    vectors.sort_indices()  # each row's terms by number, so what reads a row reads it in one order
    to_plain = lengths / np.maximum(plain, 1e-12)
    return StoryVectors(vectors, to_plain, terms[kept])


def _fold(
    terms: np.ndarray, frequency: np.ndarray, rows: Sequence[np.ndarray | None]
) -> tuple[np.ndarray, np.ndarray]:
    """Document frequencies (``terms`` sorted, unique) with ``rows``' term numbers counted in.

    Counting as the articles come, in folds that grow with the terms already counted, keeps the
    peak at the day's distinct terms plus one fold, not a copy of every article's terms and its
    sort; the counts are exact integers, the same as counting all at once.
    """
    new, counts = np.unique(np.concatenate(rows), return_counts=True)
    merged = np.union1d(terms, new)
    total = np.zeros(len(merged), dtype=np.int64)
    total[np.searchsorted(merged, terms)] += frequency  # each term once in each: no collisions
    total[np.searchsorted(merged, new)] += counts
    return merged, total


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
