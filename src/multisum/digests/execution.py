"""Where a digest's per-article and per-story work runs: in this process, or on a Dask cluster.

Only work that needs nothing but its input is sent out: preparing each article (cleaning, the
check that it is usable) and briefing each story. Reading sources, grouping (one sequential pass)
and the state stay on the client, and results come back in the order of their inputs, so the
digest is the same whatever ran the tasks. The embedded runner needs no cluster and never imports
Dask; ``--workers`` and ``--scheduler`` import it when the run starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from multisum.errors import ClusterError, MissingExtraOptionError

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

Item = TypeVar("Item")
Result = TypeVar("Result")

#: ``progress(stage, done, total)``: called as sources are read, articles prepared, stories briefed.
Progress = Callable[[str, int, int], None]

#: Seconds to wait for a scheduler to answer, and for a cluster to have one worker.
CONNECT_SECONDS = 30.0
#: Tasks that take milliseconds (an article's cleaning) go to a worker this many at a time, so the
#: scheduler's cost per task does not outweigh the work.
SMALL_TASKS_PER_BATCH = 64
#: Items sent to the scheduler in one graph, and characters of their text (``sizes``) in one graph:
#: the tasks carry their items, and a graph of tens of MB is slow to send and makes Dask warn (a
#: count alone was not enough: the 256 largest stories of a 10,000-article day made 24 MB).
ITEMS_PER_GRAPH = 256
TEXT_PER_GRAPH = 2_000_000
#: Graphs sent and not yet back: the next goes out as one comes back, so the scheduler and the
#: workers hold a few graphs' text at a time, not a firehose day's (two keep every worker busy
#: while the other's last tasks finish).
GRAPHS_IN_FLIGHT = 2
#: Dask keeps its last thousand messages on every connection, with its transitions and events,
#: for debugging (``distributed.admin.low-level-log-length``). A message that sends tasks carries
#: their items, so the client (and the scheduler a local cluster runs inside it) kept the articles
#: of up to a thousand such messages to each worker (a map of 20,000 items of 5 KB: 100 MB each
#: time): the runner keeps no such log.
DASK_CONFIG = {"distributed.admin.low-level-log-length": 0}


def return_free_memory() -> None:
    """Give the pages the C heap holds free back to the system (glibc's ``malloc_trim``; on
    other C libraries, nothing).

    Making a firehose day's story vectors and grouping it allocate and free hundreds of MB in
    small blocks; glibc keeps freed blocks inside its heap for reuse, so the client would keep
    grouping's peak through the whole briefing, while the workers hold theirs beside it.
    """
    import ctypes

    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


@dataclass(frozen=True, slots=True)
class Failed:
    """A task that could not run at all: its worker died, or the cluster lost it. The item it was
    for becomes a named skip (an article) or a note (a story), as a failure inside it would."""

    reason: str


class Runner(Protocol):
    def map(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        stage: str,
        report: Progress,
        batch: int = 1,
        sizes: Sequence[int] | None = None,
    ) -> list[Result | Failed]:
        """``function`` of each item, in the order of ``items``; ``report(stage, done, total)``
        as items finish. ``sizes`` (an estimate of each item's work) lets a cluster start the
        largest first; ``batch`` items go to a worker at a time."""
        ...

    def close(self) -> None:
        """Stop what the runner started (a local cluster's workers); closing twice is harmless."""
        ...


class LocalRunner:
    """The embedded default: every task in this process, one after another."""

    def map(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        stage: str,
        report: Progress,
        batch: int = 1,
        sizes: Sequence[int] | None = None,
    ) -> list[Result | Failed]:
        results: list[Result | Failed] = []
        for done, item in enumerate(items, start=1):
            results.append(function(item))
            report(stage, done, len(items))
        return results

    def close(self) -> None:
        pass


class DaskRunner:
    """Tasks on a Dask cluster: a local one of ``workers`` processes, or the one at ``scheduler``.

    The cluster is reached on the first task, so a run with nothing new starts none.
    """

    def __init__(self, *, workers: int = 0, scheduler: str = "") -> None:
        self._workers = workers
        self._scheduler = scheduler
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None
        self._config: Any = None  # DASK_CONFIG while the runner is connected

    def map(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        stage: str,
        report: Progress,
        batch: int = 1,
        sizes: Sequence[int] | None = None,
    ) -> list[Result | Failed]:
        from distributed import as_completed

        if not items:
            return []
        client = self._connect()
        starts = list(range(0, len(items), batch))
        weight = {s: sum(sizes[s : s + batch]) if sizes is not None else 0 for s in starts}
        if sizes is not None:  # largest first, so no long task is left to run alone at the end
            starts.sort(key=lambda s: (-weight[s], s))
        waiting = enumerate(graphs(starts, batch, weight))
        running = as_completed(loop=client.loop)
        placed: dict[str, tuple[int, int]] = {}  # future key: first item of its chunk, its graph
        left: dict[int, int] = {}  # tasks of each graph in flight not yet back

        def send() -> None:
            """Send the next graph, if any; its items' text goes to the cluster only now."""
            number, graph = next(waiting, (-1, []))
            if not graph:
                return
            sent = client.map(
                _apply, [list(items[s : s + batch]) for s in graph], function=function, pure=False
            )
            left[number] = len(sent)
            for future, start in zip(sent, graph):
                placed[future.key] = (start, number)
                running.add(future)

        for _ in range(GRAPHS_IN_FLIGHT):
            send()
        results: dict[int, list[Result | Failed]] = {}
        done = 0
        for future in running:
            start, number = placed.pop(future.key)
            chunk = items[start : start + batch]
            try:
                results[start] = future.result()
            except Exception as error:  # the task's worker died or the cluster lost it
                self._check_connected(error)
                results[start] = self._one_by_one(function, list(chunk), error)
            future.release()
            left[number] -= 1
            if not left[number]:  # a graph is back: the next one goes out
                del left[number]
                return_free_memory()  # the messages that brought it back
                send()
            done += len(chunk)
            report(stage, done, len(items))
        return [result for start in sorted(results) for result in results[start]]

    def _one_by_one(
        self, function: Callable[[Item], Result], chunk: list[Item], error: Exception
    ) -> list[Result | Failed]:
        """A batch that failed as a whole, again item by item and one at a time, so an item
        that kills its worker cannot take the others down with it: only the item at fault fails."""
        if len(chunk) == 1:
            return [Failed(_task_failure(error))]
        client = self._connect()
        outcomes: list[Result | Failed] = []
        for item in chunk:
            try:
                outcomes.extend(
                    client.submit(_apply, [item], function=function, pure=False).result()
                )
            except Exception as failure:
                self._check_connected(failure)
                outcomes.append(Failed(_task_failure(failure)))
        return outcomes

    def _check_connected(self, error: Exception) -> None:
        if self._client is None or self._client.status != "running":
            raise ClusterError(
                f"lost the Dask cluster during the run ({type(error).__name__}: {error}); "
                "nothing of this run was committed: run the digest again"
            ) from error

    def _connect(self) -> Client:
        if self._client is not None:
            return self._client
        import dask
        from distributed import Client, LocalCluster

        if self._config is None:  # for the runner's life: a worker that restarts connects anew
            self._config = dask.config.set(DASK_CONFIG)
        if self._scheduler:
            try:
                self._client = Client(
                    self._scheduler, timeout=CONNECT_SECONDS, set_as_default=False
                )
            except (OSError, TimeoutError, ValueError) as error:
                raise ClusterError(
                    f"cannot reach the Dask scheduler at {self._scheduler} ({error}); start one "
                    "with `dask scheduler` or check the address"
                ) from None
        else:
            try:
                self._cluster = LocalCluster(
                    n_workers=self._workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    # no dashboard; its small HTTP server on any free loopback port, not 8787
                    dashboard_address="127.0.0.1:0",
                    scheduler_kwargs={"dashboard": False},
                    silence_logs=logging.ERROR,
                )
            except RuntimeError as error:  # a worker process that could not start
                raise ClusterError(
                    f"could not start a local Dask cluster of {self._workers} worker(s) ({error}); "
                    "a script that calls digest(workers=...) must do so under "
                    '`if __name__ == "__main__":`, as worker processes import it again'
                ) from None
            self._client = Client(self._cluster, set_as_default=False)
        self._check_workers(self._client)
        return self._client

    def _check_workers(self, client: Client) -> None:
        """Wait for a worker; refuse workers that run another multisum than this client."""
        from importlib.metadata import version

        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            raise ClusterError(
                f"the Dask cluster at {self._scheduler} has no workers after "
                f"{CONNECT_SECONDS:g} s; start some with `dask worker {self._scheduler}`"
            ) from None
        mine = version("multisum")
        try:  # a stdlib function, which a worker without multisum can still run
            theirs = client.run(version, "multisum")
        except Exception as error:  # the worker's own error, e.g. PackageNotFoundError
            raise ClusterError(
                f"Dask workers must run multisum {mine}, as this client does, but cannot "
                f"({type(error).__name__}: {error}); install the same version on every worker"
            ) from None
        wrong = sorted(f"{address} ({found})" for address, found in theirs.items() if found != mine)
        if wrong:
            raise ClusterError(
                f"Dask workers must run multisum {mine}, as this client does: "
                f"{', '.join(wrong)}; install the same version on every worker"
            )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._config is not None:
            self._config.__exit__(None, None, None)
            self._config = None


def graphs(starts: Sequence[int], batch: int, weight: Mapping[int, int]) -> list[list[int]]:
    """``starts`` (chunks of ``batch`` items, in sending order; ``weight``: each chunk's characters)
    cut into graphs of at most ``ITEMS_PER_GRAPH`` items and ``TEXT_PER_GRAPH`` characters; a chunk
    larger than that goes alone."""
    cut: list[list[int]] = []
    items = text = 0
    for start in starts:
        size = weight[start]
        if not cut or items + batch > ITEMS_PER_GRAPH or text + size > TEXT_PER_GRAPH:
            cut.append([])
            items = text = 0
        cut[-1].append(start)
        items += batch
        text += size
    return cut


def _apply(chunk: list[Any], function: Callable[[Any], Any]) -> list[Any]:
    """A task on a worker: ``function`` on each item of its chunk. The pages the task freed go
    back to the system, so a worker that briefs thousands of stories keeps what it holds, not
    the high-water mark of every story it briefed."""
    results = [function(item) for item in chunk]
    return_free_memory()
    return results


def _task_failure(error: Exception) -> str:
    if type(error).__name__ == "KilledWorker":  # its message is a page of advice
        return "its task failed on the Dask cluster: the worker running it died (KilledWorker)"
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"its task failed on the Dask cluster ({detail})"


@contextmanager
def open_runner(*, workers: int = 0, scheduler: str = "") -> Iterator[Runner]:
    """The runner a digest's options ask for; a cluster it started is stopped on leaving."""
    if not workers and not scheduler:
        yield LocalRunner()
        return
    try:
        import distributed  # noqa: F401
    except ImportError:
        flag = "--scheduler" if scheduler else "--workers"
        raise MissingExtraOptionError(
            f"{flag} runs the digest on Dask, which is not installed; "
            "install it with `pip install 'multisum[dask]'`"
        ) from None
    runner = DaskRunner(workers=workers, scheduler=scheduler)
    try:
        yield runner
    finally:
        runner.close()
