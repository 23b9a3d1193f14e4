"""Assembling the briefing: the budget holds, no sentence twice, and each line's citation is made
with the line, offsets and hash pointing at exactly its text in the cleaned article."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from multisum.model import Briefing, Story, text_hash
from multisum.options import Options
from multisum.pipeline import prepare_story
from multisum.pipeline.assemble import assemble_briefing
from multisum.pipeline.dedupe import merge_duplicates, similarity_matrix
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.selection import select_lines
from multisum.pipeline.sentences import candidate_positions
from multisum.pipeline.topics import find_topics
from multisum.rankers import rank_sentences
from multisum.text import word_count


@pytest.fixture(scope="module")
def story() -> Story:
    return prepare_story(read_articles([CORPUS]))


@pytest.fixture(scope="module")
def stages(story: Story):
    candidates = candidate_positions(story)
    ranking = rank_sentences(story, candidates, "multisum")
    topics = find_topics(story, candidates, max_count=5)
    return topics, ranking, similarity_matrix(story)


def assemble(story: Story, stages, **options) -> Briefing:
    """Choose the lines as the pipeline does, attribute them, and lay them out."""
    topics, ranking, similarity = stages
    chosen = select_lines(
        story,
        ranking,
        similarity,
        strategy="coverage",
        words=options.get("words", 250),
        sentences=options.get("sentences"),
    )
    groups = merge_duplicates(story, chosen, ranking, similarity)
    return assemble_briefing(story, topics, groups, Options(**options))


@pytest.mark.parametrize("words", [30, 80, 150, 250, 400])
def test_the_word_budget_is_respected(story, stages, words):
    briefing = assemble(story, stages, words=words)
    assert briefing.lines
    assert sum(word_count(line.text) for line in briefing.lines) <= words


@pytest.mark.parametrize("sentences", [1, 3, 6])
def test_the_sentence_budget_is_respected(story, stages, sentences):
    briefing = assemble(story, stages, sentences=sentences)
    assert len(briefing.lines) == sentences


def test_a_larger_budget_gives_more(story, stages):
    small = assemble(story, stages, words=80)
    large = assemble(story, stages, words=400)
    assert len(large.lines) > len(small.lines)


def test_no_sentence_appears_twice(story, stages):
    briefing = assemble(story, stages, words=500)
    texts = [line.text for line in briefing.lines]
    assert len(texts) == len(set(texts))
    cited = [(c.article, c.sentence) for line in briefing.lines for c in line.sources]
    assert len(cited) == len(set(cited))  # no sentence backs two lines either


def test_every_citation_slices_the_cleaned_article_to_the_line(story, stages):
    briefing = assemble(story, stages, words=500)
    assert len(briefing.lines) >= 5
    for line in briefing.lines:
        first = line.sources[0]
        text = story.article(first.article).text
        assert text[first.start : first.end] == line.text
        assert first.sha256 == text_hash(line.text)
        for citation in line.sources:  # the other outlets' own sentences, verbatim too
            cited = story.article(citation.article).text[citation.start : citation.end]
            assert citation.sha256 == text_hash(cited)
            sentence = next(
                s
                for s in story.sentences
                if s.article == citation.article and s.index == citation.sentence
            )
            assert sentence.text == cited


def test_sections_hold_the_lines_of_their_topic(story, stages):
    briefing = assemble(story, stages, words=300)
    for section in briefing.sections:
        assert section.lines
        assert len({line.topic for line in section.lines}) == 1
    assert len({s.lines[0].topic for s in briefing.sections}) == len(briefing.sections)
    assert len({s.topic for s in briefing.sections}) == len(briefing.sections)
    assert briefing.title in {a.title for a in story.articles}


@pytest.mark.parametrize("words", [100, 250, 400, 600])
def test_headings_are_phrases_of_their_lines_or_headlines(story, stages, words):
    """A heading names the section in the outlets' words: found word for word, never a list."""
    briefing = assemble(story, stages, words=words)
    title = {a.id: a.title for a in story.articles}
    for section in briefing.sections:
        texts = [line.text for line in section.lines]
        texts += [title[c.article] for line in section.lines for c in line.sources]
        assert "," not in section.topic
        assert 1 <= len(section.topic.split()) <= 4
        assert any(section.topic.lower() in text.lower() for text in texts), section.topic
