"""Verify a JSON briefing: everything it shows must still follow from its articles.

The file is first checked against the briefing's JSON Schema (shipped as package data and
published as ``docs/briefing.schema.json``), so a missing key or a wrong type is one clear message
naming where, never a traceback. Then the articles are re-read and re-cleaned by the same stages
that built the briefing, so the stored character offsets point into the same text, and each thing
the briefing shows is checked against them:

- every line, quote, figure sentence and "only in" fact is verbatim at its first source's offsets,
  and every source's sha256 matches (a line edited by hand, or an article changed since, fails);
- every line's sources are whole sentences of their articles, split again by the same splitter
  (a line cut from a sentence that goes on, say to name who said it, fails as a fragment);
- each article's outlet, title, date and link are the article's own, and the title is one of them;
- each line's corroboration ("N of M outlets" and their names) is what its sources give;
- each quote's speaker is the one the article names;
- each disagreement (figures, values, years, units, labels) is what the articles state, found again;
- each "only in" fact is still unlike everything the other outlets wrote.

The outlet-by-topic coverage grid and the topic labels come from ranking and clustering, which
verify does not re-run; they are not checked. Nor are the briefing's notes (files skipped, copies,
articles on other stories): they come from reading the files as ``brief`` was given them, which the
briefing does not record, so each is reported as not verifiable (``VerifyReport.unverified``),
never counted as verified.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from multisum.errors import MultisumError, VerificationError
from multisum.model import Article, Story, text_hash

if TYPE_CHECKING:
    import numpy as np

#: Where the schema lives in the package (and, copied, in ``docs/``).
SCHEMA = ("schemas", "briefing.schema.json")


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """How many claims were checked, against how many articles, each one that failed, and what
    the briefing shows that verify cannot check (its notes), each named."""

    checked: int
    articles: int
    failures: tuple[str, ...]
    unverified: tuple[str, ...] = ()


def verify_file(briefing: Path, paths: Sequence[str] = ()) -> VerifyReport:
    """Verify the JSON briefing in ``briefing`` against its articles (or those in ``paths``)."""
    from multisum.pipeline.ingest import is_multisum_output

    try:
        text = Path(briefing).read_text(encoding="utf-8")
    except OSError as error:
        raise VerificationError(f"cannot read {briefing}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise VerificationError(f"{briefing} is not a JSON briefing (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        hint = (
            ": verify reads the JSON a briefing is written as (multisum brief --format json)"
            if is_multisum_output(text)
            else ""
        )
        raise VerificationError(f"{briefing} is not a JSON briefing{hint}") from None
    return verify_briefing(data, paths, base=Path(briefing).parent, name=str(briefing))


def verify_briefing(
    data: Any, paths: Sequence[str] = (), *, base: Path = Path("."), name: str = "the file"
) -> VerifyReport:
    """Check everything a ``briefing_to_dict`` result shows against its articles."""
    validate_briefing(data, name=name)
    articles = _reread(data, paths, base)
    cited = [articles.get(a["id"]) for a in data["articles"]]
    shown = [a for a in cited if a is not None]
    checks = _Checks(data, articles, shown)
    failures = [failure for failure in checks.run() if failure]
    unverified = tuple(
        f"note {number}: not verifiable (verify does not re-derive notes): {_shorten(note)}"
        for number, note in enumerate(data["notes"], start=1)
    )
    return VerifyReport(checks.checked, len(articles), tuple(failures), unverified)


@lru_cache(maxsize=1)
def briefing_schema() -> dict[str, Any]:
    """The JSON Schema of a briefing, shipped with the package."""
    resource = resources.files("multisum").joinpath(*SCHEMA)
    return json.loads(resource.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(briefing_schema())


def validate_briefing(data: Any, *, name: str = "the file") -> None:
    """Raise ``VerificationError`` naming the first place where ``data`` breaks the schema."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(data))
    if error is None:
        return
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    ).lstrip(".")
    raise VerificationError(
        f"{name} is not a multisum JSON briefing: {where or 'the top level'}: {error.message} "
        "(its schema is docs/briefing.schema.json)"
    )


def _reread(data: dict[str, Any], paths: Sequence[str], base: Path) -> dict[str, Article]:
    """The cleaned articles, keyed by id, read the way ``multisum brief`` read them (no size
    limit: the briefing may have been written with a larger one)."""
    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.ingest import gather_articles

    if not paths:
        stored = [a.get("path") or "" for a in data["articles"]]
        if not all(stored):
            raise VerificationError(
                "the briefing does not say where its articles are; give their paths"
            )
        paths = [_locate(path, base) for path in dict.fromkeys(stored)]
    try:
        articles = gather_articles(paths, max_size=None).articles
    except MultisumError as error:
        raise VerificationError(f"cannot re-read the articles: {error}") from None
    return {article.id: clean_article(article) for article in articles}


