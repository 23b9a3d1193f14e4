"""Story grouping: related articles together, unrelated apart, wire copies collapsed, stable order."""

from __future__ import annotations

from multisum.digests.stories import day_number, group_stories
from multisum.model import Article

STRIKE = (
    "Dockworkers at the Port of Valmora went on strike over pay, halting container ships, "
    "union leader Marta Ilescu said, after the port authority offered a three percent raise "
    "that the Valmora Dockworkers Union rejected as too low for its members. "
)
FIRE = (
    "A wildfire near Pine Ridge burned hundreds of hectares of forest and forced residents to "
    "evacuate, fire chief Elena Dorsch said, as water-bombing planes and helicopters fought "
    "the blaze driven by strong easterly winds toward the village. "
)
ELECTION = (
    "Voters in the Lower Marsh district elected councillor Pavel Ostrow as mayor after a recount "
    "of postal ballots, ending a disputed count that had kept the town hall without a leader "
    "for three weeks, the electoral commission announced. "
)


def article(identifier: str, text: str, outlet: str, published: str = "") -> Article:
    return Article(id=identifier, text=text, outlet=outlet, published=published)


def pool() -> list[Article]:
    return [
        article("s1", STRIKE + "Twelve ships waited at anchor.", "Harbor Times"),
        article("f1", FIRE + "Six cabins were destroyed.", "Harbor Times"),
        article("s2", STRIKE + "Freight was diverted to smaller ports.", "Coastal Herald"),
        article("e1", ELECTION, "Marsh Post"),
        article("f2", FIRE + "Evacuees slept in a sports hall in Hollen.", "Northern Gazette"),
        article("s3", STRIKE + "Twelve ships waited at anchor.", "Metro Daily", "2026-11-20"),
        article("s4", STRIKE + "Twelve ships waited at anchor.", "Associated Press", "2026-11-19"),
    ]


def test_related_articles_group_and_unrelated_ones_stay_apart():
    articles = pool()
    stories = [{articles[p].id for p in g.members} for g in group_stories(articles)]
    assert stories == [{"s1", "s2", "s3", "s4"}, {"f1", "f2"}, {"e1"}]


def test_copies_of_one_text_count_once_credited_to_the_earliest():
    articles = pool()
    strike = group_stories(articles)[0]
    assert [articles[p].id for p in strike.originals] == ["s2", "s4"]
    ((original, copies),) = strike.copies
    assert articles[original].id == "s4"
    assert sorted(articles[p].id for p in copies) == ["s1", "s3"]


def test_the_agency_a_copy_names_is_its_original():
    wire = "VALMORA (AP) — " + STRIKE
    articles = [
        article("site", wire, "Valley Courier", "2026-11-19"),
        article("agency", wire, "Associated Press", "2026-11-20"),
    ]
    (story,) = group_stories(articles)
    assert [articles[p].id for p in story.originals] == ["agency"]


def test_grouping_does_not_depend_on_input_order():
    articles = pool()
    forward = {frozenset(articles[p].id for p in g.members) for g in group_stories(articles)}
    backward_articles = articles[::-1]
    backward = {
        frozenset(backward_articles[p].id for p in g.members)
        for g in group_stories(backward_articles)
    }
    assert forward == backward


def test_articles_far_apart_in_time_are_different_stories():
    articles = [
        article("a", STRIKE + "First strike.", "A", "2026-01-01"),
        article("b", STRIKE + "Second strike.", "B", "2026-06-01"),
    ]
    assert len(group_stories(articles, window_days=30)) == 2
    assert len(group_stories(articles, window_days=365)) == 1


def test_stubs_stand_alone_and_empty_input_is_empty():
    articles = [article("a", "Short note.", "A"), article("b", "Short note.", "B")]
    assert len(group_stories(articles)) == 2
    assert group_stories([]) == []


def test_day_number_reads_common_date_forms():
    assert day_number("2026-11-20") == day_number("2026-11-20T00:00:00Z")
    assert day_number("Fri, 20 Nov 2026 00:00:00 GMT") == day_number("2026-11-20")
    assert day_number("11/20/2026 00:00:00") == day_number("2026-11-20")
    assert day_number("") != day_number("")  # NaN: unknown dates never compare equal


def test_a_copy_is_told_even_when_common_terms_are_dropped(monkeypatch):
    """Copies are judged on the whole text: dropping the pool's common words must not hide one."""
    from dataclasses import replace

    from conftest import CORPUS

    from multisum.digests import stories
    from multisum.pipeline.ingest import read_articles

    monkeypatch.setattr(stories, "COMMON_TERM_FLOOR", 2)  # as in a large pool: terms in 3+ go
    seeds = read_articles([CORPUS])
    reuters = next(a for a in seeds if a.outlet == "Reuters")
    copy = replace(reuters, id="reuters-copy", outlet="Yahoo News")
    articles = [*seeds, copy]
    groups = stories.group_stories(articles)
    copied = {
        (articles[original].id, tuple(articles[p].id for p in others))
        for group in groups
        for original, others in group.copies
    }
    assert copied == {(reuters.id, ("reuters-copy",))}


def test_document_frequencies_counted_in_folds_give_the_same_vectors(monkeypatch):
    """The day's frequencies are counted as articles come, in folds, to keep memory low: a fold
    after every article must give exactly the vectors of one count over all of them."""
    from conftest import CORPUS, FIXTURES

    from multisum.digests import stories
    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.ingest import read_articles

    days = [FIXTURES / "digest" / day for day in ("day1", "day2", "day3")]
    read = read_articles([CORPUS, *days])
    articles = [clean_article(a) for a in read]
    assert len(articles) >= 10  # a fold after each of them
    monkeypatch.setattr(stories, "BLOCK_ENTRIES", 1 << 40)
    whole = stories.story_vectors(articles)
    monkeypatch.setattr(stories, "BLOCK_ENTRIES", 1)
    folded = stories.story_vectors(articles)
    assert whole.rows.nnz > 1000
    for name in ("data", "indices", "indptr"):
        assert getattr(whole.rows, name).tolist() == getattr(folded.rows, name).tolist()
    assert whole.to_plain.tolist() == folded.to_plain.tolist()
    assert whole.terms.tolist() == folded.terms.tolist()


def test_document_frequencies_are_the_count_of_articles_using_each_term(monkeypatch):
    """Each fold merges sorted runs: the result must be every distinct term of the day, sorted,
    with the number of articles that use it, whether counted in one fold or one per article."""
    from collections import Counter

    from conftest import CORPUS, FIXTURES

    from multisum.digests import stories
    from multisum.pipeline.clean import clean_article
    from multisum.pipeline.ingest import read_articles

    days = [FIXTURES / "digest" / day for day in ("day1", "day2", "day3")]
    articles = [clean_article(a) for a in read_articles([CORPUS, *days])]
    expected = Counter(
        stories.term_number(term)
        for article in articles
        for term in set(stories.article_terms(article))
    )
    assert max(expected.values()) > 5 and len(expected) > 3000
    for block in (1 << 40, 1):
        monkeypatch.setattr(stories, "BLOCK_ENTRIES", block)
        terms, frequency = stories._document_frequencies(articles)
        assert terms.tolist() == sorted(expected)
        assert frequency.tolist() == [expected[term] for term in terms.tolist()]
