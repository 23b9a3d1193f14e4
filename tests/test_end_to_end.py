"""The whole pipeline on the bundled corpus: what the default briefing must show."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import multisum
from multisum.pipeline.clean import clean_article
from multisum.pipeline.ingest import read_articles
from multisum.pipeline.sentences import split_sentences

BOILERPLATE = re.compile(
    r"cookie|traceurs|subscribe|newsletter|print friendly|translate|getty images|photo:|"
    r"disclaimer|contact|comments|@|reposting|file image",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def briefing():
    from conftest import CORPUS

    return multisum.summarize([CORPUS])


@pytest.fixture(scope="module")
def sentences_by_article():
    from conftest import CORPUS

    articles = [clean_article(a) for a in read_articles([CORPUS])]
    found = {}
    for sentence in split_sentences(articles):
        found[(sentence.article, sentence.index)] = sentence.text
    return {a.id: a for a in articles}, found


def test_budget_sections_and_corroboration(briefing):
    lines = briefing.lines
    assert sum(len(line.text.split()) for line in lines) <= 250
    assert len(briefing.sections) >= 3
    corroborated = [line for line in lines if len({s.article for s in line.sources}) >= 2]
    assert len(corroborated) >= 3


def test_every_line_is_the_exact_sentence_of_its_first_source(briefing, sentences_by_article):
    articles, sentences = sentences_by_article
    for line in briefing.lines:
        first = line.sources[0]
        assert sentences[(first.article, first.sentence)] == line.text
        assert line.text in articles[first.article].text


def test_every_line_is_in_the_raw_article_too(briefing, sentences_by_article):
    """Cleaning only removes text: each line is in the file as captured (modulo line breaks)."""
    articles, _ = sentences_by_article
    for line in briefing.lines:
        raw = read_articles([articles[line.sources[0].article].path])[0].text
        flat = " ".join(raw.replace("\\$", "$").replace("*", "").split())
        assert line.text in flat


def test_other_outlets_of_a_line_report_the_same_fact(briefing, sentences_by_article):
    from multisum.text import content_terms

    _, sentences = sentences_by_article
    for line in briefing.lines:
        terms = set(content_terms(line.text))
        for source in line.sources[1:]:
            other = sentences[(source.article, source.sentence)]
            assert len(terms & set(content_terms(other))) >= 4, (line.text, other)


def test_no_boilerplate_headline_or_repetition(briefing):
    titles = {a.title for a in briefing.articles}
    texts = [line.text for line in briefing.lines]
    assert len(texts) == len(set(texts))
    for text in texts:
        assert not BOILERPLATE.search(text), text
        assert text not in titles
    for section in briefing.sections:
        assert 1 <= len(section.topic.split()) <= 8


#: OpenBLAS picks a CPU kernel at start-up; these force the kernels of older and newer CPUs, so a
#: decision that hangs on floating-point summation order shows up as a different briefing.
CORE_TYPES = ("", "Prescott", "Nehalem", "Sandybridge", "Haswell")

_RENDER_ALL = (
    "import sys, multisum; b = multisum.summarize([sys.argv[1]]); "
    "sys.stdout.write(multisum.to_markdown(b) + multisum.to_json(b) + multisum.to_html(b))"
)


def test_the_briefing_is_byte_identical_in_other_processes_and_blas_kernels():
    """Markdown, JSON and HTML of the bundled briefing, each in a fresh process under another
    OpenBLAS kernel: the output must not depend on the machine that writes it."""
    import os

    from conftest import CORPUS

    outputs = {}
    for core_type in CORE_TYPES:
        environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
        if core_type:
            environment["OPENBLAS_CORETYPE"] = core_type
        command = [sys.executable, "-c", _RENDER_ALL, str(CORPUS)]
        outputs[core_type or "default"] = subprocess.run(
            command, check=True, capture_output=True, env=environment
        ).stdout
    reference = outputs["default"]
    assert reference.startswith(b"# ") and b'"sections": [' in reference and b"<html" in reference
    assert {name for name, output in outputs.items() if output != reference} == set()


def test_the_whole_pipeline_runs_with_the_network_blocked(no_network, corpus):
    briefing = multisum.summarize([corpus], algorithm="lexrank", words=120)
    assert briefing.lines
    assert multisum.to_markdown(briefing).startswith("# ")


@pytest.mark.parametrize("algorithm", ["multisum", "textrank", "lsa", "luhn", "sumbasic", "random"])
def test_each_algorithm_gives_a_briefing_within_budget(corpus, algorithm):
    briefing = multisum.summarize([corpus], algorithm=algorithm, words=100)
    assert 0 < sum(len(line.text.split()) for line in briefing.lines) <= 100


def test_sentence_budget_and_topic_override(corpus):
    briefing = multisum.summarize([corpus], sentences=4, topics=2)
    assert len(briefing.lines) == 4
    assert len(briefing.sections) <= 2


def test_articles_can_be_passed_as_objects():
    articles = [
        multisum.Article(
            "a", "Putin arrived in Hanoi on Thursday for a two-day state visit.", "AP"
        ),
        multisum.Article(
            "b",
            "Russian President Putin arrived in Hanoi on Thursday for a state visit.",
            "Reuters",
        ),
        multisum.Article(
            "c", "Vietnam and Russia signed eleven agreements on energy and education.", "AFP"
        ),
    ]
    briefing = multisum.summarize(articles, words=40)
    assert {s.article for line in briefing.lines for s in line.sources} >= {"a", "b"}