def _locate(path: str, base: Path) -> str:
    """A stored path is relative to where ``brief`` ran; try there, then beside the briefing."""
    if Path(path).exists() or Path(path).is_absolute():
        return path
    beside = base / path
    return str(beside) if beside.exists() else path


class _Checks:
    """Each check yields one failure message per claim that does not hold ("" when it does)."""

    def __init__(
        self, data: dict[str, Any], articles: dict[str, Article], shown: Sequence[Article]
    ) -> None:
        self.data = data
        self.articles = articles
        self.shown = shown
        self.checked = 0
        self._split: Story | None = None
        self._similar: np.ndarray | None = None

    def run(self) -> Iterator[str]:
        yield from self.texts()
        yield from self.whole_sentences()
        yield from self.sources()
        yield from self.corroboration()
        yield from self.speakers()
        corroborated = any(len(line["sources"]) > 1 for _, line in _lines(self.data))
        if self.data.get("disagreements") or self.data.get("exclusives") or corroborated:
            story = self._story()
            yield from self.attributions(story)
            yield from self.disagreements(story)
            yield from self.exclusives(story)

    # --- verbatim text at its offsets -------------------------------------------------------

    def texts(self) -> Iterator[str]:
        for label, text, sources in _claims(self.data):
            self.checked += 1
            problem = _check(text, sources, self.articles)
            yield f"{label}: {problem}: {_shorten(text)}" if problem else ""

    # --- whole sentences ---------------------------------------------------------------------

    def whole_sentences(self) -> Iterator[str]:
        """Each line is a whole sentence of each of its sources: a part of one (a quotation cut
        before its speaker) changes what the outlet said, however verbatim it is."""
        if not any(_lines(self.data)) or not self.shown:
            return
        spans: dict[str, list[tuple[int, int]]] = {}
        for sentence in self._story().sentences:
            spans.setdefault(sentence.article, []).append((sentence.start, sentence.end))
        for label, line in _lines(self.data):
            self.checked += 1
            problem = _not_whole(line["sources"], spans)
            yield f"{label}: {problem}: {_shorten(line['text'])}" if problem else ""

    # --- the sources table ------------------------------------------------------------------

    def sources(self) -> Iterator[str]:
        titles = {a.title for a in self.shown if a.title}
        self.checked += 1
        title = self.data["title"]
        if self.shown and title not in titles and not (title == "Briefing" and not titles):
            yield f"title: {title!r} is not the headline of any of the articles"
        for number, entry in enumerate(self.data["articles"], start=1):
            self.checked += 1
            article = self.articles.get(entry["id"])
            label = f"article {number} ({entry['id']})"
            if article is None:
                yield f"{label}: not found among the articles read"
                continue
            outlet = article.outlet if article.outlet_known else None
            if entry["outlet"] != outlet:
                yield f"{label}: outlet {entry['outlet']!r}, but the article is by {outlet!r}"
            for field in ("title", "published", "url"):
                if field in entry and entry[field] != getattr(article, field):
                    yield (
                        f"{label}: {field} {entry[field]!r}, but the article says "
                        f"{getattr(article, field)!r}"
                    )

    # --- "N of M outlets" -------------------------------------------------------------------

    def corroboration(self) -> Iterator[str]:
        total = len(dict.fromkeys(a.label for a in self.shown))
        for label, line in _lines(self.data):
            self.checked += 1
            outlets = list(
                dict.fromkeys(
                    self.articles[s["article"]].label
                    for s in line["sources"]
                    if s["article"] in self.articles
                )
            )
            shown = line["corroboration"]
            expected = {"count": len(outlets), "of": total, "outlets": outlets}
            if {key: shown[key] for key in expected} != expected:
                yield (
                    f"{label}: says {shown['count']} of {shown['of']} outlets "
                    f"({', '.join(shown['outlets'])}), but its sources are {len(outlets)} of "
                    f"{total} outlets ({', '.join(outlets)})"
                )

    # --- every outlet a line names states its fact -----------------------------------------

    def attributions(self, story: Story) -> Iterator[str]:
        """Each source after a line's first must be a sentence that states the line's fact, by
        the judgement that named it (``dedupe.states_fact``): a sentence moved from another
        line, or one on something else, is named."""
        from multisum.pipeline.dedupe import states_fact

        position = {(s.article, s.start, s.end): p for p, s in enumerate(story.sentences)}
        cited = []  # (label, the line's sentence, its other sources), in the briefing's order
        for label, line in _lines(self.data):
            first, *others = line["sources"]
            at = position.get((first["article"], first["start"], first["end"]))
            if others and at is not None:  # a line that is no sentence fails the text check
                cited.append((label, at, others))
        if not cited:
            return
        stating = states_fact(story, [at for _, at, _ in cited], self._similarity())
        for row, (label, _, others) in enumerate(cited):
            for source in others:
                self.checked += 1
                where = position.get((source["article"], source["start"], source["end"]))
                if where is None or not stating[row, where]:
                    article = self.articles.get(source["article"])
                    name = article.label if article else source["article"]
                    yield (
                        f"{label}: {name} is named, but its sentence at characters "
                        f"{source['start']}-{source['end']} does not state the line's fact"
                    )

    # --- who is quoted ----------------------------------------------------------------------

    def speakers(self) -> Iterator[str]:
        from multisum.checks.quotes import find_speaker

        for number, quote in enumerate(self.data.get("quotes", []), start=1):
            self.checked += 1
            named = []
            for source in quote["sources"]:
                article = self.articles.get(source["article"])
                if article is None:
                    continue
                marks = _quotation_marks(article.text, source["start"], source["end"])
                if marks is None:
                    yield f"quote {number}: not inside quotation marks in {source['article']}"
                    break
                named.append(find_speaker(article.text[: marks[0]], article.text[marks[1] :]))
            else:
                expected = next((speaker for speaker in named if speaker), "")
                if quote["speaker"] != expected:
                    yield (
                        f"quote {number}: speaker {quote['speaker']!r}, but the article names "
                        + (repr(expected) if expected else "no speaker")
                    )

    # --- figures outlets disagree on --------------------------------------------------------

    def disagreements(self, story: Story) -> Iterator[str]:
        from multisum.checks.figures import find_disagreements

        found = find_disagreements(story)
        for number, shown in enumerate(self.data.get("disagreements", []), start=1):
            self.checked += 1
            label = f"disagreement {number} ({shown['measure']})"
            cited = {(f["source"]["article"], f["source"]["start"]) for f in shown["figures"]}
            candidates = [d for d in found if d.measure == shown["measure"]]
            if not candidates:
                yield f"{label}: the articles give no such disagreement"
                continue
            actual = max(
                candidates,
                key=lambda d: len(
                    cited & {(f.citation.article, f.citation.start) for f in d.figures}
                ),
            )
            yield from _compare_disagreement(label, shown, actual)

    # --- "only in" --------------------------------------------------------------------------

    def exclusives(self, story: Story) -> Iterator[str]:
        from multisum.checks.exclusives import other_outlets, reported_elsewhere
        from multisum.pipeline.dedupe import states_fact

        items = self.data.get("exclusives", [])
        if not items:
            return
        similarity = self._similarity()
        position = {(s.article, s.start, s.end): p for p, s in enumerate(story.sentences)}
        outlet = {a.id: a.outlet for a in story.articles}
        apart = other_outlets(story)
        for number, item in enumerate(items, start=1):
            self.checked += 1
            source = item["source"]
            label = f"only-in {number}"
            at = position.get((source["article"], source["start"], source["end"]))
            if at is None or source["article"] not in outlet:
                yield f"{label}: not a sentence of {source['article']}"
                continue
            own = outlet[source["article"]]
            found = reported_elsewhere(story, at, similarity, *apart[own], states_fact)
            if found is None:
                continue
            if found.sentence is None:  # "words": no one sentence to show
                yield f"{label}: not only in {own}: the other outlets use almost all its words"
                continue
            other = story.sentences[found.sentence]
            how = "reports it too" if found.reason == "close" else "states it in its own words"
            yield f"{label}: not only in {own}: {outlet[other.article]} {how} ({_shorten(other.text)})"

    def _story(self) -> Story:
        """The briefing's articles split into sentences as ``brief`` split them (once)."""
        from multisum.pipeline import split_story

        if self._split is None:
            try:
                self._split = split_story(self.shown, spacy_model=self.data.get("spacy_model"))
            except MultisumError as error:
                raise VerificationError(f"cannot split the articles again: {error}") from None
        return self._split

    def _similarity(self) -> np.ndarray:
        """The split story's same-fact similarity, made once for the checks that need it."""
        from multisum.pipeline.dedupe import similarity_matrix

        if self._similar is None:
            self._similar = similarity_matrix(self._story())
        return self._similar


