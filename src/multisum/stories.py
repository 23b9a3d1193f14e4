"""Group articles into stories: tf-idf of content words, a sparse similarity graph, components.

Every step is sparse so the cost grows about linearly with the number of articles: each article
keeps only its strongest terms, and terms carried by a large share of the pool (which tie
unrelated stories together and cost quadratic work) are dropped before the similarity product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from scipy import sparse

from multisum.model import Article
from multisum.text import normalize_term, stop_words, tfidf_matrix, words

#: Average cosine similarity (pruned tf-idf) at which two groups of articles tell one story.
#: Tuned on the pooled evaluation clusters (benchmarks/story_grouping.py).
SAME_STORY = 0.10
#: Cosine similarity at which two articles are copies of one text (a wire story on several sites).
SAME_TEXT = 0.85
#: Similarities below this are left out of the graph: they could never lift an average.
MIN_LINK = 0.05
#: Articles with fewer content words than this are boilerplate or stubs, not a story to group.
MIN_TERMS = 20
#: Proper nouns (people, places, organisations) say most about which story an article is in.
PROPER_NOUN_WEIGHT = 2
#: Terms kept per article: its most distinctive words are what the story is about.
TERMS_PER_ARTICLE = 200
#: Terms found in more than this share of the pool say nothing about which story an article is in.
COMMON_TERM_SHARE = 0.05
#: ... but a term shared by this many articles is never common: small pools keep their story words.
COMMON_TERM_FLOOR = 25
#: Articles dated further apart than this are never the same story (undated articles always may be).
WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """Positions (in the input sequence) of the articles of one story.

    ``originals`` holds one article per distinct text; ``copies`` maps each original to the
    positions of articles that republish it, so a wire story on five sites counts once.
    """

    members: tuple[int, ...]
    originals: tuple[int, ...]
    copies: tuple[tuple[int, tuple[int, ...]], ...] = ()


def article_terms(article: Article) -> list[str]:
    """What grouping compares: content words, proper nouns and the title counted more than once."""
    stops = stop_words()
    terms = []
    for word in words(f"{article.title}\n{article.title}\n{article.text}"):
        if word.lower() in stops or word.isdigit() or len(word) < 2:
            continue
        term = normalize_term(word)
        proper = word[0].isupper() and not word.isupper()
        terms.extend([term] * (PROPER_NOUN_WEIGHT if proper else 1))
    return terms


def story_vectors(articles: Sequence[Article]) -> sparse.csr_matrix:
    """L2-normalised tf-idf rows, pruned to each article's strongest, not-too-common terms."""
    term_lists = [article_terms(a) for a in articles]
    vectors, _ = tfidf_matrix(term_lists)
    too_short = np.array([len(set(terms)) < MIN_TERMS for terms in term_lists])
    vectors = (sparse.diags((~too_short).astype(np.float64)) @ vectors).tocsc()
    document_frequency = np.diff(vectors.indptr)
    limit = max(COMMON_TERM_FLOOR, int(COMMON_TERM_SHARE * len(articles)))
    keep = document_frequency <= limit
    vectors = (vectors @ sparse.diags(keep.astype(np.float64))).tocsr()
    vectors = _keep_top_terms(vectors, TERMS_PER_ARTICLE)
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ vectors)


def _keep_top_terms(vectors: sparse.csr_matrix, count: int) -> sparse.csr_matrix:
    vectors = vectors.tocsr()
    vectors.eliminate_zeros()
    data = vectors.data.copy()
    for row in range(vectors.shape[0]):
        start, end = vectors.indptr[row], vectors.indptr[row + 1]
        if end - start > count:
            values = data[start:end]
            cut = np.partition(values, end - start - count)[end - start - count]
            values[values < cut] = 0.0
    pruned = sparse.csr_matrix((data, vectors.indices, vectors.indptr), shape=vectors.shape)
    pruned.eliminate_zeros()
    return pruned


def group_stories(
    articles: Sequence[Article],
    *,
    threshold: float = SAME_STORY,
    window_days: float = WINDOW_DAYS,
) -> list[StoryGroup]:
    """Group ``articles`` into stories, most widely covered first, each story's members in input order.

    Average linkage over a sparse similarity graph: two groups merge while their articles are, on
    average, at least ``threshold`` similar (pairs never compared count as 0), which follows a
    story's drift without the chaining of single links. Articles dated more than ``window_days``
    apart are not compared; articles too short to tell a story stand alone.
    """
    if not articles:
        return []
    vectors = story_vectors(articles)
    similarity = sparse.triu(vectors @ vectors.T, k=1).tocoo()
    keep = similarity.data >= MIN_LINK
    rows, cols, values = similarity.row[keep], similarity.col[keep], similarity.data[keep]
    days = np.array([day_number(a.published) for a in articles])
    gap = np.abs(days[rows] - days[cols])
    close = np.isnan(gap) | (gap <= window_days)
    rows, cols, values = rows[close], cols[close], values[close]
    labels = average_linkage(len(articles), rows, cols, values, threshold)
    same_text = values >= SAME_TEXT
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
    from multisum.ingest import outlet_from_text

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
