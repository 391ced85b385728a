"""The documentation: generated pages are complete, and the site builds in strict mode.

The build executes every tutorial, so a failing cell, a broken link or a docstring that
mkdocstrings cannot render fails this test.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import corridor
from corridor.docs_gen import (
    api_pages,
    bibliography_markdown,
    citations,
    cli_markdown,
    datasets_markdown,
)
from corridor.docs_rest import openapi_document, openapi_markdown

ROOT = Path(__file__).resolve().parents[1]
EURASIA = ROOT / "src" / "corridor" / "data" / "eurasia"
TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("[0-9]*.py"))


def _csv(name: str) -> list[dict[str, str]]:
    with open(EURASIA / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_citations_match_the_raw_files() -> None:
    """Independent count: every non-empty figure with a *_ref cell in the raw CSVs."""
    from corridor.model.schema import TABLES, table_schema

    expected = 0
    for name in TABLES:
        if not (EURASIA / f"{name}.csv").exists():
            continue
        figures = [c for c in table_schema(name).columns if c.figure and c.ref]
        for row in _csv(name):
            for c in figures:
                if row.get(c.name, "").strip() and row.get(c.ref, "").strip():
                    expected += len([s for s in row[c.ref].split("|") if s.strip()])
    cited = citations(corridor.load())
    assert sum(len(v) for v in cited.values()) == expected
    links = {(t, i, c) for uses in cited.values() for t, i, c, _ in uses}
    row = next(r for r in _csv("links") if r["distance_km_ref"])
    assert ("links", row["link_id"], "distance_km") in links


def test_bibliography_lists_every_source() -> None:
    text = bibliography_markdown(corridor.load())
    for row in _csv("sources"):
        assert f"### `{row['source_id']}`" in text
        if row["url"]:
            assert row["url"] in text
    assert "| transfers | `akhalkalaki__rail_1520__rail_1435` |" in text


def test_cli_reference_covers_every_command_and_option() -> None:
    text = cli_markdown()
    for command in ("corridor route", "corridor simulate", "corridor data check"):
        assert f"## `{command}`" in text
    section = text.split("## `corridor route`")[1].split("\n## ")[0]
    for option in ("--from", "--to", "--avoid", "--pareto", "--json", "--geojson"):
        assert option in section


def test_api_pages_exist_for_the_public_modules() -> None:
    pages = api_pages()
    assert "::: corridor.routing.engine" in pages["reference/api/routing.md"]
    index = pages["reference/api/index.md"]
    for path in pages:
        if path != "reference/api/index.md":
            assert f"({Path(path).name})" in index


def test_api_pages_cover_the_new_modules() -> None:
    pages = api_pages()
    text = "\n".join(pages.values())
    for module in (
        "corridor.demand",
        "corridor.scenarios.apply",
        "corridor.economics.appraisal",
        "corridor.economics.outlook",
        "corridor.assign.model",
        "corridor.web.app",
    ):
        assert f"::: {module}\n" in text, module


def test_datasets_page_lists_every_scenario_and_demand_set() -> None:
    from corridor.demand import bundled_demand_sets
    from corridor.scenarios import bundled_scenarios, load_scenario

    text = datasets_markdown()
    scenarios = text.split("## Scenarios")[1].split("## Demand sets")[0]
    for name in bundled_scenarios():
        assert f"| `{name}` | {load_scenario(name).title} |" in scenarios
    demand = text.split("## Demand sets")[1]
    for name in bundled_demand_sets():
        assert f"| `{name}` |" in demand
    assert "container 377,200; crude_oil 3,553,000; general_cargo 3,373,000" in demand


def test_rest_reference_covers_every_operation_and_schema() -> None:
    doc = openapi_document()
    text = openapi_markdown(doc)
    operations = [
        (method, path)
        for path, item in doc["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert ("post", "/api/assign") in operations
    for method, path in operations:
        assert f"### `{method.upper()} {path}`" in text
    for name in doc["components"]["schemas"]:
        assert f"### {name} {{ #schema-{name.lower()} }}" in text
    # every in-page link points at an anchor the page defines
    import re

    anchors = set(re.findall(r"\{ #([a-z0-9-]+) \}", text))
    targets = set(re.findall(r"\]\(#([a-z0-9-]+)\)", text))
    assert targets and targets <= anchors, targets - anchors
    route = text.split("### `POST /api/route`")[1].split("\n### ")[0]
    assert "[RouteRequest](#schema-routerequest)" in route and "| 422 |" in route


def test_openapi_markdown_handles_a_hand_written_document() -> None:
    doc = {
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x/{id}": {
                "get": {
                    "tags": ["things"],
                    "summary": "One thing",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "properties": {"n": {"type": "array", "items": {"type": "number"}}},
                    "required": ["n"],
                }
            }
        },
    }
    text = openapi_markdown(doc)
    assert "| `id` | path | integer | yes | ≥ 1 |" in text
    assert "| `q` | query | string or null |  |  |" in text
    assert "| 200 | ok: [Thing](#schema-thing) |" in text
    assert "| `n` | array of number | yes |  |" in text
    assert "## Things" in text


def test_tutorials_have_checks_and_a_header() -> None:
    assert len(TUTORIALS) >= 6
    for path in TUTORIALS:
        text = path.read_text(encoding="utf-8")
        assert "kernelspec" in text, path.name
        assert '# %% tags=["remove-cell"]' in text and "assert " in text, path.name


def test_link_check_hook(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "tools" / "docs_hooks.py")
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("", encoding="utf-8")
    page = tmp_path / "b" / "index.html"
    page.parent.mkdir()
    page.write_text("", encoding="utf-8")
    assert hooks._exists(tmp_path, page, "../a/")
    assert hooks._exists(tmp_path, page, "../a/index.html#x")
    assert hooks._exists(tmp_path, page, "https://example.org/nowhere")
    assert hooks._exists(tmp_path, page, "#anchor")
    assert not hooks._exists(tmp_path, page, "../c/")
    assert not hooks._exists(tmp_path, page, "../../outside/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed")
    pytest.importorskip("mkdocs_jupyter", reason="the docs extra is not installed")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-8000:]
    return out


def test_site_builds_strict_with_executed_tutorials(site: Path) -> None:
    for path in TUTORIALS:
        html = (site / "tutorials" / path.stem / "index.html").read_text(encoding="utf-8")
        assert "<svg" in html or "<table" in html, path.name
        assert "Traceback (most recent call last)" not in html, path.name
        assert "remove-cell" not in html  # the checking cells are hidden
    first = (site / "tutorials" / TUTORIALS[0].stem / "index.html").read_text(encoding="utf-8")
    assert "Without Russia and Iran, the 40 TEU go by the middle+black_sea route" in first
    pages = {path.stem: path for path in TUTORIALS}
    fourth = (site / "tutorials" / pages["04_bottlenecks_2030"].stem / "index.html").read_text(
        encoding="utf-8"
    )
    assert "the first bottleneck is the container capacity of the port of Baku at Alat" in fourth
    sixth = (site / "tutorials" / pages["06_trade_outlook"].stem / "index.html").read_text(
        encoding="utf-8"
    )
    assert "data:image/png" in sixth  # the fan chart


def test_site_has_the_generated_references(site: Path) -> None:
    cli = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "corridor route" in cli and "--deadline" in cli
    bib = (site / "reference" / "bibliography" / "index.html").read_text(encoding="utf-8")
    assert "a-lanxin-length" in bib
    api = (site / "reference" / "api" / "routing" / "index.html").read_text(encoding="utf-8")
    assert "corridor.routing.engine.route" in api
    rest = (site / "reference" / "rest-api" / "index.html").read_text(encoding="utf-8")
    assert 'id="post-api-assign"' in rest and 'id="schema-routerequest"' in rest
    assert (site / "reference" / "openapi.json").is_file()
    datasets = (site / "reference" / "datasets" / "index.html").read_text(encoding="utf-8")
    assert "zangezur-open" in datasets and "middle-2030" in datasets
