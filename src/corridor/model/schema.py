"""The schema of the network tables, read from the CSV files in ``corridor/schema``.

The schema is data: one CSV file per table lists its columns with dtype, unit, whether they are
required, a default, allowed values, bounds, foreign keys and, for figures, the family of the
figure and the name of the column that holds its source id. Parsing, validation and the docs'
column reference are all derived from it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Dtype = Literal["str", "int", "float", "bool", "list"]

#: Table names in the order they are read and validated.
TABLES: tuple[str, ...] = (
    "sources",
    "emission_factors",
    "modes",
    "countries",
    "commodities",
    "nodes",
    "links",
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
)

#: Separator of list-valued cells.
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table.

    Attributes
    ----------
    name
        Column name (with its unit in the name where it has one).
    dtype
        One of ``str``, ``int``, ``float``, ``bool``, ``list`` (``|``-separated strings).
    unit
        Unit of the values, empty if none.
    required
        Whether every row must have a value.
    default
        Value used for empty cells, empty if none.
    allowed
        Allowed values, empty if any value is allowed.
    minimum, maximum
        Inclusive bounds for numbers.
    references
        ``table.column`` that every value (every item of a list) must exist in.
    figure
        Family of the figure (``distance``, ``time``, ``capacity``, ``tariff``, ...) or empty if
        the column is not a figure that needs a source.
    ref
        Name of the column holding the source id of the figure.
    description
        What the column holds.
    """

    name: str
    dtype: Dtype
    unit: str = ""
    required: bool = False
    default: str = ""
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    references: str = ""
    figure: str = ""
    ref: str = ""
    description: str = ""


@dataclass(frozen=True)
class TableSchema:
    """The columns of one table, in file order.

    Attributes
    ----------
    name
        Table name, also the file stem (``nodes`` → ``nodes.csv``).
    columns
        Column specifications, including the generated source-id columns.
    """

    name: str
    columns: tuple[ColumnSpec, ...]

    @property
    def key(self) -> str:
        """Name of the identifier column (the first column)."""
        return self.columns[0].name

    @property
    def column_names(self) -> list[str]:
        """All column names in order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        """Return the specification of column ``name``.

        Raises
        ------
        KeyError
            If the table has no such column.
        """
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def figures(self) -> list[ColumnSpec]:
        """Columns that hold figures needing a source."""
        return [c for c in self.columns if c.figure]


def _parse_bound(text: str) -> float | None:
    return float(text) if text.strip() else None


def _read_table_schema(name: str) -> TableSchema:
    path = resources.files("corridor").joinpath("schema", f"{name}.csv")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    columns: list[ColumnSpec] = []
    for row in rows:
        spec = ColumnSpec(
            name=row["column"],
            dtype=row["dtype"],  # type: ignore[arg-type]
            unit=row["unit"],
            required=row["required"].strip().lower() == "true",
            default=row["default"],
            allowed=tuple(v for v in row["allowed"].split(LIST_SEPARATOR) if v),
            minimum=_parse_bound(row["min"]),
            maximum=_parse_bound(row["max"]),
            references=row["references"],
            figure=row["figure"],
            ref=row["ref"],
            description=row["description"],
        )
        columns.append(spec)
    # Insert each generated provenance column after the last figure column that names it.
    result: list[ColumnSpec] = []
    for i, spec in enumerate(columns):
        result.append(spec)
        if spec.ref and not any(later.ref == spec.ref for later in columns[i + 1 :]):
            users = ", ".join(c.name for c in columns if c.ref == spec.ref)
            result.append(
                ColumnSpec(
                    name=spec.ref,
                    dtype="str",
                    references="sources.source_id",
                    description=f"Source id of {users} (a row of sources.csv)",
                )
            )
    return TableSchema(name=name, columns=tuple(result))


@cache
def table_schema(name: str) -> TableSchema:
    """Return the schema of table ``name``.

    Parameters
    ----------
    name
        One of :data:`TABLES`.

    Examples
    --------
    >>> table_schema("links").key
    'link_id'
    >>> table_schema("links").column("distance_km").unit
    'km'
    >>> "distance_km_ref" in table_schema("links").column_names
    True
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
    return _read_table_schema(name)


def all_schemas() -> dict[str, TableSchema]:
    """Return the schema of every table, keyed by table name."""
    return {name: table_schema(name) for name in TABLES}
