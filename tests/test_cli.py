from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import TINY, run_cli, set_cell


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args)


def test_check_passes_on_a_valid_network() -> None:
    result = run("data", "check", TINY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout and "0 error(s)" in result.stdout


def test_check_fails_with_located_messages_and_no_traceback(tiny_copy: Path) -> None:
    set_cell(tiny_copy, "nodes", "inland", "lat", "123")
    set_cell(tiny_copy, "links", "inland__port_east__rail_1520", "to_node", "nowhere")
    result = run("data", "check", tiny_copy)
    assert result.returncode == 1
    assert "tiny/nodes.csv:2" in result.stdout and "[lat]" in result.stdout
    assert "tiny/links.csv:2" in result.stdout and "unknown nodes id 'nowhere'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_json(tiny_copy: Path) -> None:
    set_cell(tiny_copy, "nodes", "inland", "lat", "123")
    result = run("data", "check", tiny_copy, "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["error_count"] >= 1
    problem = data["problems"][0]
    assert {"severity", "file", "line", "column", "message"} <= set(problem)


def test_unknown_network_is_a_clear_error() -> None:
    result = run("data", "summary", "no/such/folder")
    assert result.returncode == 2
    assert "neither a bundled dataset" in result.stderr
    assert "Traceback" not in result.stderr


def test_summary_of_an_invalid_network_prints_the_report(tiny_copy: Path) -> None:
    set_cell(tiny_copy, "links", "inland__port_east__rail_1520", "distance_km", "far")
    result = run("data", "summary", tiny_copy)
    assert result.returncode == 1
    assert "'far' is not a number" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_summary_json_has_stable_keys() -> None:
    result = run("data", "summary", TINY, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["table_rows"]["nodes"] == 4
    assert data["links_by_mode"]["caspian_ferry"] == {"links": 1, "length_km": 450.0}
    assert data["links_by_status"] == {"open": 3, "planned": 1}
    distance = next(p for p in data["provenance"] if p["family"] == "distance")
    assert distance == {
        "family": "distance",
        "figures": 4,
        "published": 1,
        "computed": 0,
        "estimate": 3,
        "calibrated": 0,
        "sourced": 1,
        "sourced_share": 0.25,
    }


def test_summary_table_output() -> None:
    result = run("data", "summary", TINY)
    assert result.returncode == 0
    assert "Links by mode" in result.stdout and "caspian_ferry" in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "parquet", "geojson"])
def test_export(tmp_path: Path, fmt: str) -> None:
    result = run("data", "export", tmp_path / "out", "--network", TINY, "--format", fmt, "--json")
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)["files"]
    assert files and all(Path(f).exists() for f in files)
    if fmt != "geojson":
        assert run("data", "check", tmp_path / "out").returncode == 0


def test_export_bad_format(tmp_path: Path) -> None:
    result = run("data", "export", tmp_path, "--network", TINY, "--format", "xlsx")
    assert result.returncode == 2
    assert "xlsx" in result.stderr and "Traceback" not in result.stderr


