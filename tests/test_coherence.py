"""Articles on unrelated stories in one brief are named, never mixed silently."""

from __future__ import annotations

from conftest import CORPUS, FIXTURES

import multisum
from multisum.pipeline.clean import clean_article
from multisum.pipeline.coherence import mixture_note, unrelated_articles
from multisum.pipeline.ingest import read_articles

DIGEST = FIXTURES / "digest"
FIRE = DIGEST / "day3" / "articles" / "coastal-herald-fire.md"
STRIKE = DIGEST / "day1" / "articles" / "ap-strike.md"


def cleaned(*paths) -> list[multisum.Article]:
    return [clean_article(a) for a in read_articles(paths)]


def test_one_story_told_by_several_outlets_is_one_story():
    for folder in (CORPUS, DIGEST / "day1" / "articles", DIGEST / "day2" / "articles"):
        assert unrelated_articles(cleaned(folder)) == ()


def test_an_article_on_another_story_is_named(corpus_briefing):
    briefing = multisum.summarize([CORPUS, FIRE])
    assert briefing.notes == (
        f"1 of the 6 articles shares few words with the rest and may tell another story ({FIRE}); "
        "this briefing mixes them: brief each story apart, or let `multisum digest` group the "
        "articles into stories",
    )


def test_articles_on_unrelated_stories_are_all_named():
    articles = cleaned(CORPUS / "ap.md", STRIKE, FIRE)
    assert [a.id for a in unrelated_articles(articles)] == ["ap", "ap-strike", "ch-fire-3"]
    assert mixture_note(articles).startswith("3 of the 3 articles share few words with the rest")


def test_a_long_list_names_the_first_articles_and_counts_the_rest(monkeypatch):
    from multisum.pipeline import coherence

    monkeypatch.setattr(coherence, "NAMED", 2)
    articles = cleaned(CORPUS / "ap.md", CORPUS / "reuters.md", STRIKE, FIRE)
    assert mixture_note(articles).startswith(
        f"2 of the 4 articles share few words with the rest and may tell other stories "
        f"({STRIKE} and {FIRE}); "
    )
    articles = cleaned(CORPUS / "ap.md", STRIKE, FIRE)
    assert mixture_note(articles).startswith(
        f"3 of the 3 articles share few words with the rest and may tell other stories "
        f"({CORPUS / 'ap.md'}, {STRIKE} and 1 more); "
    )


def test_a_stub_is_not_judged():
    stub = multisum.Article("stub", "Pine Ridge residents returned home on Sunday.", "Teaser")
    assert unrelated_articles([*cleaned(CORPUS), stub]) == ()
