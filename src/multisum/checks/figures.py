"""Disagreements: the same quantity (money, a percentage, a count) given differently by outlets.

Each figure is parsed with its unit, the year it refers to and the thing it measures (a measure
word near it, such as "trade", and a counterpart such as "with China" or "between Russia and
Vietnam"). Figures of one quantity from different outlets are compared pairwise and each difference
is labelled, so a reader sees whether outlets contradict each other or merely count differently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from multisum.model import Citation, Comparison, Disagreement, Figure, Sentence, Story
from multisum.text import content_terms

CONFLICT = "conflict"
SCOPE = "different scope"
UNIT_OR_ROUNDING = "unit or rounding difference"
PERIOD = "different reference period"
#: Labels from the most to the least serious; a disagreement is labelled by its most serious pair.
FIGURE_LABELS = (CONFLICT, SCOPE, UNIT_OR_ROUNDING, PERIOD)

_SCALES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6}
_CURRENCIES = {"$": "USD", "US$": "USD", "$US": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_MONEY = re.compile(
    r"(?P<currency>US\$|\$US|\$|€|£|¥)\s?(?P<number>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<scale>trillion|billion|million|bn|tn|m)\b)?"
)
_PERCENT = re.compile(r"(?<![\w.])(?P<number>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
_COUNT = re.compile(r"(?<![\w.$€£¥,-])(?P<number>\d{1,3}(?:,\d{3})*|\d+)\s+(?P<noun>[a-z]{3,}s)\b")
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_APPROXIMATE = re.compile(r"\b(?:about|around|nearly|almost|roughly|some|over|more than)\s*$")
_WITH = re.compile(r"^[\s\w]{0,20}?\bwith (?:the )?(?P<party>[A-Z][\w.]*(?: [A-Z][\w.]*){0,2})")
_BETWEEN = re.compile(r"\bbetween (?P<a>[A-Z][\w.]+) and (?P<b>[A-Z][\w.]+)")
_SAME_PARTY = {
    "US": "US", "U.S.": "US", "America": "US", "United States": "US", "USA": "US",
    "UK": "UK", "U.K.": "UK", "Britain": "UK", "United Kingdom": "UK",
}  # fmt: skip
#: Measure words and the family they are compared within ("exports" and "trade" are one family,
#: so a pair of them is a difference of scope rather than of fact).
_MEASURES = {
    "trade": "trade", "exports": "trade", "imports": "trade", "export": "trade",
    "import": "trade", "investment": "investment", "investments": "investment", "aid": "aid",
    "budget": "budget", "gdp": "GDP", "economy": "GDP", "growth": "growth", "debt": "debt",
    "loans": "debt", "loan": "debt", "sales": "sales", "revenue": "revenue", "deal": "deal",
    "deaths": "deaths", "killed": "deaths", "dead": "deaths", "casualties": "deaths",
    "troops": "troops", "soldiers": "troops", "refugees": "refugees", "inflation": "inflation",
    "unemployment": "unemployment", "turnout": "turnout", "votes": "votes", "tariffs": "tariffs",
}  # fmt: skip
_MODIFIERS = frozenset(["arms", "oil", "gas", "military", "defence", "defense", "energy", "food"])


@dataclass(frozen=True, slots=True)
class _Parsed:
    figure: Figure
    key: tuple[str, str, str]
    decimals: int
    approximate: bool
    context: frozenset[str]


def find_disagreements(story: Story) -> tuple[Disagreement, ...]:
    """Every quantity that two outlets give with different values, most serious first."""
    parsed = [p for sentence in story.sentences for p in parse_figures(sentence)]
    parsed = _resolve_bilateral(parsed)
    outlet = {a.id: a.outlet for a in story.articles}
    groups: dict[tuple[str, str, str], list[_Parsed]] = {}
    for item in parsed:
        group = groups.setdefault(item.key, [])
        if all(
            (other.figure.citation.article, other.figure.value)
            != (item.figure.citation.article, item.figure.value)
            for other in group
        ):
            group.append(item)
    found = []
    for key in sorted(groups):
        group = groups[key]
        comparisons = []
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                first, second = group[i], group[j]
                if outlet[first.figure.citation.article] == outlet[second.figure.citation.article]:
                    continue
                if first.figure.value == second.figure.value:
                    continue
                if key[0] == "count" and not first.context & second.context:
                    continue
                comparisons.append(Comparison(i, j, _label(first, second)))
        if not comparisons:
            continue
        label = min((c.label for c in comparisons), key=FIGURE_LABELS.index)
        used = sorted({i for c in comparisons for i in (c.first, c.second)})
        renumber = {old: new for new, old in enumerate(used)}
        found.append(
            Disagreement(
                measure=group[0].figure.measure,
                label=label,
                figures=tuple(group[i].figure for i in used),
                comparisons=tuple(
                    Comparison(renumber[c.first], renumber[c.second], c.label) for c in comparisons
                ),
            )
        )
    found.sort(key=lambda d: (FIGURE_LABELS.index(d.label), -len(d.figures)))
    return tuple(found)


def parse_figures(sentence: Sentence) -> list[_Parsed]:
    """The money amounts, percentages and counts of one sentence, each with what it measures."""
    text = sentence.text
    years = sorted(set(_YEAR.findall(text)))
    between = _BETWEEN.search(text)
    taken: list[tuple[int, int]] = []
    parsed: list[_Parsed] = []
    for kind, pattern in (("money", _MONEY), ("percent", _PERCENT), ("count", _COUNT)):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            number_text = match["number"].replace(",", "")
            if kind == "count" and _YEAR.fullmatch(number_text):
                continue
            taken.append((match.start(), match.end()))
            value = float(number_text)
            decimals = len(number_text.partition(".")[2])
            if kind == "money":
                scale = _SCALES.get(match["scale"] or "", 1.0)
                value *= scale
                unit = _CURRENCIES[match["currency"]]
                measure_word, family = _measure(text, match.start(), match.end())
            elif kind == "percent":
                unit = "%"
                measure_word, family = _measure(text, match.start(), match.end())
            else:
                unit = match["noun"]
                measure_word, family = unit, content_terms(unit)[0] if content_terms(unit) else unit
            if family is None:
                continue
            party = _counterpart(text, match.end(), between)
            figure = Figure(
                figure=match.group(),
                value=value,
                kind=kind,
                unit=unit,
                year=_year(text, match.start(), match.end(), years),
                measure=_describe(family, party),
                sentence=text,
                citation=Citation.of(sentence),
            )
            window = text[max(0, match.start() - 60) : match.end() + 60]
            parsed.append(
                _Parsed(
                    figure=figure,
                    key=(kind, family, party),
                    decimals=decimals,
                    approximate=bool(_APPROXIMATE.search(text[: match.start()])),
                    context=frozenset(content_terms(window)) - {family, measure_word},
                )
            )
    return parsed


def _measure(text: str, start: int, end: int) -> tuple[str, str | None]:
    """The measure word nearest the figure; a modifier ("arms imports") makes its own family."""
    best: tuple[int, str, str] | None = None
    for match in re.finditer(r"[A-Za-z]+", text):
        word = match.group().lower()
        if word not in _MEASURES:
            continue
        distance = start - match.end() if match.end() <= start else match.start() - end
        previous = text[: match.start()].split()[-1:]
        family = _MEASURES[word]
        if previous and previous[0].lower() in _MODIFIERS:
            family = f"{previous[0].lower()} {word}"
        if best is None or abs(distance) < best[0]:
            best = (abs(distance), word, family)
    return (best[1], best[2]) if best else ("", None)


def _counterpart(text: str, end: int, between: re.Match[str] | None) -> str:
    if match := _WITH.match(text[end:]):
        party = match["party"].rstrip(".")
        return _SAME_PARTY.get(party, _SAME_PARTY.get(match["party"], party))
    if between:
        parties = (between["a"].rstrip("."), between["b"].rstrip("."))
        return "–".join(sorted(_SAME_PARTY.get(p, p) for p in parties))
    if re.search(r"\bbilateral\b", text, re.IGNORECASE):
        return "bilateral"
    return ""


def _resolve_bilateral(parsed: list[_Parsed]) -> list[_Parsed]:
    """ "Bilateral" trade is between the pair the story names most often."""
    pairs = Counter(p.key[2] for p in parsed if "–" in p.key[2])
    if not pairs:
        return parsed
    pair = pairs.most_common(1)[0][0]
    resolved = []
    for p in parsed:
        if p.key[2] == "bilateral":
            figure = p.figure
            key = (p.key[0], p.key[1], pair)
            p = replace(p, key=key, figure=replace(figure, measure=_describe(p.key[1], pair)))
        resolved.append(p)
    return resolved


def _describe(family: str, party: str) -> str:
    if "–" in party:
        first, second = party.split("–")
        return f"{family} between {first} and {second}"
    if party and party != "bilateral":
        return f"{family} with {party}"
    return f"bilateral {family}" if party else family


def _year(text: str, start: int, end: int, years: Sequence[str]) -> int | None:
    """The year a figure refers to: one stated next to it, else the sentence's only year."""
    after = re.match(r"^[^.;]{0,12}?\b(?:in|for|during|of) (\d{4})\b", text[end:])
    if after and _YEAR.fullmatch(after[1]):
        return int(after[1])
    before = re.search(r"\b(?:In|in) (\d{4}),?[^.;]{0,40}$", text[:start])
    if before and _YEAR.fullmatch(before[1]):
        return int(before[1])
    return int(years[0]) if len(years) == 1 else None


