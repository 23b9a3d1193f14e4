def test_every_outlet_has_an_only_in_fact(corpus_checks):
    outlet = {a.id: a.outlet for a in corpus_checks.articles}
    with_exclusives = {outlet[e.citation.article] for e in corpus_checks.exclusives}
    assert with_exclusives == set(outlet.values())


def test_only_in_facts_are_not_briefing_lines(corpus_checks):
    shown = {line.text for line in corpus_checks.lines}
    assert not shown & {e.text for e in corpus_checks.exclusives}


def test_only_in_facts_bring_words_no_other_outlet_used(corpus_checks):
    """A paraphrase of what all reported ("Putin has arrived in Vietnam to discuss ...") is no
    exclusive; neither is a sentence that opens with "They" and so cannot say whose fact it is."""
    from conftest import CORPUS

    from multisum.checks.exclusives import NEW_WORDS
    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.ingest import read_articles
    from multisum.text import content_terms, opens_with_reference

    articles = [clean_article(a) for a in read_articles([CORPUS])]
    outlet_of = {a.id: a.outlet for a in articles}
    for fact in corpus_checks.exclusives:
        outlet = outlet_of[fact.citation.article]
        elsewhere = {
            term
            for a in articles
            if a.outlet != outlet
            for term in content_terms(f"{a.title}\n{a.text}")
        }
        terms = set(content_terms(fact.text))
        assert len(terms - elsewhere) >= NEW_WORDS * len(terms), fact.text
        assert not opens_with_reference(fact.text)
    texts = " ".join(fact.text for fact in corpus_checks.exclusives)
    assert "has arrived in Vietnam to discuss" not in texts
