"""The digest on Dask: the same bytes embedded, on a local cluster and on a scheduler on loopback.

The loopback cluster is what docs/cluster.md tells an operator to start (`dask scheduler`,
`dask worker`), so this file keeps that recipe true.
"""

from __future__ import annotations

import json
import operator
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

import multisum.digests.execution as execution
from multisum import digest
from multisum.cli import cli
from multisum.digests.execution import DaskRunner, Failed, graphs
from multisum.digests.state import State
from multisum.errors import ClusterError

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
DIGEST = FIXTURES / "digest"
SEED = ROOT / "corpus" / "putin-vietnam-2024"
DAY = "2026-11-20"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Ten stories, five of them briefed, and twelve skips: the seed corpus (five outlets), the
    digest fixtures' three days (a strike, talks, a fire, wire copies, bad and faulty input) and
    the two clusters of tests/fixtures/clusters.jsonl as JSON lines."""
    folder = tmp_path_factory.mktemp("input")
    lines = folder / "clusters.jsonl"
    with lines.open("w", encoding="utf-8") as file:
        for cluster in (FIXTURES / "clusters.jsonl").read_text(encoding="utf-8").splitlines():
            for article in json.loads(cluster)["docs"]:
                file.write(json.dumps(article) + "\n")
    days = [DIGEST / name for name in ("day1", "day2", "day3", "bad", "faults")]
    return [str(ROOT / "corpus" / "putin-vietnam-2024"), *map(str, days), str(lines)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory):
    """`dask scheduler` and two one-thread `dask worker` processes on loopback, as in the recipe."""
    folder = tmp_path_factory.mktemp("cluster")
    address = f"tcp://127.0.0.1:{_free_port()}"
    # one retry of a task whose worker died, not three: the failure test stays quick; no log of
    # the messages sent, as the recipe says
    env = {
        **os.environ,
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
        "DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH": "0",
    }
    port = address.rsplit(":", 1)[1]

    def scratch(number: int) -> list[str]:
        return ["--local-directory", str(folder / f"worker-{number}")]

    dask = [sys.executable, "-m", "dask"]
    started = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    started += [
        subprocess.Popen(
            [*dask, "worker", address, "--nthreads", "1", "--no-dashboard", *scratch(n)],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    try:
        with distributed.Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _outputs(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def _cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "multisum", "digest", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_digest_is_the_same_bytes_embedded_on_workers_and_on_a_scheduler(
    tmp_path, sources, scheduler
):
    embedded = digest(
        sources, state=tmp_path / "s0", out=tmp_path / "o0", date=DAY, formats=("json", "markdown")
    )
    assert sum(story.briefing is not None for story in embedded.stories) == 5
    assert len(embedded.stories) >= 8 and len(embedded.skipped) >= 10
    expected = _outputs(tmp_path / "o0")
    assert sorted(expected) == [f"{DAY}.json", f"{DAY}.md"]

    digest(
        sources,
        state=tmp_path / "s1",
        out=tmp_path / "o1",
        date=DAY,
        formats=("json", "markdown"),
        workers=1,
    )
    assert _outputs(tmp_path / "o1") == expected
    for name, option in (("o2", ["--workers", "2"]), ("o3", ["--scheduler", scheduler])):
        shared = ["--date", DAY, "--format", "json", "--format", "markdown"]
        state = ["--state", str(tmp_path / f"state-{name}"), "--out", str(tmp_path / name)]
        done = _cli(*sources, *state, *shared, *option)
        assert done.returncode == 0, done.stderr
        assert _outputs(tmp_path / name) == expected, option


def test_one_failing_task_costs_its_item_only(scheduler):
    """A batch that fails is tried again item by item: a task that raises, and one whose worker
    dies, fail alone, in their place; the rest come back in order."""
    runner = DaskRunner(scheduler=scheduler)
    seen: list[tuple[str, int, int]] = []
    try:
        raising = [partial(int, "1"), partial(int, "2"), partial(int, "three"), partial(int, "4")]
        results = runner.map(
            operator.call, raising, stage="articles", report=lambda *a: seen.append(a), batch=3
        )
        assert results[:2] == [1, 2] and results[3] == 4
        assert isinstance(results[2], Failed) and "ValueError" in results[2].reason
        assert seen[-1] == ("articles", 4, 4)
        dying = [partial(int, "5"), partial(os._exit, 3), partial(int, "7")]
        results = runner.map(operator.call, dying, stage="articles", report=print, batch=3)
        assert results[0] == 5 and results[2] == 7
        assert isinstance(results[1], Failed) and "the worker running it died" in results[1].reason
    finally:
        runner.close()


def test_graphs_sent_to_the_scheduler_are_bounded_in_items_and_in_text(scheduler, monkeypatch):
    """Tasks carry their items, so a graph of many large stories is tens of MB; graphs are cut by
    the items' text as well as their count, keep the sending order, and a result is unchanged."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.md"))] * 20
    sizes = [len(text) for text in texts]
    monkeypatch.setattr(execution, "TEXT_PER_GRAPH", 3 * max(sizes))
    monkeypatch.setattr(execution, "ITEMS_PER_GRAPH", 12)
    starts = sorted(range(0, len(texts), 2), key=lambda s: -sum(sizes[s : s + 2]))
    weight = {s: sum(sizes[s : s + 2]) for s in starts}
    cut = graphs(starts, 2, weight)
    assert [start for graph in cut for start in graph] == starts
    assert all(sum(weight[s] for s in graph) <= 3 * max(sizes) for graph in cut)
    assert all(2 * len(graph) <= 12 for graph in cut) and len(cut) > len(texts) // 12
    unsized = graphs(starts, 2, dict.fromkeys(starts, 0))
    assert unsized == [starts[n : n + 6] for n in range(0, len(starts), 6)]
    runner = DaskRunner(scheduler=scheduler)
    try:
        counted = runner.map(len, texts, stage="articles", report=print, batch=2, sizes=sizes)
    finally:
        runner.close()
    assert counted == sizes


