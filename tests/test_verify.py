import json

import pytest
from click.testing import CliRunner
from conftest import CORPUS, HOSTILE, ROOT

import multisum
from multisum.cli import cli
from multisum.errors import VerificationError
from multisum.verify import verify_briefing


def test_every_written_briefing_verifies(corpus_briefing, hostile_briefing):
    for briefing in (corpus_briefing, hostile_briefing):
        report = verify_briefing(json.loads(multisum.to_json(briefing)), base=ROOT)
        assert report.failures == ()
        assert report.checked >= len(briefing.lines) + len(briefing.quotes)


def test_a_line_edited_by_hand_fails_by_name(corpus_briefing):
    data = json.loads(multisum.to_json(corpus_briefing))
    line = data["sections"][0]["lines"][1]
    line["text"] = line["text"].replace(" ", "  ", 1)  # an edit as small as one space
    report = verify_briefing(data)
    assert len(report.failures) == 1
    assert report.failures[0].startswith("line 2 (")


def test_an_edited_quote_fails():
    data = json.loads(multisum.to_json(multisum.summarize(CORPUS, words=600)))
    data["quotes"][0]["text"] += " and more"
    report = verify_briefing(data)
    assert [f.split(":")[0] for f in report.failures] == ["quote 1"]


def test_cli_verify_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    out = tmp_path / "briefing.json"
    result = runner.invoke(cli, ["brief", str(CORPUS), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "verified" in result.output
    data = json.loads(out.read_text())
    data["sections"][0]["lines"][0]["text"] = "Invented."
    out.write_text(json.dumps(data))
    result = runner.invoke(cli, ["verify", str(out), str(CORPUS)])
    assert result.exit_code == 1
    assert "FAILED line 1" in result.output


def test_cli_verify_with_explicit_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "b.json"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["brief", str(HOSTILE), "--format", "json", "-o", str(out)]).exit_code
        == 0
    )
    result = runner.invoke(cli, ["verify", str(out), str(HOSTILE)])
    assert result.exit_code == 0, result.output