def _compare_disagreement(label: str, shown: dict[str, Any], actual: Any) -> Iterator[str]:
    if shown["label"] != actual.label:
        yield f"{label}: labelled {shown['label']!r}, but the figures make it {actual.label!r}"
    where = {
        (f.citation.article, f.citation.start, f.figure): index
        for index, f in enumerate(actual.figures)
    }
    matched: dict[int, int] = {}  # shown figure -> the figure found again
    for index, figure in enumerate(shown["figures"]):
        source = figure["source"]
        found = where.get((source["article"], source["start"], figure["figure"]))
        if found is None:
            yield (
                f"{label}: figure {index + 1} {figure['figure']!r} is not a figure the article "
                f"{source['article']} gives for it"
            )
            continue
        matched[index] = found
        real = actual.figures[found]
        for field in ("value", "kind", "unit", "year"):
            if figure[field] != getattr(real, field):
                yield (
                    f"{label}: figure {index + 1} {field} {figure[field]!r}, but the text gives "
                    f"{getattr(real, field)!r}"
                )
    labels = {frozenset((c.first, c.second)): c.label for c in actual.comparisons}
    for comparison in shown["comparisons"]:
        first, second = comparison["first"], comparison["second"]
        if first not in matched or second not in matched:
            if max(first, second) >= len(shown["figures"]):
                yield f"{label}: a comparison names figure {max(first, second) + 1} of {len(shown['figures'])}"
            continue
        expected = labels.get(frozenset((matched[first], matched[second])))
        if comparison["label"] != expected:
            names = f"{shown['figures'][first]['figure']} vs {shown['figures'][second]['figure']}"
            yield (
                f"{label}: {names} labelled {comparison['label']!r}, but the figures make it "
                + (repr(expected) if expected else "no comparison")
            )


