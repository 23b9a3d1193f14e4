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


def test_a_fact_another_outlet_states_in_its_own_words_is_not_only_in():
    """However unlike its wording, a sentence whose fact another outlet states (by the judgement
    that names a line's outlets) is no exclusive; the outlet's next one takes its place."""
    from conftest import CORPUS

    from multisum.checks.exclusives import find_exclusives
    from multisum.options import Options
    from multisum.pipeline import draft_briefing, prepare_story
    from multisum.pipeline.dedupe import similarity_matrix, states_fact
    from multisum.pipeline.ingest import read_articles
    from multisum.pipeline.sentences import candidate_positions
    from multisum.rankers import rank_sentences

    story = prepare_story(read_articles([CORPUS]))
    briefing = draft_briefing(story, Options())
    ranking = rank_sentences(story, candidate_positions(story), "multisum")
    similarity = similarity_matrix(story)
    plain = find_exclusives(story, ranking, similarity, briefing, per_outlet=2)
    first = plain[0]
    where = {(s.article, s.index): k for k, s in enumerate(story.sentences)}
    target = where[(first.citation.article, first.citation.sentence)]
    other = next(k for k, s in enumerate(story.sentences) if s.article != first.citation.article)

    def judgement(story, rows, similarity):  # the real one, and one more outlet for ``target``
        stating = states_fact(story, rows, similarity)
        for row, position in enumerate(rows):
            stating[row, other] |= position == target
        return stating

    checked = find_exclusives(
        story, ranking, similarity, briefing, per_outlet=2, states_fact=judgement
    )
    own = [e.text for e in checked if e.citation.article == first.citation.article]
    assert first.text not in own
    assert own[0] == [e.text for e in plain if e.citation.article == first.citation.article][1]
    assert [e.text for e in checked if e.citation.article != first.citation.article] == [
        e.text for e in plain if e.citation.article != first.citation.article
    ]


def test_no_only_in_fact_is_stated_by_another_outlet(corpus_checks):
    import numpy as np
    from conftest import CORPUS

    from multisum.pipeline import prepare_story
    from multisum.pipeline.dedupe import similarity_matrix, states_fact
    from multisum.pipeline.ingest import read_articles

    story = prepare_story(read_articles([CORPUS]))
    where = {(s.article, s.index): k for k, s in enumerate(story.sentences)}
    rows = [where[(e.citation.article, e.citation.sentence)] for e in corpus_checks.exclusives]
    stating = states_fact(story, rows, similarity_matrix(story))
    outlet = {a.id: a.outlet for a in story.articles}
    owners = np.array([outlet[s.article] for s in story.sentences])
    for row, position in enumerate(rows):
        assert set(owners[stating[row]]) == {owners[position]}, story.sentences[position].text
