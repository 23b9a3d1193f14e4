"""The evaluate command on a tiny invented cluster file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from multisum import evaluate
from multisum.cli import cli
from multisum.errors import InputError
from multisum.evaluation import paired_randomization, read_clusters

CLUSTERS = Path(__file__).parent / "fixtures" / "clusters.jsonl"


def test_read_clusters_builds_articles_with_outlets() -> None:
    clusters = read_clusters(CLUSTERS)
    assert [c.id for c in clusters] == ["harbour-bridge", "library-reopens"]
    radio = clusters[0].articles[2]
    assert radio.outlet == "radio-1" and not radio.outlet_known
    assert len(clusters[0].references) == 2


def test_read_clusters_reports_bad_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "docs": [], "references": ["r"]}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        read_clusters(bad)


def test_evaluate_scores_default_lead_and_oracle() -> None:
    result = evaluate(CLUSTERS, words=40)
    names = [r.name for r in result.results]
    assert names == ["multisum", "lead", "oracle"]
    rows = {r.name: r for r in result.results}
    assert rows["multisum"].p_values is None
    assert set(rows["lead"].p_values) == {"rouge_1", "rouge_2", "rouge_su4"}
    for row in result.results:
        assert 0.0 < row.rouge_1 <= 1.0
    # The oracle picks sentences against the references: it is the ceiling on ROUGE-2.
    assert rows["oracle"].rouge_2 >= max(r.rouge_2 for r in result.results)


def test_lead_takes_the_newest_dated_article() -> None:
    from multisum.evaluation import _lead

    cluster = read_clusters(CLUSTERS)[0]
    assert _lead(cluster, 5) == "A new bridge across the"


def test_cli_prints_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    arguments = ["evaluate", str(CLUSTERS), "-a", "lexrank", "--words", "40", "--json", str(out)]
    runner = CliRunner()
    first = runner.invoke(cli, arguments)
    assert first.exit_code == 0, first.output
    assert "multisum (default)" in first.output and "lexrank" in first.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in data["results"]] == ["multisum", "lexrank", "lead", "oracle"]
    second = runner.invoke(cli, arguments)
    scores = [{k: v for k, v in r.items() if k != "seconds"} for r in data["results"]]
    again = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert scores == [{k: v for k, v in r.items() if k != "seconds"} for r in again]
    assert second.exit_code == 0


def test_cli_rejects_unknown_algorithm() -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(CLUSTERS), "-a", "nope"])
    assert result.exit_code == 1
    assert "unknown algorithm 'nope'" in result.output


def test_paired_randomization() -> None:
    same = np.array([0.1, 0.2, 0.3])
    assert paired_randomization(same, same) == 1.0
    better = np.linspace(0.2, 0.4, 40)
    assert paired_randomization(better, better - 0.05) < 0.01
    assert paired_randomization(better, better - 0.05, seed=3) == paired_randomization(
        better, better - 0.05, seed=3
    )


def test_all_expands_to_every_registered_algorithm_default_first() -> None:
    from multisum.evaluation import algorithm_names
    from multisum.rankers import available_rankers

    names = algorithm_names(["all", "lexrank"])
    assert names[0] == "multisum"
    assert sorted(names) == sorted(r.name for r in available_rankers())


def test_table_lists_every_row() -> None:
    table = evaluate(CLUSTERS, algorithms=["textrank"], words=30).to_table()
    lines = table.splitlines()
    assert lines[0].startswith("| system")
    assert [line.split("|")[1].strip() for line in lines[2:]] == [
        "multisum (default)",
        "textrank",
        "lead",
        "oracle",
    ]


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2031-03-02T09:00:00", 2031),
        ("10/17/2030 05:50:00", 2030),
        ("2029-05-10", 2029),
        ("", None),
    ],
)
def test_dates_in_the_formats_the_data_uses(value: str, year: int | None) -> None:
    from multisum.evaluation import _parse_date

    parsed = _parse_date(value)
    assert (parsed.year if parsed else None) == year


@pytest.mark.parametrize(
    ("key", "value"), [("source", 5), ("title", ["a", "list"]), ("date", {"y": 2031})]
)
def test_a_field_that_is_not_text_is_one_line_naming_the_cluster_and_document(
    tmp_path: Path, key: str, value: object
) -> None:
    record = json.loads(CLUSTERS.read_text(encoding="utf-8").splitlines()[0])
    record["docs"][1][key] = value
    dataset = tmp_path / "odd.jsonl"
    dataset.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(dataset)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {dataset}, line 1 (cluster 'harbour-bridge'): document 2 ('courier-1'): "
        f'"{key}" must be a string, not {json.dumps(value)}'
    ]


def test_a_cluster_id_given_twice_is_refused(tmp_path: Path) -> None:
    """Scored twice, one cluster would count double in every mean and p-value."""
    lines = CLUSTERS.read_text(encoding="utf-8").splitlines()
    dataset = tmp_path / "twice.jsonl"
    dataset.write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_clusters(dataset)
    assert str(caught.value) == (
        f"{dataset}, line {len(lines) + 1}: cluster 'harbour-bridge' is already on line 1; each "
        "cluster must have its own id (scored once)"
    )


def test_the_scored_briefings_can_be_read_back() -> None:
    """``briefed`` sees each default briefing whose lines are scored, once per cluster."""
    briefings = []
    result = evaluate(CLUSTERS, algorithms=["textrank"], words=40, briefed=briefings.append)
    assert len(briefings) == result.clusters
    assert all(briefing.algorithm == "multisum" and briefing.lines for briefing in briefings)
