"""Measure summary quality on clusters with human references: ROUGE recall and a paired test.

Every algorithm summarises each cluster through the same pipeline as ``multisum brief``; only the
briefing's line texts are scored, cut to the word budget. Two reference rows frame the numbers:
``lead`` (the opening of the newest article, the baseline news summaries must beat) and ``oracle``
(sentences picked greedily against the references, the ceiling for extractive summaries).
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from multisum.errors import InputError, MultisumError
from multisum.evaluation.rouge import (
    References,
    RougeScores,
    cut_to_words,
    ngrams,
    score_summary,
    tokenize,
)
from multisum.model import Article, Briefing
from multisum.options import DEFAULT_ALGORITHM, Options
from multisum.pipeline.ingest import json_lines

LEAD = "lead"
ORACLE = "oracle"
METRICS = ("rouge_1", "rouge_2", "rouge_su4")
#: Sign flips in the paired randomisation test; enough for p-values near 0.01 to be stable.
RESAMPLES = 10_000


@dataclass(frozen=True, slots=True)
class Cluster:
    """One story: its articles and the human summaries written for it."""

    id: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SystemResult:
    """One row of the table: mean recall over clusters and, against the default, paired p-values."""

    name: str
    rouge_1: float
    rouge_2: float
    rouge_su4: float
    seconds: float
    p_values: dict[str, float] | None = None
    per_cluster: tuple[RougeScores, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class Evaluation:
    dataset: str
    clusters: int
    words: int
    baseline: str
    results: tuple[SystemResult, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "clusters": self.clusters,
            "words": self.words,
            "baseline": self.baseline,
            "test": f"paired two-sided sign-flip randomisation over clusters, {RESAMPLES} rounds",
            "results": [
                {
                    "name": r.name,
                    "rouge_1": r.rouge_1,
                    "rouge_2": r.rouge_2,
                    "rouge_su4": r.rouge_su4,
                    "seconds": r.seconds,
                    "p_values": r.p_values,
                }
                for r in self.results
            ],
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    def table_rows(self) -> list[tuple[str, ...]]:
        """The table's cells as text: recall x100 and p-values against the default."""
        rows = []
        for r in self.results:
            p = r.p_values or {}
            rows.append(
                (
                    r.name + (" (default)" if r.name == self.baseline else ""),
                    f"{100 * r.rouge_1:.2f}",
                    f"{100 * r.rouge_2:.2f}",
                    f"{100 * r.rouge_su4:.2f}",
                    f"{r.seconds:.1f}",
                    *(f"{p[m]:.4f}" if m in p else "-" for m in METRICS),
                )
            )
        return rows

    def to_table(self) -> str:
        """A fixed-width table (also valid Markdown), laid out by ``evaluation.md.j2``."""
        from multisum.render.environment import packaged_template, render_template

        header = ("system", "R-1", "R-2", "SU4", "seconds", "p R-1", "p R-2", "p SU4")
        rows = [header, *self.table_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        return render_template(
            packaged_template("evaluation.md.j2"),
            "evaluation table template",
            header=header,
            rows=rows[1:],
            widths=widths,
        )


def read_clusters(path: str | Path) -> list[Cluster]:
    """Read the normalised cluster format: one JSON object per line with docs and references."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    clusters = []
    lines: dict[str, int] = {}  # cluster id -> the line that gave it
    for number, record in json_lines(text, path=path):
        cluster = _cluster(record, f"{path}, line {number}", number)
        if cluster.id in lines:  # scored twice, it would count twice in every mean and p-value
            raise InputError(
                f"{path}, line {number}: cluster {cluster.id!r} is already on line "
                f"{lines[cluster.id]}; each cluster must have its own id (scored once)"
            )
        lines[cluster.id] = number
        clusters.append(cluster)
    if not clusters:
        raise InputError(f"{path} holds no clusters")
    return clusters


def _cluster(record: object, where: str, number: int) -> Cluster:
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object")
    docs, references = record.get("docs"), record.get("references")
    if not isinstance(docs, list) or not docs:
        raise InputError(f'{where}: "docs" must be a non-empty list')
    if not isinstance(references, list) or not references:
        raise InputError(f'{where}: "references" must be a non-empty list of strings')
    if not all(isinstance(r, str) for r in references):
        raise InputError(f'{where}: "references" must be a non-empty list of strings')
    cluster_id = _identifier(record.get("id"), f"cluster-{number}", f"{where}: the cluster")
    where = f"{where} (cluster {cluster_id!r})"
    articles = []
    for index, doc in enumerate(docs, start=1):
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            raise InputError(f'{where}: document {index} needs a "text" string')
        doc_id = _identifier(doc.get("id"), f"{cluster_id}-{index}", f"{where}: document {index}")
        named = f"{where}: document {index} ({doc_id!r})"
        source, title, published = (_text(doc, key, named) for key in ("source", "title", "date"))
        articles.append(
            Article(
                id=doc_id,
                text=doc["text"],
                outlet=source or doc_id,
                outlet_known=bool(source),
                title=title,
                published=published,
            )
        )
    from multisum.pipeline.ingest import read_articles

    return Cluster(cluster_id, tuple(read_articles(articles)), tuple(references))


def _text(doc: dict, key: str, named: str) -> str:
    """An optional text field of a document, stripped; "" when absent or null."""
    value = doc.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f'{named}: "{key}" must be a string, not {json.dumps(value)[:40]}')
    return value.strip()


def _identifier(value: object, default: str, named: str) -> str:
    """An id as given (a string or a whole number), or ``default`` when there is none."""
    if value is None or value == "":
        return default
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise InputError(f'{named}: "id" must be a string or a number, not {json.dumps(value)[:40]}')


def evaluate(
    dataset: str | Path,
    *,
    algorithms: Sequence[str] = (DEFAULT_ALGORITHM,),
    words: int = 100,
    baseline: str = DEFAULT_ALGORITHM,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    briefed: Callable[[Briefing], None] | None = None,
) -> Evaluation:
    """Summarise every cluster of ``dataset`` with each algorithm and score it against the references.

    The rows are ``baseline`` first, then the other ``algorithms`` (``all`` for every registered
    one), ``lead`` and ``oracle``; each
    non-baseline row carries paired p-values against the baseline. ``progress`` is called with the
    number of summaries just finished, for a progress bar; ``briefed`` with each briefing of the
    baseline, so a benchmark can read the very briefings scored (``benchmarks/readability.py``).
    """
    if words < 1:
        raise MultisumError(f"the word budget must be at least 1, not {words}")
    names = algorithm_names(algorithms, baseline=baseline)
    clusters = read_clusters(dataset)
    references = [References.from_texts(c.references) for c in clusters]
    systems: list[tuple[str, Callable[[Cluster], str]]] = [
        (name, _briefing_summarizer(name, words, briefed if name == baseline else None))
        for name in names
    ]
    systems += [(LEAD, lambda c: _lead(c, words)), (ORACLE, None)]
    per_system: dict[str, list[RougeScores]] = {}
    seconds: dict[str, float] = {}
    notes: list[str] = []
    for name, summarize in systems:
        scores, elapsed, warned = [], 0.0, 0
        for cluster, reference in zip(clusters, references):
            started = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    text = (
                        _oracle(cluster, reference, words)
                        if summarize is None
                        else summarize(cluster)
                    )
                except MultisumError as error:
                    notes.append(f"{name} on {cluster.id}: {error}; scored as empty")
                    text = ""
            warned += bool(caught)
            scores.append(score_summary(cut_to_words(text, words), reference))
            elapsed += time.perf_counter() - started
            if progress is not None:
                progress(1)
        if warned:
            notes.append(f"{name} warned on {warned} of {len(clusters)} clusters (sentence cap)")
        per_system[name] = scores
        seconds[name] = elapsed
    results = tuple(
        _result(name, per_system[name], per_system[baseline], seconds[name], seed, baseline)
        for name, _ in systems
    )
    return Evaluation(str(dataset), len(clusters), words, baseline, results, tuple(notes))


def algorithm_names(algorithms: Sequence[str], *, baseline: str = DEFAULT_ALGORITHM) -> list[str]:
    """The algorithms to score, baseline first; ``all`` stands for every registered one."""
    from multisum.rankers import available_rankers, get_ranker

    names = [baseline]
    for name in algorithms:
        names += [r.name for r in available_rankers()] if name == "all" else [name]
    for name in names:
        get_ranker(name)  # fail on a bad name before any work
    return list(dict.fromkeys(names))


def _result(
    name: str,
    scores: Sequence[RougeScores],
    baseline_scores: Sequence[RougeScores],
    seconds: float,
    seed: int,
    baseline: str,
) -> SystemResult:
    values = {m: np.array([getattr(s, m) for s in scores]) for m in METRICS}
    p_values = None
    if name != baseline:
        base = {m: np.array([getattr(s, m) for s in baseline_scores]) for m in METRICS}
        p_values = {m: paired_randomization(base[m], values[m], seed=seed) for m in METRICS}
    return SystemResult(
        name,
        *(float(values[m].mean()) for m in METRICS),
        seconds=seconds,
        p_values=p_values,
        per_cluster=tuple(scores),
    )


def paired_randomization(
    first: np.ndarray, second: np.ndarray, *, seed: int = 0, rounds: int = RESAMPLES
) -> float:
    """Two-sided p-value that two systems' mean scores differ, by flipping the sign of the paired
    differences at random (approximate randomisation; exact in the limit of rounds)."""
    differences = np.asarray(first, dtype=np.float64) - np.asarray(second, dtype=np.float64)
    observed = abs(differences.mean())
    if len(differences) == 0 or observed == 0.0:
        return 1.0
    signs = np.random.default_rng(seed).choice((-1.0, 1.0), size=(rounds, len(differences)))
    simulated = np.abs((signs * differences).mean(axis=1))
    # A small tolerance keeps floating-point noise from deciding ties.
    extreme = int(np.count_nonzero(simulated >= observed - 1e-12))
    return (extreme + 1) / (rounds + 1)


def _briefing_summarizer(
    algorithm: str, words: int, briefed: Callable[[Briefing], None] | None = None
) -> Callable[[Cluster], str]:
    from multisum.pipeline import build_briefing

    options = Options(algorithm=algorithm, words=words)

    def summarize(cluster: Cluster) -> str:
        briefing = build_briefing(cluster.articles, options)
        if briefed is not None:
            briefed(briefing)
        return " ".join(line.text for line in briefing.lines)

    return summarize


def _lead(cluster: Cluster, words: int) -> str:
    """The first words of the newest article (by date where dates parse, else the first one)."""
    from multisum.pipeline.clean import clean_article

    dated = [(_parse_date(a.published), -i, a) for i, a in enumerate(cluster.articles)]
    known = [d for d in dated if d[0] is not None]
    article = max(known, key=lambda d: d[:2])[2] if known else cluster.articles[0]
    text = clean_article(article).text.strip() or article.text
    return cut_to_words(text, words)


_DATE_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y%m%d", "%B %d, %Y", "%d %B %Y")


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
        for pattern in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
    return parsed.replace(tzinfo=None) if parsed is not None else None


def _oracle(cluster: Cluster, references: References, words: int) -> str:
    """Greedy extractive ceiling: add the sentence that most raises pooled R-1 + R-2 recall.

    Counts are restricted to n-grams the references contain (no other n-gram can match), so each
    step is a few dense array operations over all sentences at once.
    """
    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.sentences import split_sentences

    sentences = [s.text for s in split_sentences([clean_article(a) for a in cluster.articles])]
    if not sentences:
        return ""
    vocabulary: dict[tuple[str, ...], int] = {}
    for counts in (*references.unigrams, *references.bigrams):
        for gram in counts:
            vocabulary.setdefault(gram, len(vocabulary))
    weights = np.zeros(len(vocabulary))
    limits = np.zeros((len(references.unigrams), len(vocabulary)))
    for row, counts_by_order in enumerate(zip(references.unigrams, references.bigrams)):
        for counts in counts_by_order:
            for gram, count in counts.items():
                limits[row, vocabulary[gram]] = count
    for order in (references.unigrams, references.bigrams):
        total = sum(sum(c.values()) for c in order) or 1
        for counts in order:
            for gram in counts:
                weights[vocabulary[gram]] = 1.0 / total
    matrix = np.zeros((len(sentences), len(vocabulary)))
    for row, text in enumerate(sentences):
        tokens = tokenize(text)
        for counts in (ngrams(tokens, 1), ngrams(tokens, 2)):
            for gram, count in counts.items():
                column = vocabulary.get(gram)
                if column is not None:
                    matrix[row, column] += count
    lengths = np.array([len(text.split()) for text in sentences])
    current = np.zeros(len(vocabulary))
    available = np.ones(len(sentences), dtype=bool)
    chosen: list[int] = []
    used, value = 0, 0.0
    while used < words and available.any():
        trial = current[None, :] + matrix
        values = sum((np.minimum(trial, limit) * weights).sum(axis=1) for limit in limits)
        gains = np.where(available, values - value, -np.inf)
        best = int(np.argmax(gains))
        if gains[best] <= 1e-12:
            break
        chosen.append(best)
        available[best] = False
        current += matrix[best]
        value = float(values[best])
        used += int(lengths[best])
    return " ".join(sentences[i] for i in chosen)