def _quotation_marks(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the quotation marks around ``text[start:end]`` are, as ``brief`` found the quote:
    the opening mark just before it (spaces aside), the closing one just after (spaces and a
    comma aside). Returns (opening mark, after the closing mark) or None."""
    if not 0 < start <= end < len(text):
        return None
    opening = start - 1
    while opening >= 0 and text[opening].isspace():
        opening -= 1
    closing = end
    while closing < len(text) and (text[closing].isspace() or text[closing] == ","):
        if text[closing] == "\n":
            return None
        closing += 1
    if opening < 0 or text[opening] not in '“"' or closing >= len(text):
        return None
    if text[closing] not in '”"':
        return None
    return opening, closing + 1


def _lines(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    number = 0
    for section in data["sections"]:
        for line in section["lines"]:
            number += 1
            yield f"line {number} ({section['topic']})", line


def _claims(data: dict[str, Any]) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    for label, line in _lines(data):
        yield label, line["text"], line["sources"]
    for number, quote in enumerate(data.get("quotes", []), start=1):
        yield f"quote {number}", quote["text"], quote["sources"]
    for number, item in enumerate(data.get("disagreements", []), start=1):
        for figure in item["figures"]:
            yield f"disagreement {number} ({figure['figure']})", figure["text"], [figure["source"]]
    for number, item in enumerate(data.get("exclusives", []), start=1):
        yield f"only-in {number}", item["text"], [item["source"]]


def _check(text: str, sources: list[dict[str, Any]], articles: dict[str, Article]) -> str:
    """ "" when ``text`` is at its first source's offsets and every source's hash matches."""
    for position, source in enumerate(sources):
        article = articles.get(source["article"])
        if article is None:
            return f"article {source['article']!r} was not found"
        start, end = source["start"], source["end"]
        cited = article.text[start:end]
        if position == 0 and cited != text:
            return f"the text is not at characters {start}-{end} of {source['article']}"
        if text_hash(cited) != source["sha256"]:
            return f"the sha256 of characters {start}-{end} of {source['article']} differs"
    return ""


def _not_whole(sources: list[dict[str, Any]], spans: dict[str, list[tuple[int, int]]]) -> str:
    """ "" when every source's offsets are exactly one sentence of its article, else what the
    first that is not covers (a source not among the articles fails the text check instead)."""
    for source in sources:
        article, start, end = source["article"], source["start"], source["end"]
        if article not in spans or (start, end) in spans[article]:
            continue
        whole = next((s for s in spans[article] if s[0] <= start and end <= s[1]), None)
        if whole is None:
            return f"characters {start}-{end} are not a sentence of {article}"
        return (
            f"a fragment, not a whole sentence of {article} (characters {start}-{end} are part "
            f"of its sentence at {whole[0]}-{whole[1]})"
        )
    return ""


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