def test_not_a_briefing(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1
    assert "not a multisum JSON briefing" in result.output


# --- everything a briefing shows is checked (issue 11, item 7) -------------------------------


@pytest.fixture
def corpus_data(corpus_checks, monkeypatch):
    """The corpus briefing's JSON with every check's findings (before the body's bound keeps what
    fits), verified from the repository root as ``brief`` wrote it."""
    monkeypatch.chdir(ROOT)
    return json.loads(multisum.to_json(corpus_checks))


def numbered_lines(data):
    """(number as verify names it, section topic, line) for every line, in order."""
    lines = [(s["topic"], line) for s in data["sections"] for line in s["lines"]]
    return [(n, topic, line) for n, (topic, line) in enumerate(lines, start=1)]


def failures(data) -> list[str]:
    return list(verify_briefing(data).failures)


def test_the_untouched_briefing_checks_every_kind_of_claim(corpus_data):
    report = verify_briefing(corpus_data)
    assert report.failures == ()
    lines = sum(len(s["lines"]) for s in corpus_data["sections"])
    shown = (
        3 * lines  # text at its offsets, a whole sentence, and "N of M outlets"
        + sum(len(line["sources"]) - 1 for _, _, line in numbered_lines(corpus_data))
        + 2 * len(corpus_data["quotes"])  # text, and speaker
        + sum(len(d["figures"]) + 1 for d in corpus_data["disagreements"])
        + 2 * len(corpus_data["exclusives"])  # text, and "only in"
        + len(corpus_data["articles"])
        + 1  # the title
    )
    assert report.checked == shown


def test_a_changed_outlet_name_fails(corpus_data):
    corpus_data["articles"][2]["outlet"] = "Reuters"
    assert failures(corpus_data) == [
        "article 3 (newsweek): outlet 'Reuters', but the article is by 'Newsweek'"
    ]


def test_changed_titles_dates_and_links_fail(corpus_data):
    corpus_data["title"] = "Putin snubbed in Hanoi"
    corpus_data["articles"][0]["published"] = "2024-06-19"
    corpus_data["articles"][1]["url"] = "https://example.com/elsewhere"
    assert failures(corpus_data) == [
        "title: 'Putin snubbed in Hanoi' is not the headline of any of the articles",
        "article 1 (ap): published '2024-06-19', but the article says '2024-06-20'",
        "article 2 (guardian): url 'https://example.com/elsewhere', but the article says ''",
    ]


def test_a_changed_corroboration_count_fails(corpus_data):
    number, topic, line = next(
        entry
        for entry in numbered_lines(corpus_data)
        if "give Putin a platform" in entry[2]["text"]
    )
    assert (line["corroboration"]["count"], line["corroboration"]["of"]) == (4, 5)
    line["corroboration"]["count"] = 2
    (failure,) = failures(corpus_data)
    assert failure.startswith(f"line {number} ({topic}): says 2 of 5 outlets (")
    assert failure.endswith(
        "but its sources are 4 of 5 outlets (Newsweek, Associated Press, The Guardian, "
        "World Socialist Web Site)"
    )


def test_an_outlet_added_to_a_line_fails(corpus_data):
    number, topic, line = next(
        entry
        for entry in numbered_lines(corpus_data)
        if entry[2]["corroboration"]["outlets"] == ["Newsweek"]
    )
    line["corroboration"]["outlets"].append("Reuters")
    (failure,) = failures(corpus_data)
    assert failure.startswith(f"line {number} ({topic}): says 1 of 5 outlets (")


def _source_of(article, sentence):
    from multisum.model import text_hash

    text = article.text[sentence.start : sentence.end]
    return {
        "article": article.id,
        "start": sentence.start,
        "end": sentence.end,
        "sha256": text_hash(text),
        "sentence": sentence.index,
    }


def test_an_outlet_moved_or_added_to_a_line_must_state_its_fact(corpus_data):
    from multisum.pipeline import prepare_story
    from multisum.pipeline.ingest import read_articles

    entries = numbered_lines(corpus_data)
    number, topic, donor = next(e for e in entries if len(e[2]["sources"]) > 2)
    other_number, other_topic, receiver = next(
        e for e in entries if e[2] is not donor and len(e[2]["sources"]) == 1
    )
    moved = donor["sources"].pop()
    receiver["sources"].append(moved)
    # An unrelated Reuters sentence, with its correct offsets and hash, on the donor's line.
    story = prepare_story(read_articles([ROOT / "corpus" / "putin-vietnam-2024"]))
    reuters = story.article("reuters")
    unrelated = next(s for s in story.sentences if s.article == "reuters" and "sanctions" in s.text)
    donor["sources"] = [s for s in donor["sources"] if s["article"] != "reuters"]
    donor["sources"].append(_source_of(reuters, unrelated))
    for line in (donor, receiver):
        outlets = list(
            dict.fromkeys(
                next(a["outlet"] for a in corpus_data["articles"] if a["id"] == s["article"])
                for s in line["sources"]
            )
        )
        line["corroboration"].update(count=len(outlets), outlets=outlets)
    found = failures(corpus_data)
    assert any(
        f.startswith(f"line {other_number} ({other_topic}): ") and "does not state" in f
        for f in found
    )
    assert any(
        f.startswith(f"line {number} ({topic}): Reuters is named") and "does not state" in f
        for f in found
    )


def test_a_changed_quote_speaker_fails(corpus_data):
    quotes = corpus_data["quotes"]
    unnamed = next(n for n, q in enumerate(quotes, start=1) if q["speaker"] == "")
    assert quotes[0]["speaker"] == "the U.S. Embassy in Hanoi"
    quotes[0]["speaker"] = "Vladimir Putin"
    quotes[unnamed - 1]["speaker"] = "To Lam"
    assert failures(corpus_data) == [
        "quote 1: speaker 'Vladimir Putin', but the article names 'the U.S. Embassy in Hanoi'",
        f"quote {unnamed}: speaker 'To Lam', but the article names no speaker",
    ]


def test_a_changed_figure_fails(corpus_data):
    trade = corpus_data["disagreements"][0]
    assert trade["measure"] == "trade between Russia and Vietnam"
    trade["figures"][0]["figure"] = "$36 billion"
    trade["figures"][1]["value"] = 35e9
    trade["figures"][2]["year"] = 2022
    assert failures(corpus_data) == [
        "disagreement 1 (trade between Russia and Vietnam): figure 1 '$36 billion' is not a "
        "figure the article ap gives for it",
        "disagreement 1 (trade between Russia and Vietnam): figure 2 value 35000000000.0, but "
        "the text gives 3500000000.0",
        "disagreement 1 (trade between Russia and Vietnam): figure 3 year 2022, but the text "
        "gives 2023",
    ]


def test_changed_disagreement_labels_fail(corpus_data):
    trade = corpus_data["disagreements"][0]
    trade["label"] = "unit or rounding difference"
    trade["comparisons"][1]["label"] = "different scope"
    assert failures(corpus_data) == [
        "disagreement 1 (trade between Russia and Vietnam): labelled 'unit or rounding "
        "difference', but the figures make it 'conflict'",
        "disagreement 1 (trade between Russia and Vietnam): $3.6 billion vs $US5 billion "
        "labelled 'different scope', but the figures make it 'conflict'",
    ]


def test_an_invented_disagreement_fails(corpus_data):
    corpus_data["disagreements"][1]["measure"] = "arms imports"
    assert failures(corpus_data) == [
        "disagreement 2 (arms imports): the articles give no such disagreement"
    ]


def test_an_only_in_claim_that_other_outlets_report_fails(corpus_data):
    shared = corpus_data["sections"][0]["lines"][0]  # reported by 4 of 5 outlets
    corpus_data["exclusives"][0] = {"text": shared["text"], "source": shared["sources"][0]}
    (failure,) = failures(corpus_data)
    assert failure.startswith("only-in 1: not only in World Socialist Web Site: ")
    assert "reports it too" in failure


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (
            lambda d: d["sections"][0]["lines"][0]["sources"][0].pop("sha256"),
            "sections[0].lines[0].sources[0]: 'sha256' is a required property",
        ),
        (
            lambda d: d["sections"][0]["lines"][0].update(sources="ap"),
            "sections[0].lines[0].sources: 'ap' is not of type 'array'",
        ),
        (
            lambda d: d["quotes"][0].update(speaker=None),
            "quotes[0].speaker: None is not of type 'string'",
        ),
        (
            lambda d: d["disagreements"][0]["figures"][1].update(value="3.5bn"),
            "disagreements[0].figures[1].value: '3.5bn' is not of type 'number'",
        ),
        (lambda d: d["articles"].append(7), "articles[5]: 7 is not of type 'object'"),
        (lambda d: d.pop("sections"), "the top level: 'sections' is a required property"),
        (
            lambda d: d["exclusives"][0]["source"].update(start=-3),
            "exclusives[0].source.start: -3 is less than the minimum of 0",
        ),
    ],
)
def test_a_malformed_briefing_is_one_message_naming_where(corpus_data, mutate, where):
    mutate(corpus_data)
    with pytest.raises(VerificationError) as caught:
        verify_briefing(corpus_data, name="b.json")
    assert str(caught.value) == (
        f"b.json is not a multisum JSON briefing: {where} (its schema is docs/briefing.schema.json)"
    )