def test_the_cluster_holds_a_few_graphs_at_a_time_not_the_whole_day(scheduler, monkeypatch):
    """Tasks carry their items' text: a graph goes out as an earlier one comes back, so what the
    scheduler holds is bounded by the graphs in flight, not by the day's articles."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.md"))] * 8
    monkeypatch.setattr(execution, "ITEMS_PER_GRAPH", 4)
    watcher = distributed.Client(scheduler, timeout=60, set_as_default=False)
    held: list[int] = []

    def report(stage: str, done: int, total: int) -> None:
        held.append(watcher.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)))

    runner = DaskRunner(scheduler=scheduler)
    try:
        counted = runner.map(
            len, texts, stage="stories", report=report, sizes=list(map(len, texts))
        )
    finally:
        runner.close()
        watcher.close()
    assert counted == [len(text) for text in texts]
    assert len(held) == len(texts) == 40
    assert max(held) <= execution.GRAPHS_IN_FLIGHT * 4 + 4  # a few just released may linger


def test_the_client_keeps_no_copy_of_the_items_it_sent(monkeypatch):
    """Dask logs the last thousand messages of every connection for debugging; a message that
    sends tasks carries their items, so the client (and a local cluster's scheduler inside it)
    kept every article it sent out. The runner turns that log off while it runs, and back on."""
    import gc

    import dask

    logged = dask.config.get("distributed.admin.low-level-log-length")
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.md"))]
    mark = "\n(sent to a worker)"

    def kept() -> int:
        """Live lists holding a sent item: the chunks a task carried, as Dask unpacked them."""
        gc.collect()
        return sum(
            1
            for found in gc.get_objects()
            if type(found) is list  # exactly: some list subclasses warn when indexed
            and found
            and isinstance(found[0], str)
            and found[0].endswith(mark)
        )

    runner = DaskRunner(workers=1)
    try:
        items = [f"{text}{mark}" for text in texts * 8]
        counted = runner.map(len, items, stage="stories", report=lambda *a: None, batch=2)
        assert counted == [len(item) for item in items]
        del items
        deadline = time.monotonic() + 20  # the scheduler forgets the last tasks a moment later
        while kept() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert kept() == 0
        assert dask.config.get("distributed.admin.low-level-log-length") == 0
    finally:
        runner.close()
    assert dask.config.get("distributed.admin.low-level-log-length") == logged


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="malloc_trim is glibc's: elsewhere the call does nothing, by design",
)
def test_free_heap_pages_go_back_to_the_system_before_briefing():
    """Grouping frees far more than it keeps, in small blocks that glibc keeps in its heap; the
    digest hands them back before the workers brief. 150 MB of 4-KB blocks, every 64th kept
    (of which about 100 MB came back here)."""
    import psutil

    me = psutil.Process()
    blocks = [bytes(4096) for _ in range(36_000)]
    kept = blocks[::64]
    del blocks
    before = me.memory_info().rss
    execution.return_free_memory()
    after = me.memory_info().rss
    assert len(kept) == 563
    assert before - after > 60_000_000  # without the call: nothing


def test_a_client_killed_mid_run_loses_nothing_and_leaves_no_workers(tmp_path, sources):
    script = textwrap.dedent(
        f"""
        import json, os, signal
        import psutil
        from multisum import digest

        def kill(stage, done, total):
            if stage == "stories" and done == 1:
                workers = [p.pid for p in psutil.Process().children(recursive=True)]
                open({str(tmp_path / "workers.json")!r}, "w").write(json.dumps(workers))
                os.kill(os.getpid(), signal.SIGKILL)

        digest({sources!r}, state={str(tmp_path / "state")!r}, out={str(tmp_path / "out")!r},
               date={DAY!r}, formats=("json",), workers=1, progress=kill)
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    workers = json.loads((tmp_path / "workers.json").read_text())
    assert workers  # the local cluster's processes, which must not outlive their client
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)

    again = digest(
        sources,
        state=tmp_path / "state",
        out=tmp_path / "again",
        date=DAY,
        formats=("json",),
        workers=1,
    )
    fresh = digest(
        sources, state=tmp_path / "fresh", out=tmp_path / "fresh-out", date=DAY, formats=("json",)
    )
    assert [s.title for s in again.stories] == [s.title for s in fresh.stories]
    assert again.new == fresh.new
    with State(tmp_path / "state") as state:
        assert [r["status"] for r in state.runs()][:2] == ["interrupted", "ok"]


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_without_dask_workers_is_a_usage_error_naming_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    result = CliRunner().invoke(
        cli, ["digest", str(DIGEST / "day1"), "--state", str(tmp_path / "s"), "--workers", "2"]
    )
    assert result.exit_code == 2
    assert "pip install 'multisum[dask]'" in result.output
    assert not (tmp_path / "s").exists()  # refused before anything was read or written


