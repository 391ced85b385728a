"""Results of a sweep on disk, and their summary.

An output folder holds ``sweep.json`` (the sweep's name and hash), ``parts/`` (one Parquet file
per finished chunk of points, written as each chunk finishes, so a crash loses nothing),
and, at the end, ``points.parquet`` (one row per finished point: its values and metrics),
``failures.parquet`` (one row per failed point: its values, the exception type and message)
and ``summary.json``.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.model.records import records
from corridor.scenarios.spec import ScenarioProblem
from corridor.sweeps.spec import SweepError

logger = logging.getLogger(__name__)

MANIFEST = "sweep.json"
PARTS = "parts"
POINTS = "points.parquet"
FAILURES = "failures.parquet"
SUMMARY = "summary.json"


class ResultStore:
    """The output folder of one sweep: its manifest, part files and consolidated tables.

    Parameters
    ----------
    out
        The folder (created if missing).
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)

    @property
    def parts(self) -> Path:
        """Folder of the part files."""
        return self.out / PARTS

    def open(self, name: str, spec_hash: str, manifest: dict[str, Any], *, fresh: bool) -> None:
        """Claim the folder for a sweep; refuse one that holds another sweep's results.

        Parameters
        ----------
        name, spec_hash
            The sweep's name and hash.
        manifest
            More fields for ``sweep.json``.
        fresh
            Discard results already in the folder (only the files a sweep writes).

        Raises
        ------
        SweepError
            If the folder holds results of a different sweep (or of the same sweep after its
            spec, base, network or demand changed) and ``fresh`` is false.
        """
        path = self.out / MANIFEST
        if fresh:
            self.clear()
        elif path.is_file():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                old = {"spec_hash": f"unreadable ({exc})"}
            if old.get("spec_hash") != spec_hash:
                message = (
                    f"holds results of another sweep ({old.get('name', '?')}, hash "
                    f"{str(old.get('spec_hash'))[:12]}) than this one ({name}, hash "
                    f"{spec_hash[:12]}): the spec, its base, the network or the demand changed. "
                    "Rerun with --fresh to discard them, or choose another --out."
                )
                raise SweepError([ScenarioProblem(str(path), "spec_hash", message)])
        self.parts.mkdir(parents=True, exist_ok=True)
        data = {"name": name, "spec_hash": spec_hash, **manifest}
        _write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def clear(self) -> None:
        """Delete the files a sweep writes (and nothing else) from the folder."""
        if self.parts.is_dir():
            for part in self.parts.glob("*.parquet"):
                part.unlink()
        for name in (MANIFEST, POINTS, FAILURES, SUMMARY):
            (self.out / name).unlink(missing_ok=True)

    def write(self, records: list[dict[str, Any]]) -> Path:
        """Write the records of one finished chunk as a part file (atomically)."""
        first = min(int(r["point"]) for r in records)
        path = self.parts / f"part-{first:07d}-{uuid.uuid4().hex[:8]}.parquet"
        tmp = path.with_suffix(".tmp")
        pd.DataFrame(records).to_parquet(tmp, index=False)
        with open(tmp, "rb") as handle:  # durable before it counts as finished
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return path

    def read_parts(self) -> pd.DataFrame:
        """Return every record written so far (later files last)."""
        if not self.parts.is_dir():
            return pd.DataFrame()
        files = sorted(self.parts.glob("*.parquet"), key=lambda p: p.stat().st_mtime_ns)
        frames = [f for f in (self._read_part(p) for p in files) if f is not None and len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def _read_part(self, path: Path) -> pd.DataFrame | None:
        """Read one part file; set an unreadable one (empty, truncated) aside as ``.corrupt``.

        Its points then count as not finished and are computed again.
        """
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError or ValueError
            aside = path.with_suffix(".corrupt")
            os.replace(path, aside)
            logger.warning(
                "sweep part %s cannot be read (%s); set aside as %s, its points run again",
                path.name,
                type(exc).__name__,
                aside.name,
            )
            return None
        if "status" not in frame or "point_key" not in frame:
            logger.warning("sweep part %s has no point keys; ignored", path.name)
            return None
        return frame

    def finished(self) -> set[str]:
        """Return the keys of the points that finished without error."""
        frame = self.read_parts()
        if frame.empty:
            return set()
        return set(frame.loc[frame["status"] == "ok", "point_key"].astype(str))

    def consolidate(
        self, keys: list[str], parameters: list[str], metrics: list[str]
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Write ``points.parquet`` and ``failures.parquet`` for the current points.

        A point that failed once and finished on a rerun is a finished point; records of
        points that are not in ``keys`` are left out.

        Parameters
        ----------
        keys
            Keys of the sweep's points.
        parameters, metrics
            Parameter and metric columns, in order.

        Returns
        -------
        tuple of DataFrame
            The finished points and the failed points, sorted by point.
        """
        frame = self.read_parts()
        lead = ["point", "point_key", *parameters]
        ok_columns = [*lead, *metrics, "elapsed_s"]
        failed_columns = [*lead, "error_type", "error", "elapsed_s"]
        if frame.empty:
            points, failures = (
                pd.DataFrame(columns=ok_columns),
                pd.DataFrame(columns=failed_columns),
            )
        else:
            frame = frame[frame["point_key"].isin(set(keys))]
            ok = frame[frame["status"] == "ok"].drop_duplicates("point_key", keep="last")
            bad = frame[(frame["status"] == "failed") & ~frame["point_key"].isin(ok["point_key"])]
            bad = bad.drop_duplicates("point_key", keep="last")
            points = ok.reindex(columns=ok_columns).sort_values("point").reset_index(drop=True)
            failures = bad.reindex(columns=failed_columns).sort_values("point")
            failures = failures.reset_index(drop=True)
        points.to_parquet(self.out / POINTS, index=False)
        failures.to_parquet(self.out / FAILURES, index=False)
        return points, failures

    def write_summary(self, summary: SweepSummary) -> Path:
        """Write ``summary.json``."""
        path = self.out / SUMMARY
        _write_text(path, json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return path


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class SweepSummary:
    """What a sweep run did and the spread of each metric over its points.

    Attributes
    ----------
    name, job, spec_hash, out_dir
        The sweep, its job kind, its hash and its output folder.
    points_total, points_ok, points_failed
        Points in the design, finished and failed.
    points_computed, points_skipped
        Points run now, and points found finished in the folder and not run again.
    workers
        Dask workers used (0 if nothing was run).
    startup_s, compute_s, points_per_s
        Time to start or reach the cluster, time from the first submission to the last
        result, and points computed per second of ``compute_s``.
    metrics
        Per numeric metric: count, mean, min, p10, p50, p90, max over the finished points.
    categories
        Per text metric: each value and the number of points that have it.
    failures
        The failed points (values, exception type and message).
    provenance
        The base network's dataset, version, content hash, the base scenario, the job and
        its parameters, and the network's sources counted by kind (see
        :func:`corridor.model.provenance.provenance`).
    """

    name: str
    job: str
    spec_hash: str
    out_dir: str
    points_total: int
    points_ok: int
    points_failed: int
    points_computed: int
    points_skipped: int
    workers: int
    startup_s: float
    compute_s: float
    points_per_s: float
    metrics: pd.DataFrame = field(repr=False)
    categories: pd.DataFrame = field(repr=False)
    failures: pd.DataFrame = field(repr=False)
    provenance: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data with unit-named keys."""
        return {
            "name": self.name,
            "job": self.job,
            "spec_hash": self.spec_hash,
            "out_dir": self.out_dir,
            "points_total": self.points_total,
            "points_ok": self.points_ok,
            "points_failed": self.points_failed,
            "points_computed": self.points_computed,
            "points_skipped": self.points_skipped,
            "workers": self.workers,
            "startup_s": self.startup_s,
            "compute_s": self.compute_s,
            "points_per_s": self.points_per_s,
            "files": {
                "points": str(Path(self.out_dir) / POINTS),
                "failures": str(Path(self.out_dir) / FAILURES),
                "summary": str(Path(self.out_dir) / SUMMARY),
            },
            "metrics": records(self.metrics),
            "categories": records(self.categories),
            "failures": records(self.failures),
            "provenance": dict(self.provenance),
        }


def describe(points: pd.DataFrame, metrics: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the spread of each numeric metric and the counts of each text metric.

    Parameters
    ----------
    points
        The finished points.
    metrics
        Metric columns to describe (hashes and the year are left out by the caller).

    Examples
    --------
    >>> p = pd.DataFrame({"cost_usd": [1.0, 2.0, 3.0], "corridor": ["a", "b", "a"]})
    >>> numeric, text = describe(p, ["cost_usd", "corridor"])
    >>> float(numeric.loc[0, "p50"]), text.to_dict("records")[0]
    (2.0, {'metric': 'corridor', 'value': 'a', 'points': 2})
    """
    numeric_rows, text_rows = [], []
    for name in metrics:
        if name not in points.columns:
            continue
        column = points[name]
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            counts = column.dropna().astype(str).value_counts()
            for value, count in counts.items():
                text_rows.append({"metric": name, "value": str(value), "points": int(count)})
            continue
        values = column.astype(float).dropna()
        if values.empty:
            continue
        q = np.quantile(values, [0.1, 0.5, 0.9])
        numeric_rows.append(
            {
                "metric": name,
                "count": len(values),
                "mean": float(values.mean()),
                "min": float(values.min()),
                "p10": float(q[0]),
                "p50": float(q[1]),
                "p90": float(q[2]),
                "max": float(values.max()),
            }
        )
    numeric = pd.DataFrame(
        numeric_rows, columns=["metric", "count", "mean", "min", "p10", "p50", "p90", "max"]
    )
    text = pd.DataFrame(text_rows, columns=["metric", "value", "points"])
    return numeric, text
