"""Route, Pareto, simulate and compare: answers equal the library's, bad input is located."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import corridor

NET = corridor.load()


def test_route_equals_the_library_route(client: TestClient) -> None:
    body = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "avoid": ["RU", "IR"]}
    ).json()
    expected = corridor.route(NET, "Xian", "Istanbul", "container", avoid=["RU", "IR"])
    (found,) = body["routes"]
    assert found["nodes"] == expected.nodes
    assert found["totals"]["time_h"] == pytest.approx(expected.totals.time_h)
    assert found["totals"]["cost_usd"] == pytest.approx(expected.totals.cost_usd)
    links = [f["properties"]["item_id"] for f in found["geojson"]["features"]]
    assert links == expected.link_ids
    assert body["network"] == "eurasia" and body["scenario"] is None and body["run_id"]


def test_route_reports_the_co2_split_and_the_factor_version(client: TestClient) -> None:
    body = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "avoid": ["RU", "IR"]}
    ).json()
    (found,) = body["routes"]
    totals = found["totals"]
    assert totals["co2_wtt_kg"] > 0 and totals["co2_ttw_kg"] > 0
    assert totals["co2_wtt_kg"] + totals["co2_ttw_kg"] == pytest.approx(totals["co2_kg"])
    transfers = [f for f in found["legs"] if f["kind"] == "transfer"]
    assert transfers and all(leg["co2_kg"] > 0 for leg in transfers)  # hub emissions
    assert found["provenance"]["emission_factors_version"].startswith("GLEC Framework")


def test_alternatives_and_parameters(client: TestClient) -> None:
    body = client.post(
        "/api/route",
        json={"origin": "Xian", "destination": "Istanbul", "k": 3, "diverse": True},
    ).json()
    assert len(body["routes"]) == 3
    assert len({r["corridor"] for r in body["routes"]}) == 3
    forbid = client.post(
        "/api/route",
        json={"origin": "Tengiz", "destination": "Istanbul", "commodity": "crude_oil",
              "sanctions": "forbid"},
    ).json()  # fmt: skip
    assert "RU" not in forbid["routes"][0]["countries"]
    by_time = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "objective": "time"}
    ).json()["routes"][0]
    by_cost = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "objective": "cost"}
    ).json()["routes"][0]
    assert by_time["totals"]["time_h"] <= by_cost["totals"]["time_h"]
    assert by_cost["totals"]["cost_usd"] <= by_time["totals"]["cost_usd"]


@pytest.mark.parametrize(
    ("body", "loc", "suggestion"),
    [
        ({"origin": "Xain", "destination": "Istanbul"}, ["body", "origin"], "xian"),
        ({"origin": "Xian", "destination": "Istambul"}, ["body", "destination"], None),
        ({"origin": "Xian", "destination": "Istanbul", "via": ["Aktau", "Bakku"]},
         ["body", "via", 1], None),
        ({"origin": "Xian", "destination": "Istanbul", "commodity": "gran"},
         ["body", "commodity"], "grain"),
        ({"origin": "Xian", "destination": "Istanbul", "avoid": ["Rusia"]},
         ["body", "avoid", 0], None),
    ],
)  # fmt: skip
def test_unknown_names_are_located_with_suggestions(
    client: TestClient, body: dict, loc: list, suggestion: str | None
) -> None:
    response = client.post("/api/route", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == loc
    assert detail["type"] == "not_found"
    if suggestion:
        assert suggestion in detail["suggestions"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"origin": "Xian", "destination": "Istanbul", "k": 11}, "k"),
        ({"origin": "Xian", "destination": "Istanbul", "k": 0}, "k"),
        ({"origin": "Xian", "destination": "Istanbul", "objective": "fun"}, "objective"),
        ({"origin": "Xian", "destination": "Istanbul", "path": "/etc"}, "path"),
        ({"origin": "Xian", "destination": "Istanbul", "network": "/etc/x"}, "network"),
        ({"origin": "Xian", "destination": "Istanbul", "network": "europe"}, "network"),
        ({"origin": "Xian"}, "destination"),
        ({"origin": "", "destination": "Istanbul"}, "origin"),
    ],
)
def test_invalid_fields_answer_422_naming_them(client: TestClient, body: dict, field: str) -> None:
    response = client.post("/api/route", json=body)
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_no_route_names_the_cutting_constraint(client: TestClient) -> None:
    response = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "avoid": ["rail"]}
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == "no_route"
    assert "rail_1435" in detail["msg"]


def test_same_origin_and_destination_is_an_error(client: TestClient) -> None:
    response = client.post("/api/route", json={"origin": "Xian", "destination": "xian"})
    assert response.status_code == 422
    assert "same node" in response.json()["detail"][0]["msg"]


def test_pareto_front_is_non_dominated(client: TestClient) -> None:
    body = client.post(
        "/api/pareto",
        json={"origin": "Kostanay", "destination": "Istanbul", "commodity": "grain"},
    ).json()
    front = body["front"]
    assert front

    def criteria(r: dict) -> list[float]:
        t = r["totals"]
        return [t["cost_usd"], t["time_h"], t["co2_kg"], t["risk_usd"] + t["sanctions_penalty_usd"]]

    for a in front:
        for b in front:
            if a is not b:  # b dominates a: no worse everywhere and better somewhere
                ca, cb = criteria(a), criteria(b)
                assert not (all(y <= x for x, y in zip(ca, cb, strict=True)) and cb != ca)
    expected = corridor.pareto(NET, "Kostanay", "Istanbul", "grain")
    assert len(front) == len(expected.front)


def test_simulate_statistics_and_histograms(client: TestClient) -> None:
    body = client.post(
        "/api/simulate",
        json={"origin": "Xian", "destination": "Istanbul", "n": 2000, "k": 2, "seed": 7,
              "deadline_h": 480, "bins": 20},
    ).json()  # fmt: skip
    routes = body["routes"]
    assert routes and body["ranked_by"] == "p90"
    edges = routes[0]["histogram"]["edges_h"]
    assert len(edges) == 21
    for r in routes:
        assert sum(r["histogram"]["counts"]) == 2000
        assert r["histogram"]["edges_h"] == edges  # one set of bins for the chart
        assert r["p50_time_h"] <= r["p90_time_h"] <= r["p95_time_h"]
        assert 0 <= r["p_on_time"] <= 1
        assert r["geojson"]["features"]
    p90 = [r["p90_time_h"] for r in routes]
    assert p90 == sorted(p90)
    again = client.post(
        "/api/simulate",
        json={"origin": "Xian", "destination": "Istanbul", "n": 2000, "k": 2, "seed": 7,
              "deadline_h": 480, "bins": 20},
    ).json()  # fmt: skip
    assert [r["p90_time_h"] for r in again["routes"]] == p90  # same seed, same numbers


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"n": 100_001}, "n"), ({"month": 13}, "month"), ({"by": "on_time"}, "deadline_h"),
     ({"deadline_h": -1}, "deadline_h")],
)  # fmt: skip
def test_simulate_limits(client: TestClient, extra: dict, field: str) -> None:
    response = client.post(
        "/api/simulate", json={"origin": "Xian", "destination": "Istanbul", **extra}
    )
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_compare_same_network_has_no_differences(client: TestClient) -> None:
    body = client.post("/api/compare", json={"origin": "Xian", "destination": "Istanbul"}).json()
    assert body["differences"]["same_route"] is True
    assert all(v == 0 for v in body["differences"]["totals_delta"].values())
    assert body["base"]["nodes"] == body["other"]["nodes"]


def test_compare_with_an_unknown_scenario_names_the_field(client: TestClient) -> None:
    response = client.post(
        "/api/compare",
        json={"origin": "Xian", "destination": "Istanbul", "other": "no-such-scenario"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "other"]


def test_compare_avoids_the_countries_asked_on_both_sides(client: TestClient) -> None:
    body = {"origin": "Almaty", "destination": "Istanbul"}
    plain = client.post("/api/compare", json=body).json()
    assert "RU" in plain["base"]["countries"]
    avoided = client.post("/api/compare", json={**body, "avoid": ["RU"]}).json()
    assert "RU" not in avoided["base"]["countries"]
    assert "RU" not in avoided["other"]["countries"]