def test_an_unreachable_scheduler_is_named_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "CONNECT_SECONDS", 1.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(
        cli,
        ["digest", str(DIGEST / "day1"), "--state", str(tmp_path / "s"), "--scheduler", address],
    )
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at {address}" in result.output
    assert "dask scheduler" in result.output
    with pytest.raises(ClusterError):
        digest([str(DIGEST / "day1")], state=tmp_path / "s2", out=tmp_path / "o", scheduler=address)


def test_workers_and_scheduler_together_are_refused(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["digest", str(DIGEST / "day1"), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
    )
    assert result.exit_code == 2
    assert "not both" in result.output


def test_the_embedded_digest_never_imports_dask(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from multisum import digest

        digest([{str(DIGEST / "day1")!r}], state={str(tmp_path / "s")!r},
               out={str(tmp_path / "o")!r}, date={DAY!r})
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
        assert not loaded, loaded
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_cluster_recipe_names_what_these_tests_start():
    """docs/cluster.md tells an operator to start what the loopback fixture starts."""
    recipe = (ROOT / "docs" / "cluster.md").read_text(encoding="utf-8")
    commands = ("dask scheduler --host", "dask worker tcp://", "--nthreads 1", "--scheduler")
    for command in (*commands, "DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH=0 dask scheduler"):
        assert command in recipe
    assert "pip install 'multisum[dask]" in recipe


def test_the_workers_are_stopped_before_the_digest_is_rendered(tmp_path, sources, monkeypatch):
    """Rendering and committing need no worker: the cluster a run started is gone by then, so
    its workers' memory does not add to the client's largest moment (the rendered files)."""
    import psutil

    import multisum.digests as digests

    def spawned() -> set[int]:  # processes started by multiprocessing's spawn: nanny, worker
        found = set()
        for process in psutil.Process().children(recursive=True):
            try:
                if "spawn_main" in " ".join(process.cmdline()):
                    found.add(process.pid)
            except psutil.Error:  # gone meanwhile
                pass
        return found

    others = spawned()  # another test's cluster, still up: not this run's

    def workers() -> list[int]:
        return sorted(spawned() - others)

    seen = {}

    def watching(name: str, function):
        def call(*args, **kwargs):
            seen.setdefault(name, workers())
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(digests, "_brief_groups", watching("brief", digests._brief_groups))
    monkeypatch.setattr(digests, "encode_digest", watching("render", digests.encode_digest))
    result = digest(sources, state=tmp_path / "state", out=tmp_path / "out", date=DAY, workers=1)
    assert sum(story.briefing is not None for story in result.stories) == 5
    assert len(seen["brief"]) >= 1  # the check sees the cluster's processes while they work
    assert seen["render"] == []
