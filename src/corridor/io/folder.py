"""Reading and writing network folders (CSV, the canonical format, or Parquet).

A network folder holds one file per table (``nodes.csv`` or ``nodes.parquet``, ...) and an
optional ``network.yaml`` with metadata. With ``extends:`` in ``network.yaml`` the folder adds
rows to a base network (a bundled name or a path); rows whose id exists in the base replace it.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml

from corridor.errors import DatasetNotFoundError
from corridor.io.locate import locate
from corridor.io.meta import META_FILE as META_FILE
from corridor.io.meta import file_label as _label
from corridor.io.meta import read_meta as read_meta
from corridor.model.network import Network
from corridor.model.problems import Problem, ValidationReport
from corridor.model.schema import TABLES, table_schema
from corridor.model.tables import RowOrigin, empty_table, parse_table

Format = Literal["csv", "parquet"]

#: Tables that a standalone network folder must contain.
#: Tables a network folder may leave out (they are then empty).
OPTIONAL_TABLES: frozenset[str] = frozenset(
    {
        "emission_factors",
        "transfers",
        "tariffs",
        "sailings",
        "variability",
        "disruptions",
        "sanction_rules",
        "trade",
        "finance_rates",
        "observations",
        "shipper_classes",
        "contracts",
    }
)
REQUIRED_TABLES: tuple[str, ...] = tuple(name for name in TABLES if name not in OPTIONAL_TABLES)


def _read_csv_rows(
    path: Path, label: str, report: ValidationReport
) -> tuple[pd.DataFrame, list[RowOrigin]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        report.add(Problem("error", label, None, None, f"not UTF-8 text ({exc.reason})"))
        return pd.DataFrame(), []
    except OSError as exc:
        report.add(Problem("error", label, None, None, f"cannot be read ({exc.strerror})"))
        return pd.DataFrame(), []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        report.add(Problem("error", label, 1, None, "file is empty (no header row)"))
        return pd.DataFrame(), []
    header = [h.strip() for h in header]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    for dup in duplicates:
        report.add(Problem("error", label, 1, dup, "column appears more than once in header"))
    rows: list[list[str]] = []
    origins: list[RowOrigin] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if len(record) != len(header):
                report.add(
                    Problem(
                        "error",
                        label,
                        line,
                        None,
                        f"row has {len(record)} fields but the header has {len(header)}",
                    )
                )
                continue
            rows.append(record)
            origins.append(RowOrigin(label, line))
    except csv.Error as exc:
        report.add(Problem("error", label, reader.line_num, None, f"malformed CSV: {exc}"))
    if duplicates:
        return pd.DataFrame(), []
    return pd.DataFrame(rows, columns=header, dtype=object), origins


def _read_parquet_rows(
    path: Path, label: str, report: ValidationReport
) -> tuple[pd.DataFrame, list[RowOrigin]]:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        report.add(Problem("error", label, None, None, f"not a readable Parquet file ({exc})"))
        return pd.DataFrame(), []
    # For Parquet, "line" is the row number counted like a CSV file (header = 1).
    return frame.reset_index(drop=True), [RowOrigin(label, i + 2) for i in range(len(frame))]


def _key_line(path: Path, key: str) -> int | None:
    """Return the 1-based line of a top-level ``key:`` in a YAML file, if it is there."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, text in enumerate(lines, start=1):
        if text.startswith(f"{key}:") or text.startswith(f"{key} :"):
            return number
    return None


def detect_format(folder: Path) -> Format:
    """Return ``parquet`` if the folder holds ``*.parquet`` table files, else ``csv``."""
    if any((folder / f"{name}.parquet").exists() for name in TABLES):
        return "parquet"
    return "csv"


