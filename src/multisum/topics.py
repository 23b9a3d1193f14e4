"""Cluster the sentences of all sources by topic and give each topic a short readable label."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

import numpy as np

from multisum.model import Story, Topic
from multisum.text import content_terms, normalize_term, stop_words, tfidf_matrix, words

MAX_TOPICS = 8


def find_topics(
    story: Story,
    positions: Sequence[int],
    *,
    count: int | None = None,
    max_count: int = MAX_TOPICS,
) -> list[Topic]:
    """Group ``positions`` (sentences of ``story``) into topics.

    Sentences are projected into a small latent space (LSA) where near-synonymous wording lands
    close together, then clustered with Ward linkage. Unless ``count`` is given, the number of
    topics is the one with the best silhouette between 2 and ``max_count`` (the pipeline bounds it
    by the budget, since a topic without a line in the briefing is of no use to the reader).
    """
    positions = list(positions)
    if not positions:
        return []
    if len(positions) < 3 or count == 1:
        return [Topic(_label(story, positions, [positions]), tuple(positions))]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist, squareform

    points = _latent_points([content_terms(story.sentences[p].text) for p in positions])
    tree = linkage(points, method="ward")
    if count is None:
        distances = squareform(pdist(points))
        choices = range(2, max(2, min(max_count, len(positions) // 3)) + 1)
        scored = [
            (round(_silhouette(distances, fcluster(tree, k, "maxclust")), 6), k) for k in choices
        ]
        count = max(scored)[1]
    labels = fcluster(tree, min(count, len(positions)), "maxclust")
    groups: dict[int, list[int]] = {}
    for position, label in zip(positions, labels):
        groups.setdefault(int(label), []).append(position)
    ordered = sorted(groups.values(), key=lambda members: members[0])
    return [Topic(_label(story, members, ordered), tuple(members)) for members in ordered]


def _latent_points(term_lists: list[list[str]]) -> np.ndarray:
    """Unit-length LSA coordinates of tf-idf vectors (deterministic truncated SVD)."""
    vectors, _ = tfidf_matrix(term_lists)
    dimensions = max(2, min(vectors.shape[0] - 1, vectors.shape[1] - 1, 10))
    if min(vectors.shape) <= dimensions + 1:
        u, s, _ = np.linalg.svd(vectors.toarray(), full_matrices=False)
        points = u[:, :dimensions] * s[:dimensions]
    else:
        from scipy.sparse.linalg import svds

        u, s, _ = svds(vectors, k=dimensions, random_state=0)
        points = u * s
    norms = np.linalg.norm(points, axis=1, keepdims=True)
    return points / np.where(norms > 0, norms, 1.0)


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette width; singletons count as 0, as in Rousseeuw (1987)."""
    if len(set(labels.tolist())) < 2:
        return -1.0
    values = []
    for i, label in enumerate(labels):
        same = labels == label
        if same.sum() <= 1:
            values.append(0.0)
            continue
        inside = distances[i, same].sum() / (same.sum() - 1)
        outside = min(
            distances[i, labels == other].mean() for other in set(labels.tolist()) if other != label
        )
        values.append((outside - inside) / max(inside, outside, 1e-12))
    return float(np.mean(values))


def _label(story: Story, members: Sequence[int], groups: Sequence[Sequence[int]]) -> str:
    """Two distinctive phrases of the topic, as the articles write them ("Bilateral trade, China")."""
    surface: dict[str, Counter] = {}
    stops = stop_words()

    def phrases(text: str) -> set[str]:
        tokens = [w for w in words(text) if w.lower() not in stops and not w.isdigit()]
        found = set()
        for word in tokens:
            term = normalize_term(word)
            surface.setdefault(term, Counter())[word] += 1
            found.add(term)
        for first, second in itertools.pairwise(tokens):
            term = f"{normalize_term(first)} {normalize_term(second)}"
            surface.setdefault(term, Counter())[f"{first} {second}"] += 1
            found.add(term)
        return found

    group_phrases = [[phrases(story.sentences[p].text) for p in group] for group in groups]
    own_index = [list(g) for g in groups].index(list(members)) if len(groups) > 1 else 0
    in_group: Counter = Counter()
    for sentence_phrases in group_phrases[own_index]:
        in_group.update(sentence_phrases)
    spread = Counter(term for g in group_phrases for term in set().union(*g) if g)
    scored = []
    for term, count in in_group.items():
        if count < 2 and len(members) > 2:
            continue
        weight = count * np.log(1 + len(groups) / spread[term]) * (1.5 if " " in term else 1.0)
        scored.append((-weight, term))
    chosen: list[str] = []
    for _, term in sorted(scored):
        if any(set(term.split()) & set(other.split()) for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == 2:
            break
    if not chosen:
        return "Other reports"
    names = [surface[term].most_common(1)[0][0] for term in chosen]
    label = ", ".join(names)
    return label[0].upper() + label[1:]
