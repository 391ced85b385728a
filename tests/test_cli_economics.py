"""End-to-end: the appraise and outlook commands, text and JSON."""

from __future__ import annotations

import json

import pytest
from helpers import TINY
from typer.testing import CliRunner

from corridor.cli.main import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_appraise_json_matches_the_hand_computed_npv():
    result = run("appraise", "--capex", "100", "--benefit-usd", "60", "--years", "2",
                 "--rate", "0.1", "--rates", "4,46", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["npv_usd"] == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21)
    assert data["irr_pct"] == pytest.approx(13.0662, abs=1e-4)
    assert [row["pays"] for row in data["sweep"]] == [True, False]


def test_appraise_text_shows_the_sourced_ladder():
    result = run("appraise", "--capex", "1e9", "--benefit-usd", "150e6", "--ramp-up-years", "3")
    assert result.exit_code == 0, result.output
    assert "Turkish lira" in result.output
    assert "pays at discount rates below" in result.output


def test_appraise_with_the_model_on_a_demand_file(tmp_path):
    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,flow_per_year\nInland,West City,container,100000\n"
    )
    result = run("appraise", "--capex", "100e6", "--demand-file", str(demand), "--project-year",
                 "2030", "--network", str(TINY), "--rates", "none", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["inputs"]["benefit"]["cost_saving_usd_per_year"] == pytest.approx(49e6)


def test_appraise_user_mistakes_are_messages_not_tracebacks():
    from corridor.cli.main import main

    for args, expected in (
        (["appraise", "--capex", "1"], "either --benefit-usd or --demand-file"),
        (["appraise", "zangezur-open", "--capex", "1"], "needs --demand"),
        (["appraise", "zangezr-open", "--capex", "1", "-d", "middle-2030"], "zangezur-open"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code != 0
        assert expected in str(result.exception)
    bad = runner.invoke(app, ["appraise", "--capex", "1", "--benefit-usd", "1", "--rates", "x"])
    assert bad.exit_code == 2 and "not a rate" in bad.output
    assert callable(main)


def test_outlook_json_and_plot(tmp_path):
    plot = tmp_path / "fan.png"
    result = run("outlook", "--scenario", "historical", "--n", "300", "--plot", str(plot), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["target_usd"] == 15e9
    assert [s["scenario_id"] for s in data["scenarios"]] == ["historical"]
    assert data["scenarios"][0]["target_year_central"] == 2040
    assert plot.exists()


def test_outlook_text_names_each_scenario():
    result = run("outlook", "--n", "200")
    assert result.exit_code == 0, result.output
    assert "not by 2060" in result.output
    assert "2024 5.00 bn" in result.output


def test_appraise_a_scenario_with_the_assignment_model() -> None:
    # Alat phase 2 relieves the binding Alat container capacity of the 2030 demand, so the
    # model finds a positive benefit; with zero capex the benefit-cost ratio is undefined.
    result = runner.invoke(
        app,
        ["appraise", "alat-phase2", "-d", "middle-2030", "--capex", "1e8", "--rates", "none",
         "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["inputs"]["scenario"] == "alat-phase2"
    assert data["inputs"]["benefit"]["cost_saving_usd_per_year"] > 0


def test_outlook_with_a_corridor_scenario_moves_trade_up() -> None:
    # The World Bank 2030 package makes Almaty->Istanbul cheaper, so trade cannot fall.
    base = runner.invoke(app, ["outlook", "--n", "500", "--json"])
    better = runner.invoke(
        app, ["outlook", "--corridor", "world-bank-2030", "--n", "500", "--json"]
    )
    assert base.exit_code == 0 and better.exit_code == 0, better.output
    b, w = json.loads(base.stdout), json.loads(better.stdout)
    assert w["corridor_change"]["ad_valorem_change_pct"] < 0
    for s_base, s_better in zip(b["scenarios"], w["scenarios"], strict=True):
        # the central (no-noise) path is higher from the change's year on
        paths = zip(s_base["path"], s_better["path"], strict=True)
        later = [(p, q) for p, q in paths if p["year"] >= 2030]
        assert all(q["central_usd"] > p["central_usd"] for p, q in later)
