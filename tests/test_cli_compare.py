"""End-to-end tests of ``corridor compare``."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from helpers import run_cli


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args)


def test_json_shows_the_route_zangezur_opens() -> None:
    result = run("compare", "eurasia", "zangezur-open", "--od", "Baku:Nakhchivan:general_cargo",
                 "--od", "Xian:Istanbul", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    first, second = data["ods"]
    assert (first["origin"], first["destination"], first["change"]) == (
        "baku",
        "nakhchivan",
        "route opens",
    )
    assert first["base"]["route"] is False and "planned" in first["base"]["no_route_reason"]
    assert first["other"]["corridor"] == "middle+zangezur"
    assert second["change"] == "same route" and second["difference"]["cost_usd_per_unit"] == 0
    assert data["assignment"] is None
    assert data["other"]["kind"] == "scenario" and data["base"]["year"] is None


def test_demand_html_and_table(tmp_path: Path) -> None:
    report = tmp_path / "alat.html"
    result = run("compare", "eurasia", "alat-phase2", "--demand", "middle-2030",
                 "--od", "Xian:Istanbul", "--html", report)  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Key routes: eurasia vs alat-phase2" in out
    assert "relieved" in out and "baku_alat" in out
    assert "-523.4 (-10%)" in out  # total generalized cost, M USD/yr, with its sign
    html = report.read_text(encoding="utf-8")
    parser = HTMLParser()
    parser.feed(html)
    parser.close()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "xian → istanbul" in html
    assert "<script" not in html


def test_demand_json_has_assignment_keys() -> None:
    result = run("compare", "eurasia", "alat-phase2", "--demand", "middle-2030",
                 "--od", "Baku:Kars", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    flows = json.loads(result.stdout)["assignment"]
    totals = {row["metric"]: row for row in flows["totals"]}
    assert totals["generalized_cost_usd_per_year"]["difference"] < 0
    assert flows["base"]["year"] == flows["other"]["year"] == 2030
    alat = [r for r in flows["bottlenecks"] if r["item_id"] == "baku_alat"]
    assert alat and all(r["status"] == "relieved" for r in alat)


def test_bad_input_is_an_error_message_not_a_traceback() -> None:
    result = run("compare", "eurasia", "zangezur-opn", "--od", "Bakuu:Kars")
    assert result.returncode == 2
    assert "neither a dataset" in result.stderr and "zangezur-open" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    result = run("compare", "eurasia", "zangezur-open", "--od", "Bakuu:Kars", "--od", "Baku")
    assert result.returncode == 2
    assert "2 problem(s)" in result.stderr and "Did you mean 'Baku'" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    result = run("compare", "eurasia", "eurasia", "--demand", "middle-2031")
    assert result.returncode == 2
    assert "middle-2030" in result.stderr and "Traceback" not in result.stderr


def test_risk_controls_reach_compare_and_assign() -> None:
    out = run_cli("compare", "eurasia", "zangezur-open", "--od", "Xian:Istanbul:container",
                  "--sanctions", "forbid", "--max-war-risk-pct", "0", "--json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["params"]["sanctions"] == "forbid" and data["params"]["max_war_risk_pct"] == 0.0
    base = data["ods"][0]["base"]
    assert "RU" not in base["corridor_name"] and base["risk_usd_per_unit"] == 0.0
    free = json.loads(run_cli("assign", "--demand", "grain-2024", "--json").stdout)
    strict = json.loads(
        run_cli("assign", "--demand", "grain-2024", "--max-war-risk-pct", "0", "--json").stdout
    )
    assert free["totals"] != strict["totals"]  # the limit closes the Russian ports to grain
