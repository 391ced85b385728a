"""Running a sweep on Dask distributed: a local cluster by default, or a scheduler's address.

Points are sent to the workers in chunks; the client writes each finished chunk to the output
folder as it arrives, so an interrupted sweep loses only the chunks still running, and a rerun
with the same spec and folder runs only the points not yet finished.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.errors import CorridorError
from corridor.sweeps.design import Point, design_points, point_key
from corridor.sweeps.metrics import metric_names
from corridor.sweeps.points import Plan, evaluate, prepare
from corridor.sweeps.results import ResultStore, SweepSummary, describe
from corridor.sweeps.spec import SweepSpec

if TYPE_CHECKING:
    from distributed import Client

#: One point to run: its index in the design, its key and its values.
Task = tuple[int, str, Point]
#: Metrics left out of the summary's spread (identifiers, not outcomes).
_NOT_SUMMARISED = ("network_hash", "year", "nodes")


@dataclass(frozen=True)
class SweepRun:
    """The outcome of :func:`run_sweep`.

    Attributes
    ----------
    plan
        The prepared sweep.
    points
        One row per finished point: ``point``, ``point_key``, the parameters, the metrics and
        ``elapsed_s`` (seconds the point took on its worker).
    failures
        One row per failed point: ``point``, ``point_key``, the parameters, ``error_type``,
        ``error`` and ``elapsed_s``.
    summary
        Counts, timings and the spread of each metric.
    """

    plan: Plan
    points: pd.DataFrame
    failures: pd.DataFrame
    summary: SweepSummary


def tasks(plan: Plan) -> list[Task]:
    """Return every point of the sweep with its index and key, in design order."""
    return [
        (i, point_key(plan.spec_hash, i, values), values)
        for i, values in enumerate(design_points(plan.spec))
    ]


def evaluate_chunk(plan: Plan, chunk: Sequence[Task]) -> list[dict[str, Any]]:
    """Run a chunk of points (on a worker) and return their records.

    Parameters
    ----------
    plan
        The prepared sweep.
    chunk
        The points to run.
    """
    return [evaluate(plan, index, key, values) for index, key, values in chunk]


def run_sequential(plan: Plan, chunk: Sequence[Task] | None = None) -> list[dict[str, Any]]:
    """Run points one after another in this process (no Dask); the reference for tests.

    Parameters
    ----------
    plan
        The prepared sweep.
    chunk
        The points to run; every point of the sweep by default.
    """
    return evaluate_chunk(plan, tasks(plan) if chunk is None else chunk)


def _failed(task: Task, exc: BaseException) -> dict[str, Any]:
    index, key, values = task
    return {
        "point": index,
        "point_key": key,
        **values,
        "status": "failed",
        "error_type": type(exc).__name__,
        "error": str(exc).strip() or repr(exc),
        "elapsed_s": float("nan"),
    }


@contextmanager
def connect(workers: int = 2, scheduler: str | None = None) -> Iterator[Client]:
    """Yield a Dask client: of a new local cluster, or of the scheduler at ``scheduler``.

    The local cluster has ``workers`` processes of one thread each and no dashboard; it is
    closed on exit.

    Parameters
    ----------
    workers
        Worker processes of the local cluster.
    scheduler
        Address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``; its workers need
        corridor installed.

    Raises
    ------
    CorridorError
        If the scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise CorridorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    if workers < 1:
        raise CorridorError(f"--workers must be at least 1, got {workers}")
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _chunk_size(n: int, workers: int, chunk_size: int | None) -> int:
    if chunk_size is not None:
        if chunk_size < 1:
            raise CorridorError(f"the chunk size must be at least 1, got {chunk_size}")
        return chunk_size
    return max(1, min(10, n // max(1, 4 * workers)))


def run_sweep(
    spec: SweepSpec | Plan,
    out: str | os.PathLike[str],
    *,
    workers: int = 2,
    scheduler: str | None = None,
    client: Client | None = None,
    fresh: bool = False,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepRun:
    """Run every point of a sweep not yet finished in ``out``, on Dask; write the results.

    Parameters
    ----------
    spec
        The sweep (checked and prepared here) or a prepared plan.
    out
        Output folder: part files, ``points.parquet``, ``failures.parquet``, ``summary.json``.
    workers
        Processes of the local cluster (ignored with ``scheduler`` or ``client``).
    scheduler
        Address of a running Dask scheduler to use instead of a local cluster.
    client
        A Dask client to use (its cluster is left running).
    fresh
        Discard the results already in ``out`` instead of resuming.
    chunk_size
        Points per task; by default up to 10, fewer when there are few points per worker.
    progress
        Called as ``progress(done, total)`` as chunks finish.

    Returns
    -------
    SweepRun
        The finished and failed points and the summary.

    Raises
    ------
    SweepError
        If the spec is invalid, or ``out`` holds another sweep's results and ``fresh`` is
        false. A point that fails does not raise: it is listed in ``failures``.
    """
    plan = spec if isinstance(spec, Plan) else prepare(spec)
    store = ResultStore(out)
    every = tasks(plan)
    manifest = {"job": plan.spec.job.kind, "parameters": list(plan.spec.parameters),
                "points_total": len(every)}  # fmt: skip
    store.open(plan.spec.name, plan.spec_hash, manifest, fresh=fresh)
    done = store.finished()
    todo = [t for t in every if t[1] not in done]
    startup_s = compute_s = 0.0
    n_workers = 0
    if todo:
        start = time.perf_counter()
        with _client(client, workers, scheduler) as active:
            n_workers = len(active.scheduler_info().get("workers", {})) or workers
            startup_s = time.perf_counter() - start
            start = time.perf_counter()
            _run(active, plan, todo, store, _chunk_size(len(todo), n_workers, chunk_size),
                 progress)  # fmt: skip
            compute_s = time.perf_counter() - start
    metrics = list(metric_names(plan.spec.job.kind))
    points, failures = store.consolidate([t[1] for t in every], list(plan.spec.parameters), metrics)
    numeric, text = describe(points, [m for m in metrics if m not in _NOT_SUMMARISED])
    summary = SweepSummary(
        name=plan.spec.name,
        job=plan.spec.job.kind,
        spec_hash=plan.spec_hash,
        out_dir=str(store.out),
        points_total=len(every),
        points_ok=len(points),
        points_failed=len(failures),
        points_computed=len(todo),
        points_skipped=len(every) - len(todo),
        workers=n_workers,
        startup_s=startup_s,
        compute_s=compute_s,
        points_per_s=len(todo) / compute_s if compute_s > 0 else 0.0,
        metrics=numeric,
        categories=text,
        failures=failures.drop(columns=["point_key", "elapsed_s"]),
        provenance=_provenance(plan),
    )
    store.write_summary(summary)
    return SweepRun(plan, points, failures, summary)


def _provenance(plan: Plan) -> dict[str, Any]:
    """Provenance of a sweep: its base network and scenario, job and parameters."""
    from corridor.datasets import valid_network
    from corridor.model.provenance import provenance

    params = {
        "job": plan.spec.job.kind,
        "parameters": list(plan.spec.parameters),
        "spec_hash": plan.spec_hash,
        "demand_year": plan.demand_year,
    }
    scenario = plan.spec.base if plan.base is not None else None
    return provenance(valid_network(plan.root), scenario=scenario, params=params)


@contextmanager
def _client(client: Client | None, workers: int, scheduler: str | None) -> Iterator[Client]:
    if client is not None:
        yield client
        return
    with connect(workers, scheduler) as made:
        yield made


def _run(
    client: Client,
    plan: Plan,
    todo: list[Task],
    store: ResultStore,
    size: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    from distributed import as_completed

    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    shared = client.scatter(plan, broadcast=True, hash=False)
    futures = {client.submit(evaluate_chunk, shared, chunk, pure=False): chunk for chunk in chunks}
    finished = 0
    if progress is not None:
        progress(0, len(todo))
    try:
        for future in as_completed(futures):
            chunk = futures[future]
            try:
                records = future.result()
            except Exception as exc:  # the task itself died (e.g. its worker was lost)
                records = [_failed(task, exc) for task in chunk]
            store.write(records)
            finished += len(chunk)
            future.release()
            if progress is not None:
                progress(finished, len(todo))
    finally:
        client.cancel(list(futures))
