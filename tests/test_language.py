"""Telling an English article from one in another language, and naming what was found."""

from __future__ import annotations

import pytest
from conftest import CORPUS, FIXTURES

from multisum.pipeline.ingest import read_articles
from multisum.pipeline.language import language_problem

BRIEF = FIXTURES / "brief"


@pytest.mark.parametrize(
    ("name", "script"),
    [("russian.md", "Cyrillic"), ("chinese.md", "Chinese"), ("arabic.md", "Arabic")],
)
def test_articles_in_other_scripts_are_named_by_script(name, script):
    (article,) = read_articles([BRIEF / name])
    assert language_problem(article.text) == (
        f"not in English ({script} script); multisum summarises English articles"
    )


def test_latin_script_in_another_language_has_too_few_english_words():
    (article,) = read_articles([FIXTURES / "digest" / "bad" / "spanish.md"])
    assert "too few English words" in language_problem(article.text)


def test_every_english_fixture_article_passes():
    folders = [CORPUS, FIXTURES / "hostile", FIXTURES / "digest" / "day1" / "articles"]
    articles = read_articles(folders)
    assert len(articles) >= 10
    assert {a.id: language_problem(a.text) for a in articles} == {a.id: "" for a in articles}


def test_a_foreign_name_or_quote_in_an_english_article_is_fine():
    text = (CORPUS / "wsws.md").read_text(encoding="utf-8") + "\n\nОн сказал: «Спасибо».\n"
    assert language_problem(text) == ""
    assert language_problem("12345 — 678") == ""  # no letters: left to the later stages
