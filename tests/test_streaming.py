"""Streaming story grouping on real text: the digest fixtures (a port strike over two days, a wildfire)
and the seed corpus (Putin in Vietnam), three stories that must stay apart."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS

from multisum.digests.stories import day_number, group_stories
from multisum.digests.streaming import (
    QUIET_DAYS,
    ActiveStory,
    group_stories_streaming,
    name_profile,
    stream_stories,
)
from multisum.model import Article
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import read_articles

FIXTURES = Path(__file__).parent / "fixtures" / "digest"
#: Pages written for these tests: two quakes in one country two days apart, told alike, pages of
#: one day on unrelated subjects as trafilatura extracts them (a trailing "Share this article"), and
#: undated reports of two parliamentary elections in one country five years apart.
EVENTS = Path(__file__).parent / "fixtures" / "events"
STRIKE = {
    "ap-strike",
    "ch-strike-1",
    "ch-strike-1-2",
    "md-ap-strike",
    "vc-ap-strike",
    "ch-strike-2",
}
VIETNAM = {"ap", "guardian", "newsweek", "reuters", "wsws"}


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    folders = [FIXTURES / day / "articles" for day in ("day1", "day2", "day3")]
    return [clean_article(a) for a in read_articles([*folders, CORPUS])]


def stories(articles: list[Article], **options) -> list[set[str]]:
    return [
        {articles[p].id for p in g.members} for g in group_stories_streaming(articles, **options)
    ]


def test_unrelated_stories_stay_apart_and_each_story_holds_together(articles):
    assert stories(articles) == [VIETNAM, STRIKE, {"ch-fire-3"}]


def test_the_same_story_on_the_next_day_joins_it(articles):
    """The mediator's talks (21 November) continue the strike that began on the 20th."""
    (strike,) = [story for story in stories(articles) if "ap-strike" in story]
    assert "ch-strike-2" in strike


def test_a_story_refuses_an_article_that_shares_none_of_its_key_terms(articles):
    """Even when any similarity would do, the wildfire shares no key term with the strike's core."""
    assert {"ch-fire-3"} in stories(articles, threshold=0.0)


def test_a_story_goes_quiet_after_its_window(articles):
    strike = [a for a in articles if a.id in {"ap-strike", "ch-strike-1"}]
    months_later = replace(strike[1], published="2027-03-01T06:45:00+00:00")
    assert stories([strike[0], months_later], quiet_days=30) == [{"ap-strike"}, {"ch-strike-1"}]
    assert stories([strike[0], months_later], quiet_days=365) == [{"ap-strike", "ch-strike-1"}]


def test_an_undated_article_is_as_new_as_the_run(articles):
    """An undated article counts as of the run's day (``today``; without one, the newest dated
    article's), so it meets only stories active then, not a story quiet for years."""
    strike = [a for a in articles if a.id in {"ap-strike", "ch-strike-1"}]
    undated = replace(strike[1], published="")

    def grouped(today: float) -> list[set[str]]:
        streamed = stream_stories([strike[0], undated], today=today, quiet_days=30)
        return [{[strike[0], undated][p].id for p in g.members} for g in streamed.groups]

    dated_day = day_number(strike[0].published)
    assert grouped(dated_day + 1) == [{"ap-strike", "ch-strike-1"}]
    assert grouped(dated_day + 400) == [{"ap-strike"}, {"ch-strike-1"}]
    later = replace(strike[0], id="later", published="2027-03-01T06:45:00+00:00", text="")
    assert {"ch-strike-1"} in stories([strike[0], undated, later], quiet_days=30)


def test_copies_collapse_onto_their_original_as_in_the_linkage(articles):
    streamed = group_stories_streaming(articles)
    linked = group_stories(articles)
    assert [(g.members, g.originals, g.copies) for g in streamed] == [
        (g.members, g.originals, g.copies) for g in linked
    ]


