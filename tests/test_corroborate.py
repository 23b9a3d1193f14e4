import multisum
from multisum.checks.corroboration import corroboration


def test_lines_count_their_outlets(corpus_briefing):
    counts = {
        line.text: corroboration(line, corpus_briefing.articles) for line in corpus_briefing.lines
    }
    embassy = next(c for text, c in counts.items() if "give Putin a platform" in text)
    assert (embassy.count, embassy.total) == (4, 5)
    assert any(c.single for c in counts.values())


def test_json_and_markdown_show_corroboration(corpus_briefing):
    data = multisum.to_dict(corpus_briefing)
    line = data["sections"][0]["lines"][0]
    assert set(line["corroboration"]) == {"count", "of", "outlets"}
    assert {"article", "sentence", "start", "end", "sha256"} <= set(line["sources"][0])
    markdown = multisum.to_markdown(corpus_briefing)
    assert "(4 of 5 outlets)" in markdown
    single = next(line for line in corpus_briefing.lines if len(line.sources) == 1)
    outlet = {a.id: a.label for a in corpus_briefing.articles}[single.sources[0].article]
    # A single outlet's line names it alone, with no count: the reader sees who said it.
    assert f"{single.text} — *{outlet}*\n" in markdown.replace("\\", "")
    for heading in ("## Disagreements", "## Sources", "### Coverage by topic"):
        assert heading in markdown


def test_a_larger_budget_has_room_for_only_in(corpus):
    markdown = multisum.to_markdown(multisum.summarize([corpus], words=600))
    assert "## Only in" in markdown
    assert "## Quotes" in markdown


def test_coverage_grid_follows_sections(corpus_briefing):
    assert [c.topic for c in corpus_briefing.coverage] == [
        s.topic for s in corpus_briefing.sections
    ]
    assert all(len(c.counts) == len(corpus_briefing.articles) for c in corpus_briefing.coverage)