def read_folder(
    folder: str | os.PathLike[str],
    report: ValidationReport | None = None,
    *,
    extended_by: tuple[Path, ...] = (),
) -> tuple[Network, ValidationReport]:
    """Read a network folder into typed tables, collecting every parse problem.

    Cross-table validation is not done here; see :func:`corridor.model.validate.validate`.

    Parameters
    ----------
    folder
        Path of the folder.
    report
        Report to add problems to; a new one if omitted.
    extended_by
        The folders (resolved) that extend this one, nearest last: a folder among them is a
        circular ``extends`` and reported as such.

    Returns
    -------
    tuple of Network and ValidationReport
        The network (unparseable cells are missing) and the problems found.

    Raises
    ------
    DatasetNotFoundError
        If the folder does not exist.
    """
    path = Path(folder)
    report = report or ValidationReport(source=str(path))
    if not path.is_dir():
        raise DatasetNotFoundError(f"{path} is not a folder holding a network")
    meta = read_meta(path, report)
    base: Network | None = None
    if meta.extends:
        label, line = _label(path, META_FILE), _key_line(path / META_FILE, "extends")
        chain = (*extended_by, path.resolve())
        try:
            base_path = locate("network", meta.extends, relative_to=path)
        except DatasetNotFoundError as exc:
            report.add(Problem("error", label, line, "extends", str(exc)))
        else:
            if base_path.resolve() == path.resolve():
                report.add(Problem("error", label, line, "extends", "extends itself"))
            elif base_path.resolve() in chain:
                names = " -> ".join(p.name for p in (*chain, base_path.resolve()))
                report.add(Problem("error", label, line, "extends", f"circular extends: {names}"))
            else:
                base, _ = read_folder(base_path, report, extended_by=chain)
    fmt = detect_format(path)
    tables: dict[str, pd.DataFrame] = {}
    origins: dict[str, tuple[RowOrigin, ...]] = {}
    for name in TABLES:
        schema = table_schema(name)
        row_origins: list[RowOrigin]
        file = path / f"{name}.{fmt}"
        label = _label(path, file.name)
        if not file.exists():
            if base is None and name in REQUIRED_TABLES:
                report.add(Problem("error", label, None, None, "required table file is missing"))
            raw, row_origins = pd.DataFrame(), []
        elif fmt == "csv":
            raw, row_origins = _read_csv_rows(file, label, report)
        else:
            raw, row_origins = _read_parquet_rows(file, label, report)
        table = (
            parse_table(schema, raw, label, row_origins, report)
            if len(raw.columns)
            else empty_table(schema)
        )
        if base is not None:
            table, row_origins = _overlay(
                base.tables[name], list(base.origins.get(name, ())), table, row_origins, schema.key
            )
        tables[name] = table
        origins[name] = tuple(row_origins)
    return Network(meta=meta, tables=tables, origins=origins), report


def _overlay(
    base: pd.DataFrame,
    base_origins: list[RowOrigin],
    extra: pd.DataFrame,
    extra_origins: list[RowOrigin],
    key: str,
) -> tuple[pd.DataFrame, list[RowOrigin]]:
    """Add ``extra`` rows to ``base``; an extra row with a base row's id replaces it."""
    replaced = set(extra[key].dropna())
    keep = ~base[key].isin(replaced).to_numpy()
    kept_origins = [o for o, k in zip(base_origins, keep, strict=False) if k]
    frames = [f for f in (base[keep], extra) if len(f)]
    merged = pd.concat(frames, ignore_index=True) if frames else base.iloc[0:0]
    return merged.astype(base.dtypes.to_dict()), kept_origins + extra_origins


def write_folder(
    network: Network, folder: str | os.PathLike[str], fmt: Format = "csv"
) -> list[Path]:
    """Write a network as a folder of CSV or Parquet files, one per table.

    Files are written to a temporary name first and renamed, so a failure leaves no
    half-written table behind.

    Parameters
    ----------
    network
        The network to write.
    folder
        Output folder, created if needed.
    fmt
        ``csv`` (canonical) or ``parquet``.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    meta = network.meta.model_dump(exclude_none=True, exclude_defaults=False)
    meta.pop("extends", None)  # the written folder holds every row: it extends nothing
    staged: list[tuple[Path, Path]] = []
    tmp_meta = out / f".{META_FILE}.tmp"
    tmp_meta.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), "utf-8")
    staged.append((tmp_meta, out / META_FILE))
    for name in TABLES:
        table = network.tables[name]
        target = out / f"{name}.{fmt}"
        tmp = out / f".{target.name}.tmp"
        if fmt == "csv":
            table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
        else:
            table.to_parquet(tmp, index=False)
        staged.append((tmp, target))
    for tmp, target in staged:
        tmp.replace(target)
        written.append(target)
    return written
