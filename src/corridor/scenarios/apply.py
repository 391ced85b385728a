"""Applying scenarios: resolve the base chain, patch copies of the tables, re-validate.

Nothing here changes its inputs: every function works on copies and returns new objects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.io.locate import bundled, identify, known_names
from corridor.model.network import Network
from corridor.model.schema import TABLES, table_schema
from corridor.model.tables import RowOrigin, suggest
from corridor.scenarios.parse import rows_frame
from corridor.scenarios.select import country_mask, select
from corridor.scenarios.spec import (
    ADD_TABLES,
    DEMAND_KEYS,
    Cell,
    DemandPatch,
    Located,
    Patch,
    Scenario,
    ScenarioError,
    ScenarioProblem,
)


@dataclass
class _Work:
    """Copies of a network's tables and row origins, changed in place while patching."""

    tables: dict[str, pd.DataFrame]
    origins: dict[str, list[RowOrigin]]
    problems: list[ScenarioProblem] = field(default_factory=list)

    @classmethod
    def of(cls, network: Network) -> _Work:
        tables = {name: network.tables[name].copy() for name in TABLES}
        origins = {
            name: [network.origin(name, i) for i in range(len(tables[name]))] for name in TABLES
        }
        return cls(tables, origins)

    def append(self, table: str, rows: pd.DataFrame, origins: list[RowOrigin]) -> None:
        base = self.tables[table]
        frames = [f for f in (base, rows) if len(f)]
        merged = pd.concat(frames, ignore_index=True) if frames else base
        self.tables[table] = merged.astype(base.dtypes.to_dict())
        self.origins[table] = [*self.origins[table], *origins]


# --------------------------------------------------------------------------------------------
# base chain


def _is_network(base: str, folder: Path) -> bool:
    found = identify(base, relative_to=folder)
    return found is not None and found.kind == "network"


def _folder(scenario: Scenario) -> Path:
    return Path(scenario.file).parent if scenario.file != "<text>" else Path.cwd()


def _key(scenario: Scenario) -> str:
    if scenario.file != "<text>" and Path(scenario.file).is_file():
        return os.path.realpath(scenario.file)
    return f"<{scenario.name}>"


def resolve_chain(scenario: Scenario) -> tuple[str, list[Scenario]]:
    """Return the root network and the scenarios to apply to it, root's child first.

    Parameters
    ----------
    scenario
        The scenario whose ``base`` chain to follow.

    Raises
    ------
    ScenarioError
        If a base is neither a dataset nor a scenario, or the chain has a cycle.
    """
    from corridor.scenarios.bundled import load_scenario, scenario_path

    chain = [scenario]
    seen = {_key(scenario): scenario.name}
    current = scenario
    while True:
        folder = _folder(current)
        if _is_network(current.base, folder):
            base = Path(current.base)
            root = (
                str(folder / base)
                if not base.is_absolute() and (folder / base).is_dir()
                else current.base
            )
            return root, chain[::-1]
        where = Located(current.file, current.lines)
        try:
            parent = load_scenario(scenario_path(current.base, folder))
        except ScenarioError as exc:
            if (
                len(exc.problems) == 1
                and not exc.problems[0].path
                and exc.problems[0].file == current.base
            ):
                where.add(
                    "base",
                    f"{current.base!r} is neither a dataset ({', '.join(bundled('network'))}) nor "
                    "a scenario" + suggest(current.base, known_names()),
                )
                raise ScenarioError(where.problems) from None
            raise
        key = _key(parent)
        if key in seen:
            names = " -> ".join([*(s.name for s in chain), parent.name])
            where.add("base", f"cycle in inheritance: {names}")
            raise ScenarioError(where.problems)
        seen[key] = parent.name
        chain.append(parent)
        current = parent


def scenario_year(scenario: Scenario) -> int | None:
    """Return the year to route and assign in, inherited through the base chain.

    Parameters
    ----------
    scenario
        The scenario.

    Examples
    --------
    >>> from corridor.scenarios.bundled import load_scenario
    >>> scenario_year(load_scenario("world-bank-2030"))
    2030
    """
    _, chain = resolve_chain(scenario)
    years = [s.year for s in chain if s.year is not None]
    return years[-1] if years else None


# --------------------------------------------------------------------------------------------
# applying


