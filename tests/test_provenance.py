"""Every result names its network, version, content hash and the kinds of its sources."""

from __future__ import annotations

import json

import pytest

import corridor
from corridor.model.provenance import provenance, refs_of_rows, source_kind_counts
from tests.helpers import run_cli

NET = corridor.load()
KEYS = {"network", "network_version", "content_hash", "corridor_version", "scenario", "params",
        "source_kinds", "sources_used", "source_scope", "emission_factors_version"}  # fmt: skip


def test_unknown_sources_are_counted_as_unknown_never_as_published() -> None:
    counts = source_kind_counts(NET, ["osm-rail", "osm-rail", "no-such-source"])
    assert counts == {"computed": 1, "unknown": 1}


def test_network_scope_counts_every_source_row() -> None:
    block = provenance(NET)
    assert block.keys() == KEYS and block["source_scope"] == "network"
    assert sum(block["source_kinds"].values()) == len(NET.sources)
    assert block["content_hash"] == NET.content_hash()


def test_refs_of_rows_reads_every_ref_column() -> None:
    refs = refs_of_rows(NET, "links", ["xian__lanzhou__rail_1435"])
    assert refs == ["osm-rail"]


def test_compare_and_appraise_json_carry_provenance() -> None:
    out = run_cli("compare", "eurasia", "zangezur-open", "--od", "Baku:Kars:container", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    base, other = data["provenance"]["base"], data["provenance"]["other"]
    assert base.keys() == KEYS == other.keys()
    assert base["content_hash"] == NET.content_hash() != other["content_hash"]
    assert other["scenario"] == "zangezur-open" and base["scenario"] is None
    od = data["ods"][0]
    assert od["other"]["route"] and sum(other["source_kinds"].values()) == len(
        set(other["sources_used"])
    )
    appraisal = json.loads(
        run_cli("appraise", "--benefit-usd", "1e8", "--capex", "1e9", "--json").stdout
    )
    assert appraisal["provenance"].keys() == KEYS
    assert appraisal["provenance"]["params"]["benefit"] == "given"


def test_assign_outlook_and_validate_json_carry_provenance() -> None:
    assigned = json.loads(run_cli("assign", "--demand", "middle-2030", "--json").stdout)
    block = assigned["provenance"]
    assert block["content_hash"] == NET.content_hash() and block["source_scope"] == "used"
    assert sum(block["source_kinds"].values()) == len(block["sources_used"]) > 0
    outlook = json.loads(run_cli("outlook", "--json", "--n", "200").stdout)
    assert outlook["provenance"]["source_kinds"].get("published", 0) >= 1
    assert set(outlook["provenance"]["sources_used"]) >= {
        row["source_id"] for row in outlook["history"]
    }
    checked = json.loads(run_cli("validate", "--kind", "distance", "--json").stdout)
    assert checked["provenance"]["content_hash"] == NET.content_hash()
    assert checked["provenance"]["source_scope"] == "network"


def test_emission_factors_version_is_computed_once_per_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from corridor.model import provenance as module

    first = module.emission_factors_version(NET)
    # A second call must not hash the table again: every route asks for it.
    monkeypatch.setattr(
        type(NET.tables["emission_factors"]), "to_csv", lambda *a, **k: pytest.fail("hashed")
    )
    assert module.emission_factors_version(NET) == first