def test_import_is_light() -> None:
    code = (
        "import sys, corridor; "
        "print(sorted(m for m in ('pandas', 'numpy', 'scipy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_export_to_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("data", "export", blocker / "out", "--network", TINY)
    assert result.returncode == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_route_prints_a_leg_table() -> None:
    result = run("route", "--from", "Xian", "--to", "Istanbul", "--avoid", "RU,IR")
    assert result.returncode == 0, result.stderr
    assert "Middle Corridor (Trans-Caspian)" in result.stdout and "caspian_ferry" in result.stdout
    assert "total" in result.stdout


def test_route_json_has_stable_keys_with_units() -> None:
    result = run("route", "--from", "xi'an", "--to", "Istanbul", "--cargo", "container", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (r,) = data["routes"]
    assert {"origin", "destination", "corridor", "totals", "legs", "sources", "provenance"} <= set(
        r
    )
    assert {"distance_km", "time_h", "time_days", "cost_usd", "co2_kg", "risk_usd"} <= set(
        r["totals"]
    )
    leg = r["legs"][0]
    assert {"from_node", "to_node", "mode", "distance_km", "time_h", "cost_usd", "co2_kg"} <= set(
        leg
    )
    assert sum(x["distance_km"] for x in r["legs"]) == pytest.approx(r["totals"]["distance_km"])


def test_route_alternatives_and_geojson() -> None:
    result = run(
        "route", "--from", "Xian", "--to", "Istanbul", "--k", "3", "--diverse", "--geojson"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["type"] == "FeatureCollection"
    ranks = {f["properties"]["route_rank"] for f in data["features"]}
    assert ranks == {1, 2, 3}
    assert all(f["geometry"]["type"] == "LineString" for f in data["features"])


def test_route_pareto_json() -> None:
    result = run("route", "--from", "Xian", "--to", "Istanbul", "--pareto", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["front"]) >= 2
    for item in data["dominated"]:
        assert item["dominated_by"]["corridor"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "Xian", "--to", "Istambul"], "Did you mean 'Istanbul"),
        (["--from", "Xian", "--to", "Turkey"], "is a country, not a node"),
        (
            ["--from", "Xian", "--to", "Istanbul", "--cargo", "uranium"],
            "Unknown commodity 'uranium'",
        ),
        (["--from", "Xian", "--to", "Istanbul", "--avoid", "Narnia"], "Unknown node 'Narnia'"),
        (
            ["--from", "Xian", "--to", "Istanbul", "--avoid", "KZ,sea"],
            "No route from Xi'an to Istanbul ports for container: the last connection is cut by "
            "avoiding country KZ, or by avoiding mode sea",
        ),
        (["--from", "Xian", "--to", "Istanbul", "--by", "speed"], "is not one of"),
        (["--from", "Xian", "--to", "Istanbul", "--sanctions", "ban"], "sanctions"),
    ],
)
def test_route_user_errors_are_messages_not_tracebacks(args: list[str], message: str) -> None:
    result = run("route", *args)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_simulate_json_and_plot(tmp_path: Path) -> None:
    png = tmp_path / "hist.png"
    result = run(
        "simulate", "--from", "Xian", "--to", "Istanbul", "--n", "2000", "--k", "2",
        "--deadline", "20d", "--plot", png, "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ranked_by"] == "p90"
    first = data["routes"][0]
    assert {"p50_time_h", "p90_time_h", "p95_time_h", "p_on_time", "deadline_h"} <= set(first)
    assert first["deadline_h"] == 480
    p90s = [r["p90_time_h"] for r in data["routes"]]
    assert p90s == sorted(p90s)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_simulate_table_and_bad_deadline() -> None:
    result = run("simulate", "--from", "Xian", "--to", "Istanbul", "--n", "1000", "--k", "1")
    assert result.returncode == 0, result.stderr
    assert "P90 d" in result.stdout and "histogram" in result.stdout
    bad = run("simulate", "--from", "Xian", "--to", "Istanbul", "--deadline", "soond")
    assert bad.returncode == 2 and "not a duration" in bad.stderr


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("25", "has no unit"),
        ("infd", "deadline must be"),
        ("nanh", "deadline must be"),
        ("-2d", "deadline must be"),
    ],
)
def test_a_deadline_needs_its_unit_and_a_finite_value(deadline: str, message: str) -> None:
    bad = run("simulate", "--from", "Xian", "--to", "Istanbul", "--deadline", deadline)
    assert bad.returncode == 2, bad.stdout
    assert message in bad.stderr and "Traceback" not in bad.stderr


def test_assign_table_json_geojson_and_csv(tmp_path: Path) -> None:
    result = run("assign", "--demand", "middle-2030")
    assert result.returncode == 0, result.stderr
    assert "Bottlenecks" in result.stdout and "baku_alat" in result.stdout
    data = json.loads(run("assign", "-d", "middle-2030", "--json", "--top", "3").stdout)
    assert data["status"] == "optimal" and data["year"] == 2030
    assert {"generalized_cost_usd_per_year", "tonne_km_per_year", "co2_kg_per_year"} <= set(
        data["totals"]
    )
    assert data["bottlenecks"][0]["shadow_price_usd_per_unit"] > 0
    assert {"corridor", "share", "flow_per_year"} <= set(data["route_shares"][0])
    geo = json.loads(run("assign", "-d", "crude-2024", "--geojson").stdout)
    assert geo["features"] and "flow_t_per_year" in geo["features"][0]["properties"]
    out = tmp_path / "out"
    assert run("assign", "-d", "grain-2024", "--csv", out, "--json").returncode == 0
    assert {p.name for p in out.iterdir()} >= {"resources.csv", "route_shares.csv", "totals.csv"}