def apply_scenario(
    scenario: Scenario | str | os.PathLike[str], network: Network | None = None
) -> Network:
    """Return the network the scenario describes; nothing is mutated.

    Parameters
    ----------
    scenario
        The scenario, or a bundled scenario name or YAML file to load.
    network
        Network to apply the scenario chain to; by default the dataset at the root of the
        ``base`` chain, loaded and validated.

    Returns
    -------
    Network
        A new, validated network whose ``meta.name`` is the scenario's name.

    Raises
    ------
    ScenarioError
        With every problem found: unknown ids, bad values, a cycle of bases, and errors the
        network validator finds in the result.

    Examples
    --------
    >>> from corridor.scenarios.bundled import load_scenario
    >>> apply_scenario(load_scenario("zangezur-open")).meta.name
    'zangezur-open'
    """
    from corridor.datasets import load

    if isinstance(scenario, str | os.PathLike):
        from corridor.scenarios.bundled import load_scenario

        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise ScenarioError(
            [
                ScenarioProblem(
                    "<argument>",
                    "scenario",
                    "must be a Scenario (load_scenario), a bundled name or a YAML path, not "
                    f"{type(scenario).__name__}",
                    None,
                )
            ]
        )
    if network is not None and not isinstance(network, Network):
        raise ScenarioError(
            [ScenarioProblem("<argument>", "network", "must be a Network or None", None)]
        )
    root, chain = resolve_chain(scenario)
    base = network if network is not None else load(root)
    work = _Work.of(base)
    for item in chain:
        _apply_one(item, work)
    if work.problems:
        raise ScenarioError(work.problems)
    description = scenario.title + (f": {scenario.description}" if scenario.description else "")
    meta = base.meta.model_copy(
        update={"name": scenario.name, "description": description.strip(), "extends": None}
    )
    result = Network(
        meta=meta,
        tables={name: work.tables[name] for name in TABLES},
        origins={name: tuple(work.origins[name]) for name in TABLES},
    )
    _validate(result, chain)
    return result


def _validate(network: Network, chain: list[Scenario]) -> None:
    from corridor.model.validate import validate

    report = validate(network)
    if report.ok:
        return
    files = ", ".join(s.file for s in chain)
    problems = [
        ScenarioProblem(
            p.file,
            ".".join(x for x in (p.row_id, p.column) if x),
            p.message + f" (in the network after applying {files})",
            p.line,
        )
        for p in report.errors
    ]
    raise ScenarioError(problems)


def _apply_one(scenario: Scenario, work: _Work) -> None:
    out = Located(scenario.file, scenario.lines)
    if scenario.sources:
        lines = [out.line(f"sources[{i}]") for i in range(len(scenario.sources))]
        rows: list[dict[str, Cell]] = [dict(r) for r in scenario.sources]
        frame, origins, _ = rows_frame("sources", rows, None, scenario.file, lines)
        existing = set(work.tables["sources"]["source_id"].dropna())
        for i, sid in enumerate(frame["source_id"]):
            if sid in existing:
                out.add(f"sources[{i}].source_id", f"source id {sid!r} already exists")
        work.append("sources", frame, origins)
    for i, patch in enumerate(scenario.patches):
        _apply_patch(patch, f"patches[{i}]", work, out)
    for i, dpatch in enumerate(scenario.demand):
        _check_demand_ids(dpatch, f"demand[{i}]", work, out)
    work.problems.extend(out.problems)


def _check_ref(ref: str | None, path: str, work: _Work, out: Located) -> None:
    if ref is None:
        return
    known = list(work.tables["sources"]["source_id"].dropna())
    if ref not in known:
        out.add(f"{path}.ref", f"unknown source id {ref!r}{suggest(ref, known)}")


def _apply_patch(patch: Patch, path: str, work: _Work, out: Located) -> None:
    _check_ref(patch.ref, path, work, out)
    op = patch.operation
    if op == "add":
        assert patch.add is not None
        for name in ADD_TABLES:
            if name in patch.add:
                _add_rows(name, patch.add[name], patch.ref, f"{path}.add.{name}", work, out)
        return
    if op == "war_risk":
        assert patch.war_risk is not None
        _war_risk(patch.war_risk, patch.ref, f"{path}.war_risk", work, out)
        return
    if op == "sanctions":
        assert patch.sanctions is not None
        countries = work.tables["countries"]
        for code, level in patch.sanctions.items():
            mask = _country_rows(code, f"{path}.sanctions.{code}", work, out)
            countries.loc[mask, "sanctions"] = level
        return
    table, selector = patch.table, patch.selector
    assert table is not None and selector is not None
    mask = select(work.tables, table, selector, f"{path}.{table}", out)
    if not mask.any():
        return
    frame = work.tables[table]
    if op == "set":
        assert patch.set is not None
        for column, value in patch.set.items():
            _set(table, frame, mask, column, value, patch.ref)
    elif op == "scale":
        assert patch.scale is not None
        for column, factor in patch.scale.items():
            _scale(table, frame, mask, column, factor, patch.ref, f"{path}.scale.{column}", out)
    elif op == "open":
        if isinstance(patch.open, bool):
            frame.loc[mask, "status"] = "open"
        else:
            frame.loc[mask, "status"] = "planned"
            frame.loc[mask, "opening_year"] = int(patch.open or 0)
            frame.loc[mask, "opening_year_ref"] = patch.ref
    elif op == "close" and table == "countries":
        codes = set(frame.loc[mask, "country"].dropna())
        for name in ("nodes", "links", "transfers"):
            hit = country_mask(work.tables, name, codes)
            work.tables[name].loc[hit, "status"] = "closed"
    elif op == "close":
        frame.loc[mask, "status"] = "closed"


