"""Copies of one article under several outlets count as one report, credited to the original."""

from __future__ import annotations

import itertools
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES

import multisum
from multisum.pipeline.clean import clean_article
from multisum.pipeline.copies import Distinct, merge_copies
from multisum.pipeline.ingest import read_articles

WIRE = FIXTURES / "digest" / "day1" / "articles"


def republish(source: Path, target: Path, outlet: str, *, published: str = "2024-06-21") -> None:
    """``source`` as another site carries it: its own front matter, the agency's text."""
    _, _, body = source.read_text(encoding="utf-8").split("---\n", 2)
    target.write_text(
        f"---\noutlet: {outlet}\npublished: {published}\n---\n{body}", encoding="utf-8"
    )


def distinct(paths) -> Distinct:
    raw = read_articles(paths)
    return merge_copies(raw, [clean_article(a) for a in raw])


def test_verbatim_copies_under_other_outlets_count_once(tmp_path, corpus_briefing):
    folder = tmp_path / "story"
    shutil.copytree(CORPUS, folder)
    republish(CORPUS / "ap.md", folder / "metro.md", "Metro Daily")
    republish(CORPUS / "ap.md", folder / "valley.md", "Valley Courier")
    briefing = multisum.summarize(folder)
    assert [a.id for a in briefing.articles] == [a.id for a in corpus_briefing.articles]
    assert briefing.sections == corpus_briefing.sections  # "4 of 5", not "6 of 7" outlets
    assert briefing.notes == (
        f"Metro Daily ({folder / 'metro.md'}) and Valley Courier ({folder / 'valley.md'}) carry "
        f"the same text as Associated Press ({folder / 'ap.md'}): counted once, as Associated Press",
    )


def test_the_agency_named_in_the_dateline_is_the_original_even_when_a_copy_is_older(tmp_path):
    republish(WIRE / "ap-strike.md", tmp_path / "early.md", "Early Bird", published="2026-11-19")
    result = distinct(
        [tmp_path / "early.md", WIRE / "ap-strike.md", WIRE / "coastal-herald-strike.md"]
    )
    assert [a.outlet for a in result.articles] == ["Associated Press", "Coastal Herald"]
    (family,) = result.families
    assert [a.outlet for a in family.copies] == ["Early Bird"]


def test_a_copy_cut_short_with_a_line_of_its_own_is_still_a_copy(tmp_path):
    text = (CORPUS / "guardian.md").read_text(encoding="utf-8")
    paragraphs = text.rstrip().split("\n\n")
    edited = "\n\n".join(paragraphs[:-2]).replace('outlet: "The Guardian"', "outlet: Daily Echo")
    edited += "\n\nThis article first ran in the Daily Echo's world news briefing for Thursday.\n"
    (tmp_path / "echo.md").write_text(edited, encoding="utf-8")
    result = distinct([CORPUS / "guardian.md", tmp_path / "echo.md"])
    assert [a.outlet for a in result.articles] == ["The Guardian"]


def test_reports_of_one_story_in_their_own_words_are_never_copies():
    articles = read_articles([CORPUS, WIRE / "ap-strike.md", WIRE / "coastal-herald-strike.md"])
    for first, second in itertools.combinations(articles, 2):
        result = merge_copies([first, second], [clean_article(first), clean_article(second)])
        assert result.families == (), (first.id, second.id)


def test_the_same_file_given_twice_is_one_report(corpus_briefing):
    briefing = multisum.summarize([CORPUS, CORPUS / "ap.md"])
    assert briefing.sections == corpus_briefing.sections
    assert len(briefing.notes) == 1 and "counted once, as Associated Press" in briefing.notes[0]


@pytest.mark.parametrize(
    ("second", "merged"),
    [
        ("Putin arrived in  Hanoi on Thursday!", True),  # the same words, other spacing and marks
        ("Putin arrived in Hanoi on Friday.", False),
    ],
)
def test_short_texts_are_copies_only_when_their_words_are_identical(second, merged):
    first = multisum.Article("a", "Putin arrived in Hanoi on Thursday.", "AP")
    other = replace(first, id="b", text=second, outlet="Metro Daily")
    result = merge_copies([first, other], [first, other])
    assert (len(result.articles) == 1) is merged


def test_a_copy_with_soft_hyphens_and_zero_width_spaces_is_still_a_copy(tmp_path):
    # CMS output: soft hyphens inside long words, a zero-width space here and there; a reader
    # sees the agency's text, and so must copy detection
    folder = tmp_path / "story"
    shutil.copytree(CORPUS, folder)
    republish(CORPUS / "ap.md", folder / "metro.md", "Metro Daily")
    metro = folder / "metro.md"
    hyphenated = (
        metro.read_text(encoding="utf-8")
        .replace("international", "inter\u00adnational")
        .replace("Vietnam", "Viet\u00adnam")
        .replace("agreement", "agree\u00adment")
        .replace("President ", "President\u200b ")
    )
    metro.write_text(hyphenated, encoding="utf-8")
    result = distinct([folder])
    assert [a.id for a in result.articles] == ["ap", "guardian", "newsweek", "reuters", "wsws"]
    (family,) = result.families
    assert (family.original.id, [a.outlet for a in family.copies]) == ("ap", ["Metro Daily"])
