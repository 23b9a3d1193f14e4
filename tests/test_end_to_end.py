"""The whole pipeline on the bundled corpus: what the default briefing must show."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import multisum
from multisum.options import BODY_RATIO
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
    """Corroboration counts in what a line covers, not as a bonus for near-copies (a bonus of
    5 reports per outlet cost 0.19 ROUGE-2 on DUC 2006): the fact four outlets report alike is
    a line, with all four named."""
    lines = briefing.lines
    assert sum(len(line.text.split()) for line in lines) <= 250
    assert len(briefing.sections) >= 3
    embassy = next(line for line in lines if "give Putin a platform" in line.text)
    assert {s.article for s in embassy.sources} == {"ap", "guardian", "newsweek", "wsws"}


def test_the_first_line_states_the_visit(briefing):
    first = briefing.sections[0].lines[0].text
    assert all(word in first for word in ("Putin", "Vietnam", "visit"))


def _body_words(markdown: str) -> int:
    """Words (tokens with a letter or digit) of everything above the source list."""
    body = markdown.split("\n## Sources")[0]
    return sum(1 for token in body.split() if any(c.isalnum() for c in token))


@pytest.mark.parametrize("words", [100, 250, 400])
def test_the_whole_body_stays_within_its_bound(corpus, words):
    briefing = multisum.summarize([corpus], words=words)
    assert sum(len(line.text.split()) for line in briefing.lines) <= words
    assert _body_words(multisum.to_markdown(briefing)) <= round(BODY_RATIO * words)


def test_nothing_is_said_twice_and_the_checks_add_to_the_lines(briefing, corpus):
    markdown = multisum.to_markdown(briefing)
    assert _body_words(markdown) <= round(BODY_RATIO * 250)
    shown = [(c.article, c.start, c.end) for line in briefing.lines for c in line.sources]
    shown += [(e.citation.article, e.citation.start, e.citation.end) for e in briefing.exclusives]
    assert len(shown) == len(set(shown))
    for quote in briefing.quotes:  # no quotation printed again below the line that holds it
        for citation in quote.citations:
            assert not any(
                article == citation.article and start <= citation.start < end
                for article, start, end in shown
            )
    # the lines' outlet names leave the default budget room for an "only in" fact, not a quote
    assert briefing.quotes or briefing.exclusives, "at least one check adds to the lines"
    # ... nor one whose sentence repeats a line, as selection judges repeats
    from multisum.pipeline import prepare_story
    from multisum.pipeline.dedupe import similarity_matrix
    from multisum.pipeline.selection import REDUNDANT

    story = prepare_story(read_articles([corpus]))
    similarity = similarity_matrix(story)
    where = {(s.article, s.index): k for k, s in enumerate(story.sentences)}
    lines = [where[(line.sources[0].article, line.sources[0].sentence)] for line in briefing.lines]
    for item in [c for q in briefing.quotes for c in q.citations] + [
        e.citation for e in briefing.exclusives
    ]:
        (k,) = [
            k
            for k, s in enumerate(story.sentences)
            if s.article == item.article and s.start <= item.start < s.end
        ]
        assert all(similarity[k, line] < REDUNDANT for line in lines)
    trade = next(d for d in briefing.disagreements if d.measure.startswith("trade between"))
    assert {f.citation.article for f in trade.figures} == {"ap", "guardian", "wsws"}
    assert "$3.6 billion in 2023 *Associated Press*" in markdown.replace("\\", "")


def test_only_in_facts_are_in_one_outlet_only(corpus):
    """With room for "only in", no fact is listed as exclusive to two outlets (the Nhan Dan op-ed
    was, once: AP's and the Guardian's wordings of it are alike enough to tell)."""
    from multisum.checks.exclusives import UNREPORTED
    from multisum.pipeline import prepare_story
    from multisum.pipeline.dedupe import similarity_matrix

    briefing = multisum.summarize([corpus], words=600)
    assert briefing.exclusives
    story = prepare_story(read_articles([corpus]))
    similarity = similarity_matrix(story)
    outlet = {a.id: a.outlet for a in story.articles}
    for exclusive in briefing.exclusives:
        at = next(
            k
            for k, s in enumerate(story.sentences)
            if (s.article, s.index) == (exclusive.citation.article, exclusive.citation.sentence)
        )
        others = [
            k
            for k, s in enumerate(story.sentences)
            if outlet[s.article] != outlet[exclusive.citation.article]
        ]
        assert similarity[at, others].max() < UNREPORTED
    assert sum("Nhan Dan" in e.text for e in briefing.exclusives) <= 1


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
    from multisum.pipeline.dedupe import _folded
    from multisum.text import content_terms

    _, sentences = sentences_by_article
    for line in briefing.lines:
        terms = {
            _folded(t) for t in content_terms(line.text)
        }  # "Lâm ... defense" is "Lam ... defence"
        for source in line.sources[1:]:
            other = sentences[(source.article, source.sentence)]
            assert len(terms & {_folded(t) for t in content_terms(other)}) >= 4, (line.text, other)


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
