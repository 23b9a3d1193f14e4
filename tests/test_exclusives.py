def test_every_outlet_has_an_only_in_fact(corpus_briefing):
    outlet = {a.id: a.outlet for a in corpus_briefing.articles}
    with_exclusives = {outlet[e.citation.article] for e in corpus_briefing.exclusives}
    assert with_exclusives == set(outlet.values())


def test_only_in_facts_are_not_briefing_lines(corpus_briefing):
    shown = {line.text for line in corpus_briefing.lines}
    assert not shown & {e.text for e in corpus_briefing.exclusives}
