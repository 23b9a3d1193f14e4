"""Topics on the seed corpus: a partition of the candidates, readable labels, the same every time."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from multisum.model import Story
from multisum.pipeline import prepare_story
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.sentences import candidate_positions
from multisum.pipeline.topics import MAX_TOPICS, find_topics


@pytest.fixture(scope="module")
def story() -> Story:
    return prepare_story(read_articles([CORPUS]))


@pytest.fixture(scope="module")
def candidates(story: Story) -> list[int]:
    return candidate_positions(story)


def test_every_candidate_is_in_exactly_one_topic(story, candidates):
    topics = find_topics(story, candidates)
    members = [p for topic in topics for p in topic.members]
    assert sorted(members) == sorted(candidates)
    assert len(members) == len(set(members))
    assert 2 <= len(topics) <= MAX_TOPICS
    assert all(topic.members for topic in topics)


def test_labels_are_words_of_the_articles(story, candidates):
    topics = find_topics(story, candidates)
    everything = " ".join(s.text for s in story.sentences).lower()
    for topic in topics:
        assert topic.label.strip()
        for phrase in topic.label.split(", "):
            assert phrase.lower() in everything, topic.label
    assert len({t.label for t in topics}) == len(topics)  # no two sections share a heading


def test_topics_are_deterministic(story, candidates):
    assert find_topics(story, candidates) == find_topics(story, list(candidates))


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_count_is_honoured(story, candidates, count):
    topics = find_topics(story, candidates, count=count)
    assert len(topics) == count
    assert sorted(p for t in topics for p in t.members) == sorted(candidates)


def test_max_count_bounds_the_choice(story, candidates):
    assert len(find_topics(story, candidates, max_count=2)) == 2


def test_topics_are_ordered_by_their_first_sentence(story, candidates):
    topics = find_topics(story, candidates, count=4)
    firsts = [t.members[0] for t in topics]
    assert firsts == sorted(firsts)
    assert all(list(t.members) == sorted(t.members) for t in topics)


def test_few_sentences_make_one_topic(story, candidates):
    assert find_topics(story, []) == []
    (only,) = find_topics(story, candidates[:2])
    assert only.members == tuple(candidates[:2]) and only.label


def test_topics_do_not_depend_on_the_eigenvectors_a_lapack_kernel_returns(
    story, candidates, monkeypatch
):
    """Another CPU's LAPACK kernel returns eigenvectors with other signs, other rotations of tied
    eigenvalues and other last digits. Sentences with nothing in the latent space turned
    such digits into a direction of their own, and other machines ordered the briefing's lines
    differently; topics must be the same whatever the eigensolver's last digits."""
    import numpy as np

    expected = find_topics(story, candidates)
    solve = np.linalg.eigh
    draw = np.random.default_rng(7)

    def other_kernel(matrix):
        values, vectors = solve(matrix)
        signs = draw.choice([-1.0, 1.0], size=vectors.shape[1])
        return values, vectors * signs + draw.normal(scale=1e-13, size=vectors.shape)

    monkeypatch.setattr(np.linalg, "eigh", other_kernel)
    for _ in range(3):
        assert find_topics(story, candidates) == expected


def test_heading_phrases_are_runs_the_outlet_wrote():
    """Runs of content words as written: never across punctuation, never half a name, never a
    verb or a contraction at an edge."""
    from multisum.pipeline.topics import _runs

    found = {
        written
        for _, written in _runs(
            "“I’d like to thank him,” Russian President Vladimir Putin said, as the U.S. embassy in "
            "Hanoi signed nothing; bilateral trade rose."
        )
    }
    assert {"Russian President Vladimir Putin", "U.S. embassy", "bilateral trade"} <= found
    assert not found & {"President Vladimir", "I’d", "I’d like", "Putin said", "Hanoi signed"}
    assert all("," not in w and ";" not in w for w in found)
    assert "embassy Hanoi" not in found and "Putin U.S." not in found


def test_every_section_has_a_heading_of_its_own(story):
    from multisum.pipeline.topics import name_sections

    visit = next(k for k, s in enumerate(story.sentences) if "state visit" in s.text)
    trade = next(k for k, s in enumerate(story.sentences) if s.text.startswith("Bilateral trade"))
    headings = name_sections(story, [[(visit, 4)], [(trade, 3)]], [[], []])
    assert headings[0] != headings[1]
    assert headings[1] == "Bilateral trade"
    assert headings[0].lower() in story.sentences[visit].text.lower()
