"""Cluster the sentences of all sources by topic and give each topic a short readable label."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from multisum.model import Story, Topic
from multisum.text import content_terms, normalize_term, stop_words, tfidf_matrix, words

MAX_TOPICS = 8
#: Eigenvalues this close (relative to the largest) to the last one kept are kept too: the
#: eigenvectors of tied eigenvalues are any rotation of each other, so a cut between them would
#: keep a different subspace on another machine.
TIED_EIGENVALUES = 1e-9
#: A sentence whose latent point's squared length is under this has nothing in the latent space
#: (no content word, or none the story shares): it is the zero point, not a unit direction made
#: of rounding noise.
EMPTY_POINT = 1e-6


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
        return [Topic(_labels(story, [positions])[0], tuple(positions))]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distances = _latent_distances([content_terms(story.sentences[p].text) for p in positions])
    tree = linkage(distances, method="ward")
    if count is None:
        distances = squareform(distances)
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
    labels = _labels(story, ordered)
    return [Topic(label, tuple(members)) for label, members in zip(labels, ordered)]


def _latent_distances(term_lists: list[list[str]]) -> np.ndarray:
    """Distances between the sentences' unit-length LSA points (condensed), the same on every
    machine.

    The LSA comes from the eigenvectors of the sentences' Gram matrix, which the sparse product
    computes exactly the same everywhere (an iterative sparse SVD converged to a different
    subspace under another BLAS kernel). The eigenvectors themselves are not the same everywhere:
    within a group of close eigenvalues LAPACK kernels return different rotations, and a sentence
    with (almost) nothing in the latent space, normalised, took a direction made of rounding noise.
    So distances are taken from the rank-``k`` Gram matrix, which rotations leave unchanged (the
    cut never splits tied eigenvalues), a sentence with almost nothing in it is the zero point,
    and distances are rounded to remove the last-digit differences kernels still leave.
    """
    from scipy.spatial.distance import squareform

    vectors, _ = tfidf_matrix(term_lists)
    dimensions = max(2, min(vectors.shape[0] - 1, vectors.shape[1] - 1, 10))
    gram = (vectors @ vectors.T).toarray()
    values, eigenvectors = np.linalg.eigh(gram)
    order = np.argsort(-values, kind="stable")
    values, eigenvectors = np.clip(values[order], 0.0, None), eigenvectors[:, order]
    tied = values >= values[dimensions - 1] - TIED_EIGENVALUES * max(values[0], 1.0)
    points = eigenvectors[:, tied] * np.sqrt(values[tied])
    latent = points @ points.T
    lengths = np.diag(latent)  # each point's squared length
    present = lengths > EMPTY_POINT
    scale = np.where(present, 1.0 / np.sqrt(np.where(present, lengths, 1.0)), 0.0)
    cosine = latent * scale[:, None] * scale[None, :]
    weight = present.astype(np.float64)  # a unit point's own squared length, 0 for the zero point
    squared = weight[:, None] + weight[None, :] - 2.0 * cosine
    np.fill_diagonal(squared, 0.0)
    return np.round(squareform(np.sqrt(np.clip(squared, 0.0, None)), checks=False), 6)


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


def _labels(story: Story, groups: Sequence[Sequence[int]]) -> list[str]:
    """A label for each topic: two distinctive phrases as the articles write them.

    Phrases are runs of one to three content words; a phrase scores by how often the topic uses it
    times how rare it is in the whole story (tf-idf), longer names preferred, shorter phrases that
    only occur inside a longer chosen one dropped. Each sentence's phrases are found once.
    """
    surface: dict[str, Counter] = {}
    document_frequency: Counter = Counter()
    found = {}
    for group in groups:
        for position in group:
            found[position] = _phrases(story.sentences[position].text, surface)
            document_frequency.update(found[position])
    total = len(found)
    labels = []
    for members in groups:
        in_topic: Counter = Counter()
        for position in members:
            in_topic.update(found[position])
        labels.append(_label(in_topic, len(members), document_frequency, total, surface))
    return labels


def _label(
    in_topic: Counter,
    size: int,
    document_frequency: Counter,
    total: int,
    surface: dict[str, Counter],
) -> str:
    scored = []
    for phrase, count in in_topic.items():
        if count < 2 and size > 2:
            continue
        length = phrase.count(" ") + 1
        weight = count * np.log(1 + total / document_frequency[phrase]) * (1 + 0.3 * (length - 1))
        scored.append((-round(weight, 9), phrase))
    chosen: list[str] = []
    for _, phrase in sorted(scored):
        if any(_overlaps(phrase, other) for other in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == 2:
            break
    if not chosen:
        return "Other reports"
    names = [surface[phrase].most_common(1)[0][0] for phrase in chosen]
    label = ", ".join(names)
    return label[0].upper() + label[1:]


def _overlaps(first: str, second: str) -> bool:
    """Whether two phrases share a word or a word stem ("Vietnam" / "Vietnamese")."""
    return any(a.startswith(b) or b.startswith(a) for a in first.split() for b in second.split())


def _phrases(text: str, surface: dict[str, Counter]) -> set[str]:
    """Runs of up to three content words (not crossing stop words), normalised."""
    stops = stop_words()
    found: set[str] = set()
    run: list[str] = []
    for word in [*words(text), ""]:
        if word and word.lower() not in stops and not word.isdigit() and len(word) > 1:
            run.append(word)
            continue
        terms = [normalize_term(w) for w in run]
        for size in (1, 2, 3):
            for start in range(len(run) - size + 1):
                piece = run[start : start + size]
                key = " ".join(terms[start : start + size])
                if key not in surface:
                    surface[key] = Counter()
                surface[key][" ".join(piece)] += 1
                found.add(key)
        run = []
    return found
