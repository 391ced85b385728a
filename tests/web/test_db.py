"""The store on SQLite and PostgreSQL: migrations, scenarios, runs, restarts, atomic writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from corridor.web.db.store import ConflictError, NotFoundError, Store


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    s.migrate()
    return s


def test_migrations_create_the_tables_and_are_idempotent(db_url: str) -> None:
    s = Store(db_url)
    s.migrate()
    s.migrate()  # a second start must not fail or change anything
    tables = set(inspect(s.engine).get_table_names())
    assert {"scenarios", "runs", "alembic_version"} <= tables
    assert s.dialect in ("sqlite", "postgresql")


def test_scenario_crud_and_revisions(store: Store) -> None:
    created = store.create_scenario("caspian-x2", "name: caspian-x2\n", "double ferries")
    assert created.revision == 1
    assert store.scenario_names() == ["caspian-x2"]
    updated = store.update_scenario("caspian-x2", "name: caspian-x2\nyear: 2030\n", "later")
    assert updated.revision == 2
    assert updated.yaml_text.endswith("year: 2030\n")
    assert updated.created_at == created.created_at
    assert updated.updated_at >= created.updated_at
    store.delete_scenario("caspian-x2")
    assert store.scenario_names() == []


def test_duplicate_name_is_a_conflict_and_leaves_the_first(store: Store) -> None:
    store.create_scenario("a", "x: 1\n")
    with pytest.raises(ConflictError, match="exists"):
        store.create_scenario("a", "x: 2\n")
    assert store.get_scenario("a").yaml_text == "x: 1\n"


def test_unknown_names_suggest_close_ones(store: Store) -> None:
    store.create_scenario("zangezur-open", "x: 1\n")
    with pytest.raises(NotFoundError) as info:
        store.get_scenario("zangezur-opne")
    assert info.value.suggestions == ["zangezur-open"]
    for call in (
        lambda: store.update_scenario("nothing", "x: 1\n"),
        lambda: store.delete_scenario("nothing"),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert store.scenario_names() == ["zangezur-open"]  # a failed update created nothing


def test_runs_record_results_and_list_newest_first(store: Store) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    ids = []
    for i in range(3):
        record = store.add_run(
            "route" if i < 2 else "assign",
            {"i": i},
            network="eurasia",
            status="done",
            result={"value": i, "nested": {"list": [1.5, None]}},
            started_at=start + timedelta(minutes=i),
            finished_at=start + timedelta(minutes=i, seconds=2),
        )
        ids.append(record.run_id)
    total, page = store.list_runs()
    assert total == 3
    assert [r.run_id for r in page] == ids[::-1]
    assert all(r.result is None for r in page)  # listings leave results out
    total, routes = store.list_runs(kind="route", limit=1)
    assert total == 2 and [r.run_id for r in routes] == [ids[1]]
    got = store.get_run(ids[0])
    assert got.result == {"value": 0, "nested": {"list": [1.5, None]}}
    assert got.duration_s == pytest.approx(2.0)
    assert got.created_at == start


def test_job_progress_and_unfinished_runs_after_a_restart(db_url: str) -> None:
    first = Store(db_url)
    first.migrate()
    run = first.add_run("assign", {}, network="eurasia", status="queued")
    first.update_run(run.run_id, status="running", started_at=datetime.now(UTC), progress=0.4)
    assert first.get_run(run.run_id).progress == pytest.approx(0.4)
    first.close()
    second = Store(db_url)  # a restarted server sees the same run
    second.migrate()
    assert second.fail_unfinished("interrupted") == 1
    failed = second.get_run(run.run_id)
    assert failed.status == "failed"
    assert failed.error == {"message": "interrupted"}


def test_prune_keeps_the_newest_finished_runs(store: Store) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(10):
        store.add_run(
            "route", {"i": i}, network="eurasia", status="done",
            started_at=start + timedelta(seconds=i), finished_at=start + timedelta(seconds=i),
        )  # fmt: skip
    running = store.add_run("assign", {}, network="eurasia", status="running",
                            started_at=start - timedelta(days=1))  # fmt: skip
    assert store.prune_runs(4) == 6
    total, page = store.list_runs(limit=100)
    assert total == 5  # four newest finished runs and the running job
    assert {r.request.get("i") for r in page} == {6, 7, 8, 9, None}
    assert store.get_run(running.run_id).status == "running"


def test_store_prunes_by_itself(tmp_path: object) -> None:
    s = Store(f"sqlite:///{tmp_path}/p.db", max_runs=3, prune_every=5)
    s.migrate()
    for i in range(5):
        s.add_run("route", {"i": i}, network="eurasia", status="done")
    total, _ = s.list_runs()
    assert total == 3


def test_unknown_run_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get_run("no-such-run")
    with pytest.raises(NotFoundError):
        store.delete_run("no-such-run")