def _set(
    table: str,
    frame: pd.DataFrame,
    mask: NDArray[np.bool_],
    column: str,
    value: Cell,
    ref: str | None,
) -> None:
    spec = table_schema(table).column(column)
    if isinstance(value, list):
        value = "|".join(value)
    if value is None:
        frame.loc[mask, column] = pd.NA if spec.dtype != "float" else np.nan
        if spec.ref:
            frame.loc[mask, spec.ref] = pd.NA
        return
    frame.loc[mask, column] = float(value) if spec.dtype == "float" else value
    if spec.figure and ref is not None:
        frame.loc[mask, spec.ref] = ref


def _scale(
    table: str,
    frame: pd.DataFrame,
    mask: NDArray[np.bool_],
    column: str,
    factor: float,
    ref: str | None,
    path: str,
    out: Located,
) -> None:
    spec = table_schema(table).column(column)
    values = frame[column]
    target = mask & values.notna().to_numpy(bool)
    if not target.any():
        out.add(
            path,
            f"every selected {column} is blank (the default applies there): set it instead",
        )
        return
    scaled = values[target] * factor
    if spec.maximum is not None and (scaled > spec.maximum).any():
        out.add(path, f"scaling by {factor:g} takes {column} above the maximum {spec.maximum:g}")
        return
    frame.loc[target, column] = scaled
    if ref is not None:
        frame.loc[target, spec.ref] = ref


def _country_rows(code: str, path: str, work: _Work, out: Located) -> NDArray[np.bool_]:
    countries = work.tables["countries"]
    known = list(countries["country"].dropna())
    if code not in known:
        out.add(path, f"unknown country {code!r}{suggest(code, known)}")
    return countries["country"].eq(code).fillna(False).to_numpy(bool)


def _war_risk(
    premiums: dict[str, float], ref: str | None, path: str, work: _Work, out: Located
) -> None:
    countries, nodes = work.tables["countries"], work.tables["nodes"]
    for code, pct in premiums.items():
        mask = _country_rows(code, f"{path}.{code}", work, out)
        countries.loc[mask, "war_risk_pct_hull_per_call"] = float(pct)
        countries.loc[mask, "war_risk_pct_hull_per_call_ref"] = ref
        overridden = (nodes["country"] == code).fillna(False) & nodes[
            "war_risk_pct_hull_per_call"
        ].notna()
        nodes.loc[overridden, "war_risk_pct_hull_per_call"] = float(pct)
        nodes.loc[overridden, "war_risk_pct_hull_per_call_ref"] = ref


def _add_rows(
    table: str, rows: list[dict[str, Cell]], ref: str | None, path: str, work: _Work, out: Located
) -> None:
    lines = [out.line(f"{path}[{i}]") for i in range(len(rows))]
    frame, origins, _ = rows_frame(table, rows, ref, out.file, lines)
    key = table_schema(table).key
    existing = list(work.tables[table][key].dropna())
    for i, value in enumerate(frame[key]):
        if value in existing:
            out.add(f"{path}[{i}].{key}", f"{value!r} already exists; change it with set")
    work.append(table, frame, origins)


def _check_demand_ids(patch: DemandPatch, path: str, work: _Work, out: Located) -> None:
    nodes = list(work.tables["nodes"]["node_id"].dropna())
    commodities = list(work.tables["commodities"]["commodity_id"].dropna())
    known = {"origin": nodes, "destination": nodes, "commodity": commodities}
    for key in DEMAND_KEYS:
        value = getattr(patch.where, key)
        for item in [value] if isinstance(value, str) else value:
            if item != "*" and item not in known[key]:
                out.add(f"{path}.where.{key}", f"unknown {key} {item!r}{suggest(item, known[key])}")
    for i, row in enumerate(patch.add or []):
        for key in DEMAND_KEYS:
            item = row.get(key)
            if isinstance(item, str) and item not in known[key]:
                out.add(
                    f"{path}.add[{i}].{key}", f"unknown {key} {item!r}{suggest(item, known[key])}"
                )
    if patch.ref is not None:
        _check_ref(patch.ref, path, work, out)


