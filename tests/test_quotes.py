from multisum.checks.quotes import find_speaker, quote_tokens


def test_embassy_quote_appears_once_with_every_outlet(corpus_checks):
    outlet = {a.id: a.outlet for a in corpus_checks.articles}
    embassy = [q for q in corpus_checks.quotes if "give Putin a platform" in q.text]
    assert len(embassy) == 1
    carriers = {outlet[c.article] for c in embassy[0].citations}
    assert carriers == {"Associated Press", "The Guardian", "Newsweek", "World Socialist Web Site"}
    assert "embassy" in embassy[0].speaker.lower()


def test_quotes_are_verbatim_at_their_offsets(corpus_checks):
    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.ingest import read_articles

    texts = {
        a.id: clean_article(a).text for a in read_articles([a.path for a in corpus_checks.articles])
    }
    for quote in corpus_checks.quotes:
        first = quote.citations[0]
        assert texts[first.article][first.start : first.end] == quote.text


def test_british_and_american_spellings_match():
    assert quote_tokens("allow him to normalise") == quote_tokens("allow him to normalize")


def test_speaker_before_and_after():
    assert find_speaker("Jang stated, ", "") == "Jang"
    assert find_speaker("", ", said Nguyen Khac Giang, an analyst.") == "Nguyen Khac Giang"
    assert find_speaker("A representative of the U.S. embassy in Hanoi told Reuters: ", "") == (
        "A representative of the U.S. embassy in Hanoi"
    )


def test_a_relative_pronoun_leaves_the_speaker_unnamed_rather_than_guessed():
    before = (
        "Washington would not have been pleased by Putin's article for Nhân Dân, the official "
        "newspaper of the Vietnamese Communist Party, which declared: "
    )
    assert find_speaker(before, "") == ""


def test_the_seed_briefing_names_no_newspaper_as_the_speaker_of_putins_article(corpus_checks):
    grateful = next(q for q in corpus_checks.quotes if "balanced position" in q.text)
    assert "newspaper" not in grateful.speaker
