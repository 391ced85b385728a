"""The model against published observations (``corridor validate``)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corridor import services
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.validation import (
    ValidationResult,
    geh,
    load_criteria,
    model_input_sources,
    run_validation,
    score,
)

CLI = [sys.executable, "-m", "corridor.cli"]

#: Share in band per kind as committed. Floors only go up: raise one when the model gets
#: better, never lower one because the model got worse (and never change a model figure to
#: move an observation). Adding observations changes a share: reset its floor to the new
#: committed value in the same commit and say so.
FLOORS = {
    "transit_time": 5 / 12,
    "segment_time": 2 / 5,
    "dwell": 1 / 1,
    "price": 4 / 17,
    "distance": 6 / 6,
    "volume": 7 / 44,
    "share": 1 / 2,
}


@pytest.fixture(scope="module")
def result() -> ValidationResult:
    return run_validation("eurasia")


def test_at_least_80_observations_of_every_kind(result: ValidationResult) -> None:
    assert len(result.rows) >= 80
    assert set(result.kinds) == set(FLOORS)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_share_in_band_holds_its_floor(result: ValidationResult, kind: str) -> None:
    summary = next(s for s in result.summaries if s.kind == kind)
    assert summary.share_in_band >= FLOORS[kind] - 1e-9, summary.to_dict()


def test_docs_show_the_summary_of_a_fresh_run(result: ValidationResult) -> None:
    page = (Path(__file__).parents[1] / "docs" / "validation.md").read_text(encoding="utf-8")
    assert result.summary_markdown() in page, "docs/validation.md is stale: paste the table"


def test_not_modelled_rows_count_as_outside(result: ValidationResult) -> None:
    missing = [r for r in result.rows if r.status == "not_modelled"]
    assert missing, "the TITR series before 2023 has no demand set"
    assert all(not r.in_band and r.modelled is None and r.reason for r in missing)


def test_no_observation_cites_a_model_input() -> None:
    network = services.valid_network("eurasia")
    inputs = model_input_sources(network)
    cited = set(network.tables["observations"]["source_ref"])
    assert not cited & inputs


def _with_observation(source_ref: str) -> Network:
    network = services.valid_network("eurasia")
    row = network.tables["observations"].iloc[[0]].copy()
    row["observation_id"] = "obs-from-an-input"
    row["source_ref"] = source_ref
    tables = dict(network.tables)
    tables["observations"] = pd.concat([network.tables["observations"], row], ignore_index=True)
    return Network(meta=network.meta, tables=tables, origins=network.origins)


@pytest.mark.parametrize(
    "ref",
    [
        "d-erai-2024",  # a tariff of the rail_1520 mode cites it
        "b-erai-speed",  # same document (URL) as d-erai-2024
        "dm-astanatimes-2025-titr-2024",  # the estimate behind a demand set names it
        "v-kaztag-2024-titr-times",  # the Caspian and Black Sea port-time estimates name it
    ],
)
def test_an_observation_sourced_from_a_model_input_is_refused(ref: str) -> None:
    with pytest.raises(ValidationError) as info:
        run_validation("eurasia", network=_with_observation(ref))
    problems = info.value.report.errors
    assert [p.row_id for p in problems] == ["observation_id=obs-from-an-input"]
    assert ref in problems[0].message and "obs-from-an-input" in problems[0].message


def test_a_document_named_by_address_in_a_method_is_an_input() -> None:
    network = services.valid_network("eurasia")
    kaztag = "v-kaztag-2024-titr-times"
    sources = network.sources.copy()
    url = str(sources.loc[sources["source_id"] == kaztag, "url"].iloc[0])

    def inputs_with(method: str) -> set[str]:
        changed = sources.copy()
        for column in ("method", "notes"):  # no row names the document by id or address
            text = changed[column].astype("string")
            changed[column] = text.str.replace(kaztag, "", regex=False).str.replace(
                url, "", regex=False
            )
        changed.loc[changed["source_id"] == "a-est-caspian-wait-kz", "method"] = method
        tables = {**network.tables, "sources": changed}
        return model_input_sources(Network(meta=network.meta, tables=tables, origins={}))

    assert kaztag not in inputs_with("72 h, derived from published transit times.")
    assert kaztag in inputs_with(f"72 h, derived from the times stated at {url}.")


def test_band_logic_on_a_hand_made_observation() -> None:
    criteria = load_criteria()
    # default band: price ±30 %
    assert score("price", 1000.0, 1290.0, None, None, criteria)[:4] == (
        700.0,
        1300.0,
        "default",
        True,
    )
    assert score("price", 1000.0, 1310.0, None, None, criteria)[3] is False
    # a published range replaces the default band
    lo, hi, band_from, inside, ratio, log_error = score(
        "transit_time", 15.0, 12.0, 13.0, 17.0, criteria
    )
    assert (lo, hi, band_from, inside) == (13.0, 17.0, "published", False)
    assert ratio == pytest.approx(0.8) and log_error == pytest.approx(abs(math.log(0.8)))
    # shares: absolute points
    assert score("share", 80.0, 89.0, None, None, criteria)[:4] == (70.0, 90.0, "default", True)
    # not modelled: outside, no ratio
    assert score("distance", 100.0, None, None, None, criteria)[3:] == (False, None, None)
    # modelled as zero: outside, ratio 0, no log error
    assert score("volume", 5.0, 0.0, None, None, criteria)[3:] == (False, 0.0, None)


@pytest.mark.parametrize(("m", "c"), [(150.0, 100.0), (0.0, 400.0), (1e6, 2e6), (7.0, 7.0)])
def test_geh_matches_its_closed_form(m: float, c: float) -> None:
    assert geh(m, c) == pytest.approx(math.sqrt(2 * (m - c) ** 2 / (m + c)))


def test_volume_rows_report_geh_on_tonnes(result: ValidationResult) -> None:
    row = next(r for r in result.rows if r.observation_id == "vo-titr-2024")
    assert row.unit == "Mt/year" and row.modelled is not None and row.geh is not None
    assert row.geh == pytest.approx(geh(row.modelled * 1e6, row.observed * 1e6))


def test_cli_json_and_html(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    done = subprocess.run(
        [*CLI, "validate", "--kind", "distance", "--json", "--html", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [s["kind"] for s in data["summary"]] == ["distance"]
    row = data["observations"][0]
    assert {"observation_id", "modelled_value", "observed_value", "unit", "ratio"} <= set(row)
    assert row["source"]["url"].startswith("http")
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert "<script" not in html and "stylesheet" not in html  # self-contained
    assert row["source"]["url"] in html


def test_network_check_warns_about_an_input_sourced_observation(tmp_path: Path) -> None:
    import shutil

    from corridor.datasets import read_network, resolve_network_path

    folder = tmp_path / "eurasia"
    shutil.copytree(resolve_network_path("eurasia"), folder)
    table = folder / "observations.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    bad = lines[1].split(",", 1)[1].replace("v-astanatimes-2026-titr-fivefold", "d-erai-2024")
    table.write_text("\n".join([*lines, f"obs-from-an-input,{bad}"]) + "\n", encoding="utf-8")
    _, report = read_network(folder)
    assert report.ok  # still a usable network
    warned = [p for p in report.warnings if p.row_id == "observation_id=obs-from-an-input"]
    assert len(warned) == 1 and "d-erai-2024" in warned[0].message
    assert warned[0].line == len(lines) + 1
