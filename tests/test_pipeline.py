"""The pipeline's two halves: ``prepare_story`` (clean and split once) and ``brief_story``."""

from __future__ import annotations

import pytest
from conftest import CORPUS

import multisum
from multisum.errors import InputError
from multisum.model import Article
from multisum.options import Options
from multisum.pipeline import brief_story, build_briefing, prepare_story
from multisum.pipeline.ingest import read_articles

JUNK = Article(
    "junk", "Subscribe to our newsletter\n\nAccept all cookies", "Junk Daily", path="junk.md"
)


def test_prepare_then_brief_is_summarize(corpus_briefing):
    story = prepare_story(read_articles([CORPUS]))
    assert brief_story(story, Options()) == corpus_briefing
    assert build_briefing(read_articles([CORPUS]), Options()) == corpus_briefing


def test_the_same_story_briefs_with_other_options():
    story = prepare_story(read_articles([CORPUS]))
    options = Options(algorithm="lexrank", words=120, topics=2, quotes=0, exclusives=0)
    briefing = brief_story(story, options)
    assert briefing == multisum.summarize(
        CORPUS, algorithm="lexrank", words=120, topics=2, quotes=0, exclusives=0
    )
    assert len(briefing.sections) <= 2 and briefing.quotes == () and briefing.exclusives == ()


def test_prepared_story_holds_cleaned_articles_and_their_sentences():
    raw = read_articles([CORPUS])
    story = prepare_story(raw)
    assert [a.id for a in story.articles] == [a.id for a in raw]
    for sentence in story.sentences:
        article = story.article(sentence.article)
        assert article.text[sentence.start : sentence.end] == sentence.text
    assert story.notes == ()


def test_an_article_without_text_after_cleaning_is_noted():
    raw = read_articles([CORPUS / "ap.md", CORPUS / "reuters.md"])
    story = prepare_story([*raw, JUNK])
    assert [a.id for a in story.articles] == ["ap", "reuters"]
    assert story.notes == ("skipped junk.md: no usable text after cleaning",)
    briefing = brief_story(story, Options())
    assert "skipped junk.md: no usable text after cleaning" in briefing.notes
    assert all(c.article != "junk" for line in briefing.lines for c in line.sources)


def test_no_usable_article_at_all_is_an_input_error():
    with pytest.raises(InputError, match="none of the articles has usable text"):
        prepare_story([JUNK])


def test_more_articles_than_a_briefing_takes_are_refused_before_any_is_read_further(
    tmp_path, monkeypatch
):
    import json
    import re

    import multisum.pipeline as pipeline
    import multisum.pipeline.ingest as ingest
    from multisum.options import MAX_ARTICLES

    # 5,000 one-sentence articles, each a real sentence of the corpus (a 127 s, 7.3 GB brief)
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md")))
    sentences = [s for s in re.split(r"(?<=\.)\s+", text) if len(s.split()) > 12]
    with (tmp_path / "wire.jsonl").open("w", encoding="utf-8") as lines:
        for number in range(5000):
            record = {"outlet": f"Outlet {number}", "text": sentences[number % len(sentences)]}
            lines.write(json.dumps(record) + "\n")
    checked = []
    original = ingest.language_problem
    monkeypatch.setattr(ingest, "language_problem", lambda t: checked.append(1) or original(t))
    monkeypatch.setattr(pipeline, "clean_article", lambda article: pytest.fail("cleaned"))
    with pytest.raises(InputError) as refused:
        multisum.summarize(tmp_path)
    assert str(refused.value).startswith(
        f"more than {MAX_ARTICLES} articles: a briefing takes at most {MAX_ARTICLES}"
    )
    assert "`multisum digest`" in str(refused.value)
    assert len(checked) < 2 * MAX_ARTICLES  # refused soon after the first article too many


def test_as_many_articles_as_a_briefing_takes_are_briefed():
    from multisum.options import MAX_ARTICLES
    from multisum.pipeline.ingest import gather_articles

    articles = read_articles([CORPUS])
    many = [
        Article(f"{a.id}-{n}", a.text, f"{a.outlet} {n}", path=a.path)
        for n in range(MAX_ARTICLES // len(articles))
        for a in articles
    ]
    assert len(gather_articles(many, max_articles=MAX_ARTICLES).articles) == MAX_ARTICLES
    with pytest.raises(InputError, match="more than"):
        gather_articles([*many, articles[0]], max_articles=MAX_ARTICLES)
