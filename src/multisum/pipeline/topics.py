"""Cluster the sentences of all sources by topic and give each topic a short readable label."""

from __future__ import annotations

import re
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


#: The longest heading, in words: a name for the section, not a sentence.
HEADING_WORDS = 4
#: A headline counts as this many outlets' lines: the section's own lines name it first.
HEADLINE_WEIGHT = 0.5
# Punctuation a heading never crosses: it is a run of words as the outlet wrote them.
_EDGE_PUNCTUATION = "\"'“”‘’«»`()[]{}.,;:!?…—–-"
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")
_CONTRACTION = re.compile(r"'(?:d|ll|re|ve|m|t)$|n't$")  # "I’d", "won't": not a name of anything


def name_sections(
    story: Story, sections: Sequence[Sequence[tuple[int, int]]], headlines: Sequence[Sequence[str]]
) -> list[str]:
    """A heading for each section, in the outlets' own words: a run of one to ``HEADING_WORDS``
    content words found word for word in the section's lines or the headlines of the articles
    they cite, never crossing punctuation (so never a list of terms).

    ``sections`` gives each section's lines as (position in ``story.sentences``, outlets naming
    it), in reading order; ``headlines`` each section's cited headlines. A phrase of the section's
    most-reported line (the first of equals) comes first. A phrase scores by the outlets of the lines
    that hold it (a headline counts as one outlet) times how rare it is among the story's
    sentences and headlines, so it names what sets the section apart, longer phrases preferred.
    A phrase only one sentence of the story uses is a detail, not a subject, and a phrase with a
    common noun ("state visit") names a subject better than a name alone ("Pham Minh Chinh"); no
    two sections share a heading. Ties go to the phrase met first, the same on every machine.
    """
    document_frequency: Counter = Counter()
    documents = [s.text for s in story.sentences] + [a.title for a in story.articles if a.title]
    for text in documents:
        document_frequency.update({key for key, _ in _runs(text)})
    used: set[str] = set()
    names = []
    for lines, titles in zip(sections, headlines):
        texts = [(story.sentences[p].text, float(outlets)) for p, outlets in lines]
        texts += [(title, HEADLINE_WEIGHT) for title in titles if title]
        weight: dict[str, float] = {}
        surface: dict[str, str] = {}
        for text, outlets in texts:
            for key, written in _runs(text):
                if key not in surface:
                    surface[key] = written
                    weight[key] = 0.0
            for key in {key for key, _ in _runs(text)}:
                weight[key] += outlets
        # The section's most-reported line, the first of equals, says what the section is about.
        head = story.sentences[max(lines, key=lambda line: line[1])[0]].text
        in_head = {key for key, _ in _runs(head)}
        scored = []
        for order, (key, held) in enumerate(weight.items()):
            if key in used or document_frequency[key] < 2:
                continue  # a phrase one sentence alone uses is a detail, not what a section is about
            length = key.count(" ") + 1
            rarity = np.log(1 + len(documents) / document_frequency[key])
            score = round(held * rarity * (1 + 0.3 * (length - 1)), 9)
            names_only = not any(w[:1].islower() for w in surface[key].split())
            scored.append((key not in in_head, names_only, -score, order, key))
        if not scored:
            names.append(_first_run(story.sentences[lines[0][0]].text))
            continue
        key = min(scored)[4]
        used.add(key)
        written = surface[key]
        names.append(written[0].upper() + written[1:])
    return names


def _first_run(text: str) -> str:
    """The longest run of content words in ``text``, the first of equals: the heading of last
    resort."""
    runs = [written for _, written in _runs(text)] or text.split()[:1]
    return max(runs, key=lambda written: written.count(" "))


def _runs(text: str) -> list[tuple[str, str]]:
    """Runs of one to ``HEADING_WORDS`` content words as written (normalised key, surface), never
    crossing punctuation or a function word, never opening or closing on a word that reads as a
    verb or an adverb ("signed", "meeting", "quickly")."""
    stops = stop_words()
    found: list[tuple[str, str]] = []
    run: list[str] = []

    def close() -> None:
        for size in range(1, HEADING_WORDS + 1):
            for start in range(len(run) - size + 1):
                piece = run[start : start + size]
                if _verb_like(piece[0]) or _verb_like(piece[-1]):
                    continue
                cuts_a_name = (start > 0 and _named(run[start - 1]) and _named(piece[0])) or (
                    start + size < len(run) and _named(run[start + size]) and _named(piece[-1])
                )
                if cuts_a_name:  # "President Vladimir" of "Russian President Vladimir Putin"
                    continue
                found.append((" ".join(normalize_term(w) for w in piece), " ".join(piece)))
        run.clear()

    for token in text.split():
        word = token.strip(_EDGE_PUNCTUATION)
        if f"{word}." in token and _ACRONYM.fullmatch(f"{word}."):
            word += "."  # "U.S." keeps its last full stop
        before, _, after = token.partition(word) if word else (token, "", "")
        if before:
            close()  # punctuation before the word ends the run
        folded = word.lower().replace("’", "'")
        if (
            not word
            or folded in stops
            or _CONTRACTION.search(folded)
            or any(mark in word for mark in ",;:")  # "1,000-strong": a heading is no list
            or len(word) < 2
            or not any(map(str.isalpha, word))
        ):
            close()
            continue
        run.append(word)
        if after:
            close()
    close()
    return found


def _named(word: str) -> bool:
    return word[:1].isupper()


def _verb_like(word: str) -> bool:
    return word.islower() and word.endswith(("ed", "ing", "ly"))
