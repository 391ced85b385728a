"""The pieces the layers share: one JSON rule, one name resolver, typed request errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor import services
from corridor.errors import CorridorError, DatasetNotFoundError, InvalidRequestError
from corridor.io.locate import bundled, identify, locate
from corridor.model.records import json_safe, records


def test_records_write_missing_and_infinite_numbers_as_none() -> None:
    frame = pd.DataFrame(
        {
            "x": [1.5, np.nan, np.inf, -np.inf],
            "n": pd.array([1, None, 3, 4], dtype="Int64"),
            "s": pd.array(["a", None, "c", "d"], dtype="string"),
        }
    )
    rows = records(frame)
    assert [r["x"] for r in rows] == [1.5, None, None, None]
    assert [r["n"] for r in rows] == [1, None, 3, 4]
    assert [r["s"] for r in rows] == ["a", None, "c", "d"]
    assert all(type(r["n"]) is int for r in rows if r["n"] is not None)
    # Valid JSON: no NaN or Infinity tokens.
    json.dumps(rows, allow_nan=False)


def test_json_safe_cleans_nested_values() -> None:
    data = {"a": (np.float64(2.0), math.nan), "b": {"c": -math.inf, "d": np.int64(7)}}
    assert json_safe(data) == {"a": [2.0, None], "b": {"c": None, "d": 7}}


def test_results_to_dict_are_strict_json() -> None:
    from corridor.assign.model import assign

    network = services.valid_network("eurasia")
    demand = pd.DataFrame(
        [{"origin": "Xian", "destination": "Istanbul", "commodity": "container",
          "flow_per_year": 1000.0}]
    )  # fmt: skip
    json.dumps(assign(network, demand).to_dict(), allow_nan=False)


def test_one_resolver_for_datasets_folders_and_scenarios(tmp_path: Path) -> None:
    assert identify("eurasia") is not None and identify("eurasia").kind == "network"  # type: ignore[union-attr]
    found = identify("zangezur-open")
    assert found is not None and found.kind == "scenario" and found.bundled
    folder = identify(locate("network", "eurasia"))
    assert folder is not None and folder.kind == "network" and not folder.bundled
    scenario = tmp_path / "mine.yaml"
    scenario.write_text("name: mine\nbase: eurasia\n", encoding="utf-8")
    assert identify(scenario).kind == "scenario"  # type: ignore[union-attr]
    assert identify(scenario, paths=False) is None  # a server accepts names only
    assert identify(tmp_path).kind == "network"  # type: ignore[union-attr]
    assert identify("nowhere") is None
    assert set(bundled("network")) >= {"eurasia"}
    with pytest.raises(DatasetNotFoundError, match="neither a bundled scenario"):
        locate("scenario", "zangezur-opne")


def test_invalid_request_error_names_the_field() -> None:
    network = services.valid_network("eurasia")
    with pytest.raises(InvalidRequestError) as caught:
        services.network_view(network, modes=["hovercraft"])
    assert caught.value.field == "mode" and caught.value.reason == "not_found"
    assert isinstance(caught.value, CorridorError)
    with pytest.raises(InvalidRequestError) as caught:
        services.network_view(network, statuses=["sunk"])
    assert caught.value.field == "status" and caught.value.value is None
    with pytest.raises(InvalidRequestError) as caught:
        services.bundled_demand(network, "eurasia", "middle-2003")
    assert caught.value.field == "demand" and "middle-2030" in caught.value.suggestions


def test_the_network_view_filters_like_the_map_page() -> None:
    network = services.valid_network("eurasia")
    everything = services.network_view(network)["features"]
    rail = services.network_view(network, modes=["rail"])["features"]
    links = [f for f in rail if f["properties"]["feature"] == "link"]
    assert links and len(rail) < len(everything)
    assert all(f["properties"]["mode"].startswith("rail") for f in links)


def test_no_module_is_over_600_lines_but_the_compiled_kernels() -> None:
    from pathlib import Path

    import corridor

    root = Path(corridor.__file__).parent
    allowed = {root / "graph" / "kernels.py"}
    long = {
        str(path.relative_to(root)): n
        for path in root.rglob("*.py")
        if path not in allowed and (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}