def test_assign_with_a_scenario_moves_the_bottleneck() -> None:
    # Alat phase 2 (500k TEU) relieves Alat; the 2030 containers then fill Aktau's 140k TEU.
    base = json.loads(run("assign", "-d", "middle-2030", "--json").stdout)
    data = json.loads(run("assign", "-d", "middle-2030", "-s", "alat-phase2", "--json").stdout)
    assert base["bottlenecks"][0]["item_id"] == "baku_alat"
    assert data["scenario"] == "alat-phase2"
    assert "baku_alat" not in {b["item_id"] for b in data["bottlenecks"]}
    assert (
        data["totals"]["generalized_cost_usd_per_year"]
        < base["totals"]["generalized_cost_usd_per_year"]
    )


def test_assign_logit_by_default_and_min_cost_on_request() -> None:
    logit = json.loads(run("assign", "-d", "containers-2024", "--json").stdout)
    lp = json.loads(run("assign", "-d", "containers-2024", "--method", "min_cost", "--json").stdout)
    assert logit["method"] == "logit" and lp["method"] == "min_cost"
    assert logit["convergence"]["relative_gap"] <= logit["convergence"]["tolerance"]
    # the LP puts each uncongested OD on one route; logit splits it over several
    per_od = {}
    for row in logit["route_shares"]:
        key = (row["origin"], row["destination"])
        per_od[key] = per_od.get(key, 0.0) + row["share"]
        assert 0 < row["share"] <= 1
    assert all(total == pytest.approx(1.0) for total in per_od.values())
    assert len(logit["route_shares"]) > len(lp["route_shares"]) == 3
    classes = {row["shipper_class"] for row in logit["class_shares"]}
    assert classes == {"container-standard", "container-time-sensitive"}
    # the time-sensitive class puts a larger share on rail than the standard class
    rail = dict.fromkeys(classes, 0.0)
    for row in logit["class_shares"]:
        if row["destination"] == "istanbul" and row["corridor"].startswith("middle"):
            rail[row["shipper_class"]] += row["share"]
    assert rail["container-time-sensitive"] > rail["container-standard"]
    table = run("assign", "-d", "crude-2024")
    assert "relative gap" in table.stdout and "kmg-socar-btc-2024" in table.stdout


def test_assign_criticality_ranks_capacity_bearing_assets() -> None:
    args = ["assign", "-d", "middle-2030", "--criticality", "--top", "4", "--method", "min_cost"]
    data = json.loads(run(*args, "--json").stdout)
    ranking = data["criticality"]
    assert [r["rank"] for r in ranking] == [1, 2, 3, 4]
    # Alat is full in 2030: losing it leaves containers unserved or costs most
    assert ranking[0]["item_id"] in {"baku_alat", "aktau_port"}
    base_cost = abs(data["base_totals"]["generalized_cost_usd_per_year"])
    assert all(r["cost_rise_usd_per_year"] >= -1e-6 * base_cost for r in ranking)
    keyed = [(r["unmet_rise_t_per_year"], r["cost_rise_usd_per_year"]) for r in ranking]
    assert keyed == sorted(keyed, reverse=True)
    half = json.loads(run(*args, "--outage-share", "0.5", "--json").stdout)
    by_item = {r["item_id"]: r for r in ranking}
    for row in half["criticality"]:
        full = by_item[row["item_id"]]
        assert row["cost_rise_usd_per_year"] == pytest.approx(full["cost_rise_usd_per_year"] / 2)


def test_assign_user_errors_are_messages() -> None:
    result = run("assign", "--demand", "midle-2030")
    assert result.returncode == 2
    assert "middle-2030" in result.stderr and "Traceback" not in result.stderr
    listed = json.loads(run("assign", "--list", "--json").stdout)
    assert "grain-2024" in {s["name"] for s in listed["demand_sets"]}
    bad = run("assign", "-d", "middle-2030", "--method", "cheapest")
    assert bad.returncode == 2 and "logit or min_cost" in bad.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["route", "--from", "Xian", "--to", "Istanbul"],
        ["simulate", "--from", "Xian", "--to", "Istanbul"],
        ["quote", "--from", "Xian", "--to", "Istanbul", "--quantity", "2"],
        ["assign", "--demand", "middle-2030"],
        ["compare", "eurasia", "eurasia"],
    ],
    ids=lambda c: c[0],
)
def test_every_routing_command_names_a_bad_sanctions_policy(command: list[str]) -> None:
    result = run(*command, "--sanctions", "ban")
    assert result.returncode == 2
    assert "--sanctions" in result.stderr
    assert "'ban' is not one of flag, penalize, forbid" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_value_of_time_names_its_option() -> None:
    result = run("route", "--from", "Xian", "--to", "Istanbul", "--vot", "nan")
    assert result.returncode == 2
    assert "--vot" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
