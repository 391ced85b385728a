from __future__ import annotations

from pathlib import Path

import pytest

from corridor.docs_gen import schema_markdown
from corridor.model.schema import TABLES, all_schemas, table_schema

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("name", TABLES)
def test_schema_columns_are_well_formed(name: str) -> None:
    schema = table_schema(name)
    names = schema.column_names
    assert len(names) == len(set(names)), "duplicate column names"
    assert schema.columns[0].required, "the key column must be required"
    for column in schema.columns:
        assert column.dtype in {"str", "int", "float", "bool", "list"}
        assert column.description, f"{name}.{column.name} needs a description"
        if column.figure:
            assert column.ref in names, f"{column.name}: provenance column {column.ref} missing"
            assert column.unit, f"figure {name}.{column.name} needs a unit"
        if column.references:
            table, col = column.references.split(".")
            assert col in table_schema(table).column_names
        if column.allowed and column.default:
            assert column.default in column.allowed


def test_provenance_column_follows_its_last_figure() -> None:
    names = table_schema("nodes").column_names
    assert names.index("coord_ref") == names.index("lon") + 1
    links = table_schema("links").column_names
    assert links.index("distance_km_ref") == links.index("distance_km") + 1


def test_units_are_in_figure_column_names() -> None:
    # House rule: names say what they hold, with units.
    suffixes = (
        "_km",
        "_h",
        "_kmh",
        "_usd_per_t",
        "_usd_per_teu",
        "_per_year",
        "_per_tkm",
        "_per_teu_km",
        "_kg_per_t",
        "_kg_per_teu",
        "_t_per_teu",
        "_per_unit",
        "_year",
        "_per_call",
        "_per_day",
        "_ratio",
        "_pct",
        "probability",
        "_cargo",
        "lat",
        "lon",
        "_value",  # observations: the unit is the row's own (its unit column)
    )
    for schema in all_schemas().values():
        for column in schema.figures:
            assert column.name.endswith(suffixes), column.name


def test_unknown_table_raises() -> None:
    with pytest.raises(KeyError, match="unknown table"):
        table_schema("ports")


def test_docs_schema_reference_is_generated_and_current() -> None:
    on_disk = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert on_disk.strip() == schema_markdown().strip(), (
        "docs/schema.md is stale: run `make docs-schema`"
    )
    assert "`distance_km_ref`" in on_disk
