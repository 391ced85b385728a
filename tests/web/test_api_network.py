"""Read-only endpoints: health, network GeoJSON with filters, places, commodities, countries."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import corridor

NET = corridor.load()


def test_health_reports_network_database_and_auth(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body == {
        "status": "ok",
        "network": "eurasia",
        "version": corridor.__version__,
        "write_auth": False,
        "database": "sqlite",
        "networks": ["eurasia"],
    }


def test_network_has_every_link_and_node_with_the_contract_properties(
    client: TestClient,
) -> None:
    features = client.get("/api/network").json()["features"]
    links = [f for f in features if f["geometry"]["type"] == "LineString"]
    nodes = [f for f in features if f["geometry"]["type"] == "Point"]
    assert {f["id"] for f in links} == set(NET.links["link_id"])
    assert {f["id"] for f in nodes} == set(NET.nodes["node_id"])
    link = next(f for f in links if f["id"] == "xian__lanzhou__rail_1435")
    assert link["properties"]["distance_km"] == 583.0
    assert link["properties"]["corridors"] == ["middle", "northern"]
    assert link["properties"]["countries"] == ["CN"]  # from the end nodes when not listed
    assert set(link["properties"]) >= {
        "link_id", "from_node", "to_node", "mode", "status", "opening_year", "distance_km",
        "capacity_t_per_year", "capacity_teu_per_year", "corridors", "countries",
    }  # fmt: skip
    xian = next(f for f in nodes if f["id"] == "xian")
    assert xian["geometry"]["coordinates"] == [109.06, 34.38]
    assert xian["properties"]["country"] == "CN"


def test_network_filters_by_mode_family_country_and_status(client: TestClient) -> None:
    ferries = client.get("/api/network", params={"mode": "caspian_ferry"}).json()["features"]
    ferry_links = [f for f in ferries if f["geometry"]["type"] == "LineString"]
    expected = set(NET.links.loc[NET.links["mode"] == "caspian_ferry", "link_id"])
    assert {f["id"] for f in ferry_links} == expected
    ends = {f["properties"][e] for f in ferry_links for e in ("from_node", "to_node")}
    assert {f["id"] for f in ferries if f["geometry"]["type"] == "Point"} == ends

    rail = client.get("/api/network", params={"mode": "rail"}).json()["features"]
    assert {f["properties"]["mode"] for f in rail if "mode" in f["properties"]} == {
        m for m in NET.links["mode"] if str(m).startswith("rail")
    }

    planned = client.get("/api/network", params={"status": "planned"}).json()["features"]
    planned_links = [f for f in planned if f["geometry"]["type"] == "LineString"]
    assert planned_links and all(f["properties"]["status"] == "planned" for f in planned_links)

    georgia = client.get("/api/network", params={"country": "Georgia"}).json()["features"]
    for f in georgia:
        if f["geometry"]["type"] == "LineString":
            assert "GE" in f["properties"]["countries"]
    ge_nodes = set(NET.nodes.loc[NET.nodes["country"] == "GE", "node_id"])
    assert ge_nodes <= {f["id"] for f in georgia}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"mode": "hovercraft"}, "mode"), ({"country": "Atlantis"}, "country"),
     ({"status": "sunk"}, "status"), ({"network": "../../etc"}, "network"),
     ({"network": "europe"}, "network")],
)  # fmt: skip
def test_bad_filters_name_the_parameter(client: TestClient, params: dict, field: str) -> None:
    response = client.get("/api/network", params=params)
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_unknown_country_filter_suggests(client: TestClient) -> None:
    detail = client.get("/api/network", params={"country": "Gorgia"}).json()["detail"][0]
    assert detail["suggestions"] == ["GE"]


def test_places_commodities_countries(client: TestClient) -> None:
    places = client.get("/api/places").json()
    assert len(places) == len(NET.nodes)
    assert places[0] == {
        "node_id": "xian",
        "name": "Xi'an (International Trade and Logistics Park / dry port)",
        "country": "CN",
        "kind": "dry_port",
    }
    commodities = {c["commodity_id"]: c for c in client.get("/api/commodities").json()}
    assert commodities["container"]["unit"] == "teu"
    assert "sea" in commodities["container"]["allowed_modes"]
    countries = {c["country"]: c for c in client.get("/api/countries").json()}
    assert countries["CN"]["border_time_h"] == 40.6
    assert set(countries) == set(NET.countries["country"])


def test_openapi_models_come_from_the_table_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    place = spec["components"]["schemas"]["Place"]["properties"]
    assert set(place) == {"node_id", "name", "country", "kind"}
    country = spec["components"]["schemas"]["Country"]["properties"]
    assert "[h]" in country["border_time_h"]["description"]  # the unit from the schema


def test_page_and_static_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "corridor" in page.text
    assert client.get("/static/index.html").status_code == 200
    assert client.get("/static/../pyproject.toml").status_code == 404


def test_sources_give_title_publisher_date_and_the_figure_as_published(
    client: TestClient,
) -> None:
    sources = client.get("/api/sources").json()
    by_id = {s["source_id"]: s for s in sources}
    alat = by_id["a-alat-phase1"]
    assert alat["title"] and alat["publisher"] and alat["published"]
    assert alat["figure_as_published"]
    # Every source a route cites can be looked up.
    route = client.post("/api/route", json={"origin": "Almaty", "destination": "Istanbul"})
    assert set(route.json()["routes"][0]["sources"]) <= set(by_id)
