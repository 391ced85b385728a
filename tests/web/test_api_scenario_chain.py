"""A scenario that extends a saved scenario follows the parent's updates (no stale cache)."""

from __future__ import annotations

from fastapi.testclient import TestClient

PARENT = "name: parent\ntitle: Parent\nbase: eurasia\n"
PARENT_OPENED = PARENT + "patches:\n- links: {corridor: zangezur, status: planned}\n  open: true\n"
CHILD = "name: child\ntitle: Child\nbase: parent\n"


def _planned_links(client: TestClient, scenario: str) -> int:
    reply = client.get("/api/network", params={"scenario": scenario, "status": "planned"})
    assert reply.status_code == 200, reply.text
    return len(reply.json()["features"])


def test_child_sees_its_parents_update(client: TestClient) -> None:
    assert client.post("/api/scenarios", json={"name": "parent", "yaml": PARENT}).status_code == 201
    assert client.post("/api/scenarios", json={"name": "child", "yaml": CHILD}).status_code == 201
    before = _planned_links(client, "child")
    updated = client.put("/api/scenarios/parent", json={"yaml": PARENT_OPENED})
    assert updated.status_code == 200, updated.text
    assert _planned_links(client, "parent") < before
    # The child's own text did not change; its parent's did.
    assert _planned_links(client, "child") == _planned_links(client, "parent")
    # And back: the parent's second update reaches the child too.
    client.put("/api/scenarios/parent", json={"yaml": PARENT})
    assert _planned_links(client, "child") == before