def test_order_within_one_timestamp_does_not_matter(articles):
    """Articles published at the same moment are taken by id, whatever order they arrive in."""
    same_moment = [replace(a, published="2026-11-20T08:00:00+00:00") for a in articles]
    expected = stories(same_moment)
    for seed in range(3):
        shuffled = same_moment[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(map(sorted, stories(shuffled))) == sorted(map(sorted, expected))


def test_grouping_is_deterministic(articles):
    first = group_stories_streaming(articles)
    assert group_stories_streaming(articles) == first
    assert group_stories_streaming(list(articles)) == first


def test_stubs_stand_alone_and_empty_input_is_empty(articles):
    stub = Article(id="stub", text="Port of Valmora strike.", outlet="Wire", published="")
    assert {"stub"} in stories([*articles, stub])
    assert group_stories_streaming([]) == []


def test_an_article_names_who_and_where(articles):
    strike = next(a for a in articles if a.id == "ap-strike")
    vietnam = next(a for a in articles if a.id == "reuters")
    assert {"valmora", "ilescu"} <= name_profile(strike).most_used
    assert {"putin", "vietnam"} <= name_profile(vietnam).most_used
    assert name_profile(strike).most_used.isdisjoint(name_profile(vietnam).most_used)


def test_two_stories_of_one_town_in_one_feed_stay_apart():
    """The Harbor Times feed carries the Valmora strike and the Valmora library's reopening: one
    town, one day, two stories. A short report alone in its story must not fold the strike in."""
    from multisum.digests.sources import read_sources

    day = [clean_article(a) for a in read_sources([str(FIXTURES / "day1")]).articles]
    grouped = stories(day)
    (library,) = [story for story in grouped if "ht-1002" in story]
    assert library == {"ht-1002"}
    assert len(grouped) == 2


def test_tomorrows_articles_join_the_stories_a_run_left_active(articles):
    """Day 1's run keeps its stories; day 2's mediator report joins the strike through them alone
    (day 1's articles are not in day 2's pool), and the wildfire opens a story of its own."""
    from multisum.digests.stories import day_number

    first = [a for a in articles if a.published.startswith("2026-11-20")]
    second = [a for a in articles if a.published.startswith("2026-11-21")]
    assert first and second
    day1 = stream_stories(first, today=day_number("2026-11-20"), keep_days=14)
    kept = [ActiveStory.from_dict(json.loads(json.dumps(s.to_dict()))) for s in day1.active]
    assert kept == list(day1.active)  # what the state stores is what it gives back
    day2 = stream_stories(second, active=kept, today=day_number("2026-11-21"), keep_days=14)
    (talks,) = [g for g in day2.groups if "ch-strike-2" in {second[p].id for p in g.members}]
    assert {"ap-strike", "ch-strike-1"} <= set(talks.earlier)
    fire = [g for g in day2.groups if "ch-fire-3" in {second[p].id for p in g.members}]
    assert all(not g.earlier for g in fire)
    strike = next(s for s in day2.active if "ch-strike-2" in s.keys)
    assert "ap-strike" in strike.keys and strike.last_day >= day_number("2026-11-21")


def kept_by_an_earlier_release(articles, rewrite):
    """Day 1's active stories as a state of an earlier release kept them (``rewrite`` turns a
    story into that release's dict), with day 1's run and day 2's articles."""
    first = [a for a in articles if a.published.startswith("2026-11-20")]
    second = [a for a in articles if a.published.startswith("2026-11-21")]
    day1 = stream_stories(first, today=day_number("2026-11-20"), keep_days=14)
    old = [ActiveStory.from_dict(json.loads(json.dumps(rewrite(s)))) for s in day1.active]
    return day1, old, second


def test_active_stories_kept_by_the_previous_release_go_on_unchanged(articles):
    """The previous release stored a centroid as (term, weight) pairs in JSON; this one packs it.
    A state of the previous release must give the same stories, and the next day the same groups."""

    def as_pairs(story: ActiveStory) -> dict:
        data = story.to_dict()
        del data["terms"], data["weights"]
        data["centroid"] = [[term, weight] for term, weight in story.centroid]
        return data

    day1, old, second = kept_by_an_earlier_release(articles, as_pairs)
    assert old == list(day1.active)
    assert all(len(story.centroid) > 20 for story in old)
    today = day_number("2026-11-21")
    again = stream_stories(second, active=old, today=today, keep_days=14)
    assert again == stream_stories(second, active=day1.active, today=today, keep_days=14)


def test_stories_leave_the_state_after_the_days_it_keeps_them(articles):
    from multisum.digests.stories import day_number

    first = [a for a in articles if a.published.startswith("2026-11-20")]
    assert stream_stories(first, today=day_number("2026-11-20"), keep_days=14).active
    assert not stream_stories(first, today=day_number("2026-12-20"), keep_days=14).active


def test_a_story_quiet_for_weeks_takes_no_new_article(articles):
    """The default window: one event's reports follow each other within days; the same people
    in the news three weeks later are a new event (within one run as across runs)."""
    strike = [a for a in articles if a.id in {"ap-strike", "ch-strike-1"}]
    weeks_later = replace(strike[1], published="2026-12-11T06:45:00+00:00")
    days_later = replace(strike[1], published="2026-11-22T06:45:00+00:00")
    assert stories([strike[0], weeks_later]) == [{"ap-strike"}, {"ch-strike-1"}]
    assert stories([strike[0], days_later]) == [{"ap-strike", "ch-strike-1"}]
    opening = [a for a in articles if a.id in {"ap-strike", "md-ap-strike"}]
    first_day = day_number(opening[0].published)
    first = stream_stories(opening, today=first_day, keep_days=QUIET_DAYS)
    assert len(first.active) == 1
    undated = replace(strike[1], published="")  # as of the next run's day
    for days, continued in ((2, True), (21, False)):
        later = stream_stories([undated], active=first.active, today=first_day + days)
        assert bool(later.groups[0].earlier) is continued


def test_a_short_news_item_joins_its_story(articles):
    """Two sentences on the strike (under 20 distinct content words) join it, not stand alone."""
    short = Article(
        id="short-strike",
        title="Valmora dockworkers stay on strike",
        text=(
            "Dockworkers at the Port of Valmora stayed on strike on Saturday. "
            "Union leader Marta Ilescu said the port authority's wage offer was still too low."
        ),
        outlet="Harbour Radio",
        published="2026-11-21T09:00:00+00:00",
    )
    (strike,) = [story for story in stories([*articles, short]) if "ap-strike" in story]
    assert "short-strike" in strike


def read_cleaned(folder: Path) -> list[Article]:
    return [clean_article(a) for a in read_articles([folder])]


def test_a_second_event_on_the_same_subject_opens_its_own_story():
    """Two magnitude-6.4 quakes in Chile two days apart, reported in nearly the same words: the
    Biobío reports lead with a region the Atacama story never mentions, so they are another event
    (the previous release put the first into the Atacama story). The two-sentence item on the
    Atacama quake still joins its story."""
    grouped = stories(read_cleaned(EVENTS / "quakes"))
    atacama = {"atacama-andes-wire", "atacama-pacific-daily", "atacama-southern-cross"}
    assert grouped == [{*atacama, "atacama-brief"}, {"biobio-andes-wire", "biobio-pacific-daily"}]


def test_unrelated_pages_of_one_day_are_not_one_story():
    """A Rust release and a Python environments post, Amazon fires and Microsoft's carbon pledge:
    four stories. The fires and the pledge shared only "Thursday", which let the names guard pass
    them as one story before weekdays stopped counting as names."""
    grouped = stories(read_cleaned(EVENTS / "pages"))
    assert sorted(map(sorted, grouped)) == [
        ["amazon-fires"],
        ["microsoft-carbon"],
        ["python-environments"],
        ["rust-release"],
    ]


def test_an_article_is_anchored_by_the_names_its_lead_is_about():
    """Anchors: names of the headline or first sentence among the three it uses most, four
    times or more ("Chile" counts the sentence it opens, as it is named inside others; "Los
    Ángeles", once, is in the lead but not an anchor). Weekdays and months are not names."""
    (biobio,) = read_cleaned(EVENTS / "quakes" / "biobio-andes-wire.md")
    names = name_profile(biobio)
    assert names.anchors == {"biobío", "concepción", "chile"}
    assert "ángele" in names.lead and "ángele" not in names.anchors
    assert "thursday" not in names.mentioned
    assert names.anchors <= names.most_used  # the names guard sees them too


def test_a_state_without_name_counts_goes_on(articles):
    """A state written before stories counted their names' mentions and leads: the names its
    articles use most stand in for both, and the strike still takes the mediator's talks."""

    def without_counts(story: ActiveStory) -> dict:
        data = story.to_dict()
        del data["mentions"], data["leads"]
        return data

    _, old, second = kept_by_an_earlier_release(articles, without_counts)
    assert all(story.mentions == story.names == story.leads for story in old)
    day2 = stream_stories(second, active=old, today=day_number("2026-11-21"), keep_days=14)
    (talks,) = [g for g in day2.groups if "ch-strike-2" in {second[p].id for p in g.members}]
    assert {"ap-strike", "ch-strike-1"} <= set(talks.earlier)


def test_an_election_years_later_opens_its_own_story():
    """Undated reports of two parliamentary elections in one country, five years apart, told with
    the same people and words: the first election's reports name 2008 and earlier, the second's
    2012 and 2013, more than three years after the latest the story is about, so they are another
    event (the previous release made one story of the five)."""
    grouped = stories(read_cleaned(EVENTS / "elections"))
    first = {"karvania-2008-caspian-daily", "karvania-2008-river-post", "karvania-2008-steppe-wire"}
    assert grouped == [first, {"karvania-2013-caspian-daily", "karvania-2013-steppe-wire"}]


def test_a_year_within_the_gap_still_joins():
    """A report that names a year two after the story's latest (results due, a term that runs
    on) is not thereby another event."""
    reports = read_cleaned(EVENTS / "elections")
    first = [a for a in reports if "2008" in a.id]
    later = replace(
        first[0], id="karvania-2008-z-later", text=first[0].text.replace("2006", "2010")
    )
    assert name_profile(later).year == 2010
    assert stories([*first, later]) == [{a.id for a in [*first, later]}]


def test_an_article_is_about_its_dates_year_or_the_latest_its_text_names():
    text = (
        "The company, founded in 1998, paid $2000 for 2,000 shares in 2004. "
        "Its 2006 report was late. Sales rose 2030% this year."
    )
    undated = Article(id="a", text=text, outlet="X", title="Shares")
    assert name_profile(undated).year == 2006
    dated = replace(undated, published="2026-11-20T08:00:00+00:00")
    assert name_profile(dated).year == 2026
    assert name_profile(replace(undated, text="No year here.")).year is None


def test_a_name_that_opens_sentences_counts_each_time():
    """Sentences that open with "Williams was booked ..." name Williams as "tackle Jamal Williams":
    a sentence's first word counts when the article names it inside a sentence too, so a report
    that mostly opens its sentences with its subject is anchored by it (before, Williams counted
    once here and the report had no anchor)."""
    text = (
        "Lineman Jamal Williams of the Harbour City Gulls was arrested on suspicion of drunken "
        "driving early Sunday, the highway patrol said. Williams was stopped for speeding on a "
        "freeway outside downtown. Williams gave a blood sample. Williams was booked into the "
        "county jail and released on bail. The Gulls said they knew of the arrest. Officers "
        "said the stop was routine."
    )
    names = name_profile(Article(id="w", text=text, outlet="X", title="Gulls lineman arrested"))
    assert "william" in names.anchors
    assert "officer" not in names.mentioned  # a sentence's first word alone is not a name


def test_a_story_keeps_its_years_in_the_state_and_an_older_state_goes_on():
    reports = read_cleaned(EVENTS / "elections")
    first = [a for a in reports if "2008" in a.id]
    (kept,) = stream_stories(first, today=day_number("2026-11-20")).active
    assert kept.years == ((2008, 3),)
    assert ActiveStory.from_dict(json.loads(json.dumps(kept.to_dict()))) == kept
    older = kept.to_dict()
    del older["years"]
    assert ActiveStory.from_dict(older).years == ()
    # the stories of the state go on with their years: the later election stays apart
    later = [a for a in reports if "2013" in a.id]
    run = stream_stories(later, active=[kept], today=day_number("2026-11-21"))
    assert all(not g.earlier for g in run.groups)


def test_the_first_reports_of_a_later_patch_leave_the_earlier_patch_story():
    """Two emergency patches of one browser five years apart, undated and told in the same words.
    The later patch's first two reports name no year and join the earlier patch's story (two of
    its three reports are about 2009); the next report names September 2014, the story refuses it
    for its year, and the two move to its story, whose words they share (the Quick Fix tool,
    Navigator 9 and 10). The previous release made one story of all seven."""
    reports = read_cleaned(EVENTS / "patches")
    earlier = {"lumera-2009-bay-times", "lumera-2009-harbour-news", "lumera-2009-wire"}
    later = {a.id for a in reports} - earlier
    assert [name_profile(a).year for a in reports if a.id in later] == [None, None, 2014, 2014]
    assert stories(reports) == [later, earlier]
    # the same in any input order, and the state keeps each article once, in its own story
    assert stories(random.Random(3).sample(reports, len(reports))) == [later, earlier]
    run = stream_stories(reports, today=day_number("2026-11-20"))
    assert sorted(sorted(story.keys) for story in run.active) == sorted(
        [sorted(earlier), sorted(later)]
    )
    assert sum(len(story.keys) for story in run.active) == len(reports)


def test_a_moved_report_takes_its_names_with_it():
    """The earlier patch's story no longer counts the names of the reports that left it, so an
    article of the later patch meets the story as it would have without them."""
    reports = read_cleaned(EVENTS / "patches")
    run = stream_stories(reports, today=day_number("2026-11-20"))
    (earlier,) = [s for s in run.active if "lumera-2009-wire" in s.keys]
    assert "pesce" not in dict(earlier.mentions)  # the later patch's spokesman
    assert dict(earlier.years) == {2009: 2}