def _label(first: _Parsed, second: _Parsed) -> str:
    a, b = first.figure, second.figure
    if a.year is not None and b.year is not None and a.year != b.year:
        return PERIOD
    if a.unit != b.unit and a.kind == "money":
        return UNIT_OR_ROUNDING
    if _rounds_to(first, second) or _rounds_to(second, first):
        return UNIT_OR_ROUNDING
    if first.key[1] != second.key[1]:
        return SCOPE
    return CONFLICT


def _rounds_to(fine: _Parsed, coarse: _Parsed) -> bool:
    """True when ``fine`` rounded as coarsely as ``coarse`` is written gives ``coarse``."""
    if coarse.approximate and abs(fine.figure.value - coarse.figure.value) <= 0.1 * abs(
        coarse.figure.value
    ):
        return True
    if fine.decimals <= coarse.decimals:
        return False
    scale = _written_scale(coarse)
    step = 10.0 ** (-coarse.decimals) * scale
    return abs(fine.figure.value - coarse.figure.value) <= step / 2 + 1e-9 * scale


def _written_scale(parsed: _Parsed) -> float:
    match = _MONEY.search(parsed.figure.figure)
    if parsed.figure.kind == "money" and match and match["scale"]:
        return _SCALES[match["scale"]]
    return 1.0
