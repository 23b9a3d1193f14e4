"""Merging the same fact across outlets, and keeping different facts apart."""

from __future__ import annotations

import numpy as np
import pytest

from multisum.model import Story
from multisum.pipeline.clean import clean_article
from multisum.pipeline.dedupe import merge_duplicates, similarity_matrix, states_fact
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.selection import select_by_score
from multisum.pipeline.sentences import candidate_positions, split_sentences
from multisum.rankers import rank_sentences


@pytest.fixture(scope="module")
def groups():
    from conftest import CORPUS

    articles = [clean_article(a) for a in read_articles([CORPUS])]
    story = Story(tuple(articles), tuple(split_sentences(articles)))
    candidates = candidate_positions(story)
    similarity = similarity_matrix(story)
    ranking = rank_sentences(story, candidates, "multisum")
    chosen = select_by_score(story, ranking, similarity, words=100_000)
    return story, merge_duplicates(story, chosen, ranking, similarity)


def members(story, group):
    return [story.sentences[m] for m in group.members]


def test_the_embassy_quote_is_one_fact_from_four_outlets(groups):
    story, found = groups
    quoted = [
        g for g in found if "should give Putin a platform" in story.sentences[g.members[0]].text
    ]
    assert len(quoted) == 1
    sentences = members(story, quoted[0])
    assert sorted(s.article for s in sentences) == ["ap", "guardian", "newsweek", "wsws"]
    for sentence in sentences:
        assert "give Putin a platform" in sentence.text


def test_a_sentence_belongs_to_one_fact_only(groups):
    _, found = groups
    seen = [m for g in found for m in g.members]
    assert len(seen) == len(set(seen))


def test_one_sentence_per_outlet_one_group_per_chosen_line_in_order(groups):
    story, found = groups
    for group in found:
        articles = [story.sentences[m].article for m in group.members]
        assert len(articles) == len(set(articles))
    scores = [group.score for group in found]
    assert scores == sorted(scores, reverse=True)  # select_by_score chose them best first


def test_different_figures_are_not_merged(groups):
    story, found = groups
    for group in found:
        texts = " ".join(s.text for s in members(story, group))
        assert not ("$3.6 billion" in texts and "$3.5bn" in texts)


def test_merged_sentences_share_their_key_words(groups):
    story, found = groups
    from multisum.text import content_terms

    for group in found:
        first = set(content_terms(story.sentences[group.members[0]].text))
        for other in members(story, group)[1:]:
            assert len(first & set(content_terms(other.text))) >= 3


def _position(story, article, words):
    return next(
        k for k, s in enumerate(story.sentences) if s.article == article and words in s.text
    )


@pytest.fixture(scope="module")
def story():
    from conftest import CORPUS

    articles = [clean_article(a) for a in read_articles([CORPUS])]
    return Story(tuple(articles), tuple(split_sentences(articles)))


def test_one_fact_in_other_words_is_found_in_every_outlet_that_states_it(story):
    similarity = similarity_matrix(story)
    trade = _position(story, "ap", "Bilateral trade between Russia and Vietnam was at $3.6")
    priority = _position(story, "newsweek", "is invariably one of our priorities")
    stating = states_fact(story, [trade, priority], similarity)
    found = [
        {story.sentences[k].article for k in np.flatnonzero(row)} - {story.sentences[line].article}
        for row, line in zip(stating, (trade, priority))
    ]
    # "Trade between Vietnam and Russia stood at just $3.5bn in 2022 ..." (The Guardian) and
    # "... bilateral trade had grown by 8.3 percent in 2023, reaching $US5 billion" (WSWS).
    assert {"guardian", "wsws"} <= found[0]
    # "Putin reiterated Russia's commitment to deepening its comprehensive strategic partnership".
    assert "reuters" in found[1]


def test_a_sentence_that_only_shares_the_story_words_states_another_fact(story):
    similarity = similarity_matrix(story)
    neutral = _position(story, "ap", "Vietnam has remained neutral on Russia")
    arms = _position(story, "guardian", "biggest supplier of weapons")
    stating = states_fact(story, [neutral], similarity)[0]
    assert not stating[arms]
    assert stating[_position(story, "wsws", "Vietnam has refused to condemn")]


def test_a_fact_told_in_other_words_and_spellings_names_its_outlets(story):
    # The Guardian's "to push up cooperation in defence and security, how to deal with
    # non-traditional security challenges" is in WSWS as Lâm's "further cooperate in defense and
    # security to cope with non-traditional security challenges": another spelling and accent.
    similarity = similarity_matrix(story)
    lam = _position(story, "guardian", "push up cooperation in defence")
    stating = states_fact(story, [lam], similarity)[0]
    assert stating[_position(story, "wsws", "further cooperate in defense and security")]
    assert stating[_position(story, "newsweek", "promised increased cooperation")]
    # A sentence about Putin's trade figures is not this fact, though it names both countries.
    assert not stating[_position(story, "wsws", "bilateral trade had grown")]


def test_shares_of_the_story_words_alone_do_not_credit_another_fact(story):
    # Newsweek's history of who recognised Vietnam first shares "China", "bilateral" and the two
    # countries with AP's trade figures: enough by the lower shares, not by the rare words shared.
    from multisum.pipeline.dedupe import SHARED_RARE_WORDS, fact_support

    trade = _position(story, "ap", "Bilateral trade between Russia and Vietnam was at $3.6")
    line, sentence, rare_words = fact_support(story, [trade])
    soviet = _position(story, "newsweek", "China and the Soviet Union were the first")
    assert line[0, soviet] >= 0.15 and sentence[0, soviet] >= 0.15
    assert rare_words[0, soviet] < SHARED_RARE_WORDS
    assert not states_fact(story, [trade], similarity_matrix(story))[0, soviet]
