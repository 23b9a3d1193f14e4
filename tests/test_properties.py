"""Properties over generated input: the splitter never crashes and never loses or alters text;
ranking and selection never crash and never invent a line."""

from __future__ import annotations

from functools import lru_cache

from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import multisum
from multisum.model import Article
from multisum.pipeline.sentences import split_sentences

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_WORD = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789’'-.é"),
    min_size=1,
    max_size=9,
)
_SENTENCE = st.builds(
    lambda opener, words, end: " ".join([opener, *words]) + end,
    st.sampled_from(["The", "He", "Gen.", "No.", "U.S.", "“We", '"It', "(AP)", "Mr.", "a"]),
    st.lists(_WORD, min_size=0, max_size=12),
    st.sampled_from([".", "!", "?", "…", ".”", '."', "", ":", " ...", ";"]),
)
_SEPARATOR = st.sampled_from([" ", "  ", "\n", "\n\n", "\n\n\n", " \n ", "\t"])


@st.composite
def article_texts(draw) -> str:
    sentences = draw(st.lists(_SENTENCE, min_size=1, max_size=8))
    text = sentences[0]
    for sentence in sentences[1:]:
        text += draw(_SEPARATOR) + sentence
    return draw(st.sampled_from(["", " ", "\n"])) + text + draw(st.sampled_from(["", "\n", " "]))


@SETTINGS
@given(st.lists(article_texts(), min_size=1, max_size=3))
def test_split_sentences_keeps_every_sentence_verbatim(texts):
    articles = [Article(f"a{n}", text, f"Outlet {n}") for n, text in enumerate(texts)]
    sentences = split_sentences(articles)
    for article in articles:
        own = [s for s in sentences if s.article == article.id]
        assert [s.index for s in own] == list(range(len(own)))
        covered = set()
        for sentence in own:
            assert sentence.text == article.text[sentence.start : sentence.end]
            assert sentence.text == sentence.text.strip() and sentence.text
            covered.update(range(sentence.start, sentence.end))
        assert [s.start for s in own] == sorted(s.start for s in own)
        # nothing lost: every letter and digit of the article is inside some sentence
        lost = [i for i, c in enumerate(article.text) if c.isalnum() and i not in covered]
        assert not lost, [article.text[i] for i in lost]


@lru_cache(maxsize=1)
def corpus_sentences() -> tuple[str, ...]:
    """The complete sentences of the seed corpus, as the pipeline splits its cleaned articles."""
    from multisum.pipeline import prepare_story
    from multisum.pipeline.ingest import read_articles
    from multisum.pipeline.sentences import candidate_positions

    story = prepare_story(read_articles([CORPUS]))
    return tuple(story.sentences[p].text for p in candidate_positions(story))


@st.composite
def corpus_articles(draw) -> list[list[str]]:
    pool = corpus_sentences()
    index = st.integers(min_value=0, max_value=len(pool) - 1)
    return [
        [pool[i] for i in draw(st.lists(index, min_size=1, max_size=7, unique=True))]
        for _ in range(2)
    ]


@SETTINGS
@given(corpus_articles(), st.sampled_from(["multisum", "lexrank", "textrank"]))
def test_summarize_never_invents_a_line(articles, algorithm):
    inputs = [
        Article(f"outlet-{n}", "\n\n".join(sentences), f"Outlet {n}")
        for n, sentences in enumerate(articles)
    ]
    try:
        briefing = multisum.summarize(inputs, words=60, algorithm=algorithm)
    except multisum.MultisumError:
        return
    given_sentences = {s for sentences in articles for s in sentences}
    assert briefing.lines
    for line in briefing.lines:
        assert line.text in given_sentences
    texts = {article.id: article.text for article in inputs}
    for quote in briefing.quotes:
        assert any(quote.text in text for text in texts.values())
