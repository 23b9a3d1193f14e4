import json

from click.testing import CliRunner
from conftest import CORPUS, HOSTILE, ROOT

import multisum
from multisum.cli import cli
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


def test_an_edited_quote_fails(corpus_briefing):
    data = json.loads(multisum.to_json(corpus_briefing))
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