# --------------------------------------------------------------------------------------------
# demand


def apply_demand(scenario: Scenario, demand: pd.DataFrame) -> pd.DataFrame:
    """Return a demand table with the scenario's demand patches applied (base chain first).

    Parameters
    ----------
    scenario
        The scenario.
    demand
        Columns ``demand_id, origin, destination, commodity, flow_per_year`` (and optionally
        source columns such as ``flow_per_year_ref``); not changed.

    Returns
    -------
    pandas.DataFrame
        A new table. Changed and added flows cite the patch's ``ref`` in ``flow_per_year_ref``.

    Raises
    ------
    ScenarioError
        If the table lacks a column the patches need.

    Examples
    --------
    >>> import pandas as pd
    >>> from corridor.scenarios.parse import parse_scenario
    >>> s = parse_scenario('''
    ... name: half
    ... demand:
    ...   - where: {commodity: grain}
    ...     scale: 0.5
    ... ''')
    >>> d = pd.DataFrame({"demand_id": ["a"], "origin": ["kostanay"], "destination": ["istanbul"],
    ...                   "commodity": ["grain"], "flow_per_year": [1000.0]})
    >>> float(apply_demand(s, d)["flow_per_year"].iloc[0])
    500.0
    """
    _, chain = resolve_chain(scenario)
    patches = [(s, i, p) for s in chain for i, p in enumerate(s.demand)]
    missing = [c for c in ("demand_id", *DEMAND_KEYS, "flow_per_year") if c not in demand.columns]
    if missing and patches:
        problem = ScenarioProblem(
            scenario.file, "demand", f"the demand table has no column(s) {', '.join(missing)}"
        )
        raise ScenarioError([problem])
    table = demand.copy()
    for owner, i, patch in patches:
        table = _demand_patch(table, patch, owner, i)
    return table.reset_index(drop=True)


def _demand_patch(
    table: pd.DataFrame, patch: DemandPatch, owner: Scenario, index: int
) -> pd.DataFrame:
    if patch.add is not None:
        rows = []
        for j, row in enumerate(patch.add):
            record = dict(row)
            record.setdefault("demand_id", f"{owner.name}-{index}-{j}")
            if patch.ref is not None and record.get("flow_per_year_ref") in (None, ""):
                record["flow_per_year_ref"] = patch.ref
            record["flow_per_year"] = float(record["flow_per_year"])  # type: ignore[arg-type]
            rows.append(record)
        added = pd.DataFrame(rows)
        return pd.concat([table, added], ignore_index=True) if len(table) else added
    mask = np.ones(len(table), dtype=bool)
    for key in DEMAND_KEYS:
        value = getattr(patch.where, key)
        values = [value] if isinstance(value, str) else list(value)
        if "*" not in values:
            mask &= table[key].isin(values).fillna(False).to_numpy(bool)
    if not mask.any():
        return table
    flows = table["flow_per_year"].astype(float)
    if patch.scale is not None:
        flows[mask] = flows[mask] * patch.scale
    elif patch.set is not None:
        flows[mask] = float(patch.set)
    elif patch.subtract is not None:
        total = float(flows[mask].sum())
        share = 0.0 if total <= 0 else min(1.0, patch.subtract / total)
        flows[mask] = flows[mask] * (1.0 - share)
    table = table.copy()
    table["flow_per_year"] = flows
    if patch.ref is not None:
        if "flow_per_year_ref" not in table.columns:
            table["flow_per_year_ref"] = pd.Series([pd.NA] * len(table), dtype="string")
        table.loc[mask, "flow_per_year_ref"] = patch.ref
    return table


# --------------------------------------------------------------------------------------------
# composing


def merge(a: Scenario, b: Scenario) -> Scenario:
    """Return one scenario doing ``a`` then ``b`` (``b``'s patches after ``a``'s).

    The base is ``a``'s; the year is ``b``'s if it sets one, else ``a``'s. Sources of both are
    kept (``b``'s rows replace ``a``'s with the same id).

    Parameters
    ----------
    a, b
        The scenarios, in the order they apply.
    """
    b_ids = {row.get("source_id") for row in b.sources}
    sources = tuple(r for r in a.sources if r.get("source_id") not in b_ids) + b.sources
    return Scenario(
        name=f"{a.name}+{b.name}",
        title=" then ".join(t for t in (a.title, b.title) if t),
        description="\n\n".join(d for d in (a.description, b.description) if d),
        base=a.base,
        year=b.year if b.year is not None else a.year,
        patches=a.patches + b.patches,
        demand=a.demand + b.demand,
        sources=sources,
        file=a.file,
        lines={},
    )
