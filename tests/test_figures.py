from multisum.checks.figures import CONFLICT, PERIOD, parse_figures
from multisum.model import Sentence


def _outlets(disagreement, briefing):
    names = {a.id: a.outlet for a in briefing.articles}
    return {names[f.citation.article]: f for f in disagreement.figures}


def test_bilateral_trade_is_a_labelled_disagreement(corpus_checks):
    found = [
        d for d in corpus_checks.disagreements if d.measure == "trade between Russia and Vietnam"
    ]
    assert len(found) == 1
    trade = found[0]
    by_outlet = _outlets(trade, corpus_checks)
    assert by_outlet["World Socialist Web Site"].figure == "$US5 billion"
    assert by_outlet["World Socialist Web Site"].year == 2023
    assert by_outlet["Associated Press"].figure == "$3.6 billion"
    assert by_outlet["Associated Press"].year == 2023
    assert by_outlet["The Guardian"].figure == "$3.5bn"
    assert by_outlet["The Guardian"].year == 2022
    assert trade.label == CONFLICT
    labels = {
        frozenset(
            (trade.figures[c.first].citation.article, trade.figures[c.second].citation.article)
        ): c.label
        for c in trade.comparisons
    }
    assert labels[frozenset(("ap", "wsws"))] == CONFLICT
    assert labels[frozenset(("ap", "guardian"))] == PERIOD


def test_trade_with_china_and_the_us_differ_by_reference_period(corpus_checks):
    by_measure = {d.measure: d for d in corpus_checks.disagreements}
    china = _outlets(by_measure["trade with China"], corpus_checks)
    us = _outlets(by_measure["trade with US"], corpus_checks)
    assert (china["Associated Press"].figure, china["The Guardian"].figure) == (
        "$171 billion",
        "$175bn",
    )
    assert (us["Associated Press"].figure, us["The Guardian"].figure) == ("$111 billion", "$123bn")
    assert by_measure["trade with China"].label == PERIOD


def test_figures_are_verbatim_in_their_sentences(corpus_checks):
    for disagreement in corpus_checks.disagreements:
        for figure in disagreement.figures:
            assert figure.figure in figure.sentence


def _sentence(text):
    return Sentence(text, "a", 0, 0, len(text), 0)


def test_rounding_is_not_a_conflict():
    from multisum.checks.figures import UNIT_OR_ROUNDING, _label

    first = parse_figures(_sentence("Exports reached $3.46 billion in 2023."))[0]
    second = parse_figures(_sentence("Exports reached $3.5 billion in 2023."))[0]
    assert _label(first, second) == UNIT_OR_ROUNDING


def test_percent_and_count_are_parsed_with_their_measure():
    percent = parse_figures(_sentence("Trade grew by 8.3 percent in 2023."))[0]
    assert (percent.figure.kind, percent.figure.value, percent.figure.year) == (
        "percent",
        8.3,
        2023,
    )
    count = parse_figures(_sentence("Officials said 40 soldiers were wounded."))[0]
    assert (count.figure.kind, count.figure.unit) == ("count", "soldiers")
