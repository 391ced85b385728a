"""Scenarios: create, read, update, delete, validate; write authorisation; persistence."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import local_client

AppFactory = Callable[..., FastAPI]

TEXT = "name: caspian-x2\ntitle: Caspian x2\nbase: eurasia\n"


def test_crud_round_trip(client: TestClient) -> None:
    created = client.post(
        "/api/scenarios", json={"name": "caspian-x2", "yaml": TEXT, "description": "x2"}
    )
    assert created.status_code == 201
    assert created.headers["Location"] == "/api/scenarios/caspian-x2"
    assert created.json()["revision"] == 1 and created.json()["bundled"] is False
    got = client.get("/api/scenarios/caspian-x2").json()
    assert got["yaml"] == TEXT and got["description"] == "x2"
    names = [s["name"] for s in client.get("/api/scenarios").json() if not s["bundled"]]
    assert names == ["caspian-x2"]
    updated = client.put("/api/scenarios/caspian-x2", json={"yaml": TEXT + "year: 2030\n"})
    assert updated.status_code == 200 and updated.json()["revision"] == 2
    assert client.delete("/api/scenarios/caspian-x2").status_code == 204
    assert client.get("/api/scenarios/caspian-x2").status_code == 404


def test_conflicts_and_unknown_names(client: TestClient) -> None:
    client.post("/api/scenarios", json={"name": "caspian-x2", "yaml": TEXT})
    again = client.post("/api/scenarios", json={"name": "caspian-x2", "yaml": TEXT})
    assert again.status_code == 409
    missing = client.get("/api/scenarios/caspian-x3")
    assert missing.status_code == 404
    assert missing.json()["detail"][0]["suggestions"] == ["caspian-x2"]
    assert client.put("/api/scenarios/nothing", json={"yaml": TEXT}).status_code == 404
    assert client.delete("/api/scenarios/nothing").status_code == 404


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b", "with space", "", "x" * 101])
def test_names_can_never_be_paths(client: TestClient, name: str) -> None:
    response = client.post("/api/scenarios", json={"name": name, "yaml": TEXT})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_validate_reports_problems_without_saving(client: TestClient) -> None:
    ok = client.post("/api/scenarios/validate", json={"yaml": TEXT}).json()
    assert ok["ok"] is True and ok["problems"] == []
    bad = client.post("/api/scenarios/validate", json={"yaml": "name: [unclosed\n"}).json()
    assert bad["ok"] is False and bad["problems"]
    unsafe = client.post(
        "/api/scenarios/validate", json={"yaml": "!!python/object/apply:os.system ['true']"}
    ).json()
    assert unsafe["ok"] is False  # loaded safely: tags that run code are refused
    assert [s for s in client.get("/api/scenarios").json() if not s["bundled"]] == []


def test_invalid_yaml_is_not_saved(client: TestClient) -> None:
    response = client.post("/api/scenarios", json={"name": "broken", "yaml": "- just\n- a list\n"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "yaml"]
    assert client.get("/api/scenarios/broken").status_code == 404


def test_writes_need_the_token_when_one_is_set(make_app: AppFactory) -> None:
    with local_client(make_app(api_token="s3cret")) as client:
        assert client.get("/api/health").json()["write_auth"] is True
        body = {"name": "caspian-x2", "yaml": TEXT}
        no_token = client.post("/api/scenarios", json=body)
        assert no_token.status_code == 401
        assert no_token.json()["detail"][0]["loc"] == ["header", "Authorization"]
        wrong = client.post("/api/scenarios", json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        assert client.post("/api/scenarios", json=body, headers=auth).status_code == 201
        assert client.get("/api/scenarios/caspian-x2").status_code == 200  # reads stay open
        assert client.put("/api/scenarios/caspian-x2", json={"yaml": TEXT}).status_code == 401
        assert client.delete("/api/scenarios/caspian-x2").status_code == 401
        assert client.delete("/api/scenarios/caspian-x2", headers=auth).status_code == 204


def test_saved_scenarios_survive_a_restart(make_app: AppFactory) -> None:
    with local_client(make_app()) as first:
        first.post("/api/scenarios", json={"name": "caspian-x2", "yaml": TEXT})
    with local_client(make_app()) as second:
        assert second.get("/api/scenarios/caspian-x2").json()["yaml"] == TEXT


def test_a_saved_base_must_be_a_name_not_a_path(client: TestClient) -> None:
    response = client.post(
        "/api/scenarios", json={"name": "sneaky", "yaml": "name: sneaky\nbase: /etc\n"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "yaml", "base"]


def test_bundled_scenarios_are_listed_read_only(client: TestClient) -> None:
    bundled = {s["name"] for s in client.get("/api/scenarios").json() if s["bundled"]}
    assert "zangezur-open" in bundled
    assert client.get("/api/scenarios/zangezur-open").json()["bundled"] is True
    assert client.delete("/api/scenarios/zangezur-open").status_code == 403
    taken = client.post("/api/scenarios", json={"name": "zangezur-open", "yaml": TEXT})
    assert taken.status_code == 403


def test_routes_on_bundled_and_saved_scenarios(client: TestClient) -> None:
    body = {"origin": "Baku", "destination": "Nakhchivan"}
    today = client.post("/api/route", json=body)
    assert today.status_code == 422 and today.json()["detail"][0]["type"] == "no_route"
    opened = client.post("/api/route", json={**body, "scenario": "zangezur-open"})
    assert opened.status_code == 200
    assert opened.json()["scenario"] == "zangezur-open"
    # A saved scenario based on a bundled one sees the same network.
    text = "name: mine\ntitle: Mine\nbase: zangezur-open\n"
    assert client.post("/api/scenarios", json={"name": "mine", "yaml": text}).status_code == 201
    mine = client.post("/api/route", json={**body, "scenario": "mine"}).json()
    assert mine["routes"][0]["nodes"] == opened.json()["routes"][0]["nodes"]
    # and one based on the saved one
    text2 = "name: mine2\ntitle: Mine 2\nbase: mine\n"
    assert client.post("/api/scenarios", json={"name": "mine2", "yaml": text2}).status_code == 201
    mine2 = client.post("/api/route", json={**body, "scenario": "mine2"}).json()
    assert mine2["routes"][0]["nodes"] == opened.json()["routes"][0]["nodes"]
    compared = client.post(
        "/api/compare",
        json={"origin": "Baku", "destination": "Nakhchivan", "base": "mine", "other": None},
    )
    assert compared.status_code == 422  # no route in the network of today


@pytest.mark.parametrize(
    ("yaml", "words"),
    [
        ("name: s1\ntitle: t\nbase: eurasia\npatches:\n  - nodes: {ids: no_such_node}\n"
         "    set: {capacity_t_per_year: 5}\n    ref: est-coords\n", "unknown nodes id"),
        ("name: s2\ntitle: t\nbase: nowhere\n", "base 'nowhere' is not"),
    ],
)  # fmt: skip
def test_a_scenario_that_cannot_be_applied_is_refused_when_saved_not_when_used(
    client: TestClient, yaml: str, words: str
) -> None:
    name = yaml.split("\n")[0].removeprefix("name: ")
    saved = client.post("/api/scenarios", json={"name": name, "yaml": yaml})
    assert saved.status_code == 422 and words in saved.text
    assert client.get(f"/api/scenarios/{name}").status_code == 404
    checked = client.post("/api/scenarios/validate", json={"yaml": yaml}).json()
    assert checked["ok"] is False and words in checked["problems"][0]["message"]