def test_offsets_beyond_the_article_are_failures_not_crashes(corpus_data):
    quote = corpus_data["quotes"][0]["sources"][0]
    quote["start"], quote["end"] = 10**9, 10**9 + 40
    only_in = corpus_data["exclusives"][0]["source"]
    only_in["end"] = 10**9
    found = failures(corpus_data)
    assert found[0] == (
        "quote 1: the text is not at characters 1000000000-1000000040 of ap: no country should "
        "give Putin a platform to promote his war of aggression and ot…"
    )
    assert found[1].startswith(
        f"only-in 1: the text is not at characters {only_in['start']}-1000000000 of "
        f"{only_in['article']}: {corpus_data['exclusives'][0]['text'][:40]}"
    )
    assert found[2:] == [
        "quote 1: not inside quotation marks in ap",
        f"only-in 1: not a sentence of {only_in['article']}",
    ]


def _shapes(value, path=()):
    """Every place in a JSON value, one per shape (list items stand for their siblings)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _shapes(item, (*path, key))
    elif isinstance(value, list) and value:
        yield from _shapes(value[0], (*path, 0))


def test_no_damage_to_a_briefing_makes_verify_crash(monkeypatch):
    """Deleting any key or giving it any other type is a report or one clear error, never a
    KeyError, TypeError or AttributeError."""
    import copy

    from multisum import verify

    monkeypatch.chdir(ROOT)
    from multisum.options import Options
    from multisum.pipeline import draft_briefing, prepare_story
    from multisum.pipeline.ingest import read_articles

    small = draft_briefing(  # every part, briefly
        prepare_story(read_articles([CORPUS])), Options(sentences=2, quotes=1, exclusives=1)
    )
    corpus_data = json.loads(multisum.to_json(small))
    assert all(corpus_data[key] for key in ("sections", "quotes", "exclusives", "disagreements"))
    articles = verify._reread(corpus_data, (), ROOT)  # the same for every damaged copy
    monkeypatch.setattr(verify, "_reread", lambda data, paths, base: articles)

    outcomes = set()
    for path in list(_shapes(corpus_data))[1:]:
        for replacement in (DELETE, None, -1, "x", {}, [None]):
            data = copy.deepcopy(corpus_data)
            parent = data
            for key in path[:-1]:
                parent = parent[key]
            if replacement is DELETE:
                del parent[path[-1]]
            else:
                parent[path[-1]] = replacement
            try:
                report = verify_briefing(data)
                outcomes.add("failures" if report.failures else "verified")
            except VerificationError:
                outcomes.add("refused")
    assert outcomes == {"failures", "verified", "refused"}


DELETE = object()


def test_cli_malformed_and_markdown_briefings_are_one_line(tmp_path, corpus_data):
    runner = CliRunner()
    path = tmp_path / "b.json"
    del corpus_data["quotes"][1]["sources"]
    path.write_text(json.dumps(corpus_data), encoding="utf-8")
    result = runner.invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"Error: {path} is not a multisum JSON briefing: quotes[1]: 'sources' is a required "
        "property (its schema is docs/briefing.schema.json)"
    ]
    markdown = tmp_path / "b.md"
    markdown.write_text(multisum.to_markdown(multisum.summarize(CORPUS)), encoding="utf-8")
    result = runner.invoke(cli, ["verify", str(markdown)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {markdown} is not a JSON briefing: verify reads the JSON a briefing is written "
        "as (multisum brief --format json)"
    ]


def test_the_published_schema_is_the_shipped_one():
    from multisum.verify import briefing_schema

    published = json.loads((ROOT / "docs" / "briefing.schema.json").read_text(encoding="utf-8"))
    assert published == briefing_schema(), "copy src/multisum/schemas/ to docs/"


# --- fragments and notes (issue 30, items 12 and 13) -----------------------------------------

FRAGMENT = "Russia is signaling that it is not isolated in Asia despite the Ukraine war"


def test_a_fragment_of_a_sentence_fails_as_a_line(corpus_data, monkeypatch):
    """Verbatim and with a correct hash, but cut before the sentence names who said it."""
    from multisum import verify
    from multisum.model import text_hash

    articles = verify._reread(corpus_data, (), ROOT)
    start = articles["ap"].text.index(FRAGMENT)
    number, topic, line = numbered_lines(corpus_data)[0]
    line["text"] = FRAGMENT
    line["sources"] = [
        {
            **line["sources"][0],
            "article": "ap",
            "start": start,
            "end": start + len(FRAGMENT),
            "sha256": text_hash(FRAGMENT),
        }
    ]
    line["corroboration"].update(count=1, outlets=["Associated Press"])
    (failure,) = failures(corpus_data)
    assert failure.startswith(
        f"line {number} ({topic}): a fragment, not a whole sentence of ap (characters "
        f"{start}-{start + len(FRAGMENT)} are part of its sentence at {start - 1}-"
    )
    assert failure.endswith(f"): {FRAGMENT}")


def test_a_line_spanning_two_sentences_fails(corpus_data):
    from multisum import verify
    from multisum.model import text_hash

    number, topic, line = numbered_lines(corpus_data)[0]
    source = line["sources"][0]
    text = verify._reread(corpus_data, (), ROOT)[source["article"]].text
    end = text.index(".", source["end"] + 2) + 1  # on into the next sentence
    line["text"] = text[source["start"] : end]
    source.update(end=end, sha256=text_hash(line["text"]))
    found = [f for f in failures(corpus_data) if "sentence" in f]
    assert found == [
        f"line {number} ({topic}): characters {source['start']}-{end} are not a sentence of "
        f"{source['article']}: {line['text'][:79]}…"
    ]


def test_notes_are_reported_as_not_verifiable(corpus_data, tmp_path):
    """An added note is not a verified claim: the report names it as not verifiable."""
    corpus_data["notes"] = ["Reuters has retracted its article"]
    report = verify_briefing(corpus_data)
    assert report.failures == ()
    assert report.unverified == (
        "note 1: not verifiable (verify does not re-derive notes): "
        "Reuters has retracted its article",
    )
    path = tmp_path / "b.json"
    path.write_text(json.dumps(corpus_data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 0
    assert (
        "multisum: NOT VERIFIED note 1: not verifiable (verify does not re-derive notes): "
        "Reuters has retracted its article"
    ) in result.output
    assert result.output.splitlines()[-1].endswith("articles; 1 note not verifiable (listed above)")


def test_text_from_an_edited_briefing_reaches_the_terminal_without_controls(corpus_data, tmp_path):
    """verify quotes the briefing's text in its messages: an escape sequence planted in a line or
    a note (a screen clear, a hidden link) is printed as plain text, never acted on."""
    corpus_data["sections"][0]["lines"][0]["text"] = "Invented\x1b[2J\x1b]8;;http://x\x07 text."
    corpus_data["notes"] = ["Retracted\x1b[31m in red\x00"]
    path = tmp_path / "b.json"
    path.write_text(json.dumps(corpus_data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x00" not in result.output
    assert "FAILED line 1" in result.output
    assert (
        "NOT VERIFIED note 1: not verifiable (verify does not re-derive notes): Retracted in red"
        in (result.output)
    )


def test_an_only_in_claim_another_outlet_states_in_other_words_fails(monkeypatch):
    # Written for this test: The Harbor Times' sentence on Tallow Marine and Renata Voss shares
    # few words with the Coastal Ledger's on Voss defending the dredging (tf-idf cosine under
    # 0.15, so the wording check lets it pass), but states its fact by the judgement that names
    # a line's outlets, so it is not "only in" The Harbor Times.
    from multisum.model import Citation
    from multisum.pipeline import prepare_story
    from multisum.pipeline.ingest import read_articles

    folder = ROOT / "tests" / "fixtures" / "only-in"
    monkeypatch.chdir(ROOT)
    data = json.loads(multisum.to_json(multisum.summarize([folder.relative_to(ROOT)])))
    story = prepare_story(read_articles([folder]))
    (sentence,) = [s for s in story.sentences if s.text.startswith("Engineers from Tallow")]
    citation = Citation.of(sentence)
    source = {
        "article": citation.article,
        "sentence": citation.sentence,
        "start": citation.start,
        "end": citation.end,
        "sha256": citation.sha256,
    }
    data["exclusives"] = [{"text": sentence.text, "source": source}]
    (failure,) = failures(data)
    assert failure.startswith(
        "only-in 1: not only in Harbor Times: Coastal Ledger states it in its own words "
        "(Renata Voss defended"
    ), failure
