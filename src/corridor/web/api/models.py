"""Request and response models of the API.

Models of network rows (links, nodes, places, commodities, countries) are generated from the
table schema in ``corridor/schema/*.csv``, so their types, units and descriptions are the ones
the validator and the docs use.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from corridor import services
from corridor.limits import (
    MAX_CO2_PRICE_USD_PER_T,
    MAX_DEADLINE_H,
    MAX_DEMAND_ROWS,
    MAX_K,
    MAX_NAME_CHARS,
    MAX_SAMPLES,
    MAX_TOP,
    SEED_MAX,
    YEAR_MAX,
    YEAR_MIN,
)
from corridor.model.schema import ColumnSpec, table_schema
from corridor.routing.params import Objective, SanctionsPolicy

Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]
"""A node, country, mode, commodity or scenario name as typed by a user."""

STORED = (
    "Whether the run of this call (``run_id``) was committed to the database before this answer "
    "was sent. ``false`` when the database was too slow: the run is still queued, and "
    "``GET /api/runs/{run_id}`` answers 202 until it is written."
)

ScenarioName = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS, pattern=r"^[A-Za-z0-9_.-]+$")
]
"""A scenario name: letters, digits, ``_``, ``.`` and ``-`` (never a path)."""

_PY_TYPES: dict[str, Any] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list[str],
}


def _field(spec: ColumnSpec) -> tuple[Any, Any]:
    kind = _PY_TYPES[spec.dtype]
    unit = f" [{spec.unit}]" if spec.unit else ""
    description = f"{spec.description}{unit}"
    if spec.dtype == "list":
        return kind, Field(default_factory=list, description=description)
    if spec.required:
        return kind, Field(description=description)
    return kind | None, Field(default=None, description=description)


def row_model(
    model_name: str, table: str, columns: tuple[str, ...], renames: dict[str, str] | None = None
) -> type[BaseModel]:
    """Build a pydantic model of some columns of a network table from the table schema.

    Parameters
    ----------
    model_name
        Name of the model (shown in the OpenAPI document).
    table
        Table name, e.g. ``links``.
    columns
        Columns to include, in order.
    renames
        Output names for some columns (e.g. ``corridor`` -> ``corridors``).

    Examples
    --------
    >>> Model = row_model("Place", "nodes", ("node_id", "name"))
    >>> Model(node_id="aktau_port", name="Aktau").model_dump()
    {'node_id': 'aktau_port', 'name': 'Aktau'}
    """
    schema = table_schema(table)
    renames = renames or {}
    fields: dict[str, Any] = {renames.get(c, c): _field(schema.column(c)) for c in columns}
    model: type[BaseModel] = create_model(model_name, **fields)
    return model


# The view's columns are chosen by the service layer; the models here describe them.
LINK_COLUMNS = services.LINK_COLUMNS
LINK_RENAMES = services.LINK_RENAMES
NODE_COLUMNS = services.NODE_COLUMNS
COMMODITY_COLUMNS = services.COMMODITY_COLUMNS
COUNTRY_COLUMNS = services.COUNTRY_COLUMNS


@cache
def link_properties() -> type[BaseModel]:
    """Model of a link's GeoJSON properties."""
    return row_model("LinkProperties", "links", LINK_COLUMNS, LINK_RENAMES)


@cache
def node_properties() -> type[BaseModel]:
    """Model of a node's GeoJSON properties (also the items of ``/api/places``)."""
    return row_model("Place", "nodes", NODE_COLUMNS)


@cache
def commodity_model() -> type[BaseModel]:
    """Model of a row of ``/api/commodities``."""
    return row_model("Commodity", "commodities", COMMODITY_COLUMNS)


@cache
def country_model() -> type[BaseModel]:
    """Model of a row of ``/api/countries``."""
    return row_model("Country", "countries", COUNTRY_COLUMNS)


class Geometry(BaseModel):
    """A GeoJSON Point or LineString in longitude, latitude."""

    type: Literal["Point", "LineString"]
    coordinates: list[float] | list[list[float]]


class Feature(BaseModel):
    """A GeoJSON feature."""

    type: Literal["Feature"] = "Feature"
    id: str | None = None
    geometry: Geometry
    properties: dict[str, Any]


class FeatureCollection(BaseModel):
    """A GeoJSON FeatureCollection; ``properties`` carries route-level fields where present."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature]
    properties: dict[str, Any] | None = None


class Health(BaseModel):
    """Whether the server is up, and how it is configured."""

    status: Literal["ok"]
    network: str
    version: str
    write_auth: bool
    database: Literal["sqlite", "postgresql"]
    networks: list[str]


# Requests -----------------------------------------------------------------------------------


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class QueryBase(_Request):
    """What every route-type request shares."""

    origin: Name = Field(description="Origin node: id, name or alias (e.g. Xian).")
    destination: Name = Field(description="Destination node (e.g. Istanbul).")
    commodity: Name = Field(default="container", description="Commodity id or name.")
    avoid: list[Name] = Field(
        default_factory=list,
        max_length=50,
        description="Countries, nodes, modes or links that may not be used (e.g. RU).",
    )
    via: list[Name] = Field(
        default_factory=list, max_length=10, description="Nodes to pass, in this order."
    )
    year: int | None = Field(
        default=None,
        ge=YEAR_MIN,
        le=YEAR_MAX,
        description="Network year (planned links from opening).",
    )
    sanctions: SanctionsPolicy = Field(
        default="flag", description="Sanctioned countries: flag, penalize or forbid."
    )
    sanctions_penalty_pct: float = Field(
        default=0.0, ge=0, le=100, description="% of cargo value per sanctioned country entered."
    )
    value_of_time_pct_per_day: float | None = Field(
        default=None, ge=0, le=100, description="% of cargo value per day (default: cargo's)."
    )
    co2_price_usd_per_t: float = Field(
        default=0.0, ge=0, le=MAX_CO2_PRICE_USD_PER_T, description="USD per t CO2e."
    )
    max_war_risk_pct: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Insurability limit: port calls whose war-risk premium exceeds this % of "
        "the cargo value are dropped (default: no limit).",
    )
    scenario: ScenarioName | None = Field(
        default=None, description="A bundled or saved scenario to apply to the network."
    )
    network: ScenarioName | None = Field(
        default=None, description="A bundled dataset name (default: the server's network)."
    )


class RouteRequest(QueryBase):
    """Best route or ``k`` alternatives."""

    objective: Objective = Field(default="generalized", description="What to minimise.")
    k: int = Field(default=1, ge=1, le=MAX_K, description="Number of routes.")
    diverse: bool = Field(default=False, description="Alternatives through different corridors.")


class ParetoRequest(QueryBase):
    """Pareto front over cost, time, CO2 and risk."""


class SimulateRequest(QueryBase):
    """Monte Carlo transit times of the candidate routes."""

    n: int = Field(default=10_000, ge=1, le=MAX_SAMPLES, description="Samples per route.")
    seed: int = Field(default=0, ge=0, le=SEED_MAX, description="Random seed.")
    k: int = Field(default=3, ge=1, le=MAX_K, description="Candidate routes of each kind.")
    by: Literal["p90", "expected", "on_time"] = Field(default="p90", description="Ranking.")
    deadline_h: float | None = Field(
        default=None, gt=0, le=MAX_DEADLINE_H, description="Deadline in hours."
    )
    month: int | None = Field(default=None, ge=1, le=12, description="Month of travel.")
    bins: int = Field(default=40, ge=5, le=200, description="Histogram bins.")


class QuoteRequest(QueryBase):
    """A shipment priced on its candidate routes."""

    quantity: float = Field(gt=0, le=1e9, description="How much moves together, in ``unit``.")
    unit: Literal["teu", "feu", "t"] | None = Field(
        default=None, description="teu, feu or t (default: the commodity's own unit)."
    )
    cargo_value_usd: float | None = Field(
        default=None, gt=0, le=1e13, description="Value of the whole shipment, USD."
    )
    n: int = Field(default=10_000, ge=1, le=MAX_SAMPLES, description="Samples per route.")
    seed: int = Field(default=0, ge=0, le=SEED_MAX, description="Random seed.")
    k: int = Field(default=3, ge=1, le=MAX_K, description="Candidate routes of each kind.")
    by: Literal["expected", "p90"] = Field(default="expected", description="Ranking.")


class QuoteOut(BaseModel):
    """The shipment, its candidate routes with shipment totals and P50/P90, and assumptions."""

    model_config = ConfigDict(extra="allow")

    shipment: dict[str, Any]
    ranked_by: str
    assumptions: str
    routes: list[dict[str, Any]]
    network: str
    scenario: str | None
    run_id: str
    stored: bool = Field(description=STORED)


class DemandRow(_Request):
    """One origin-destination flow per year."""

    origin: Name
    destination: Name
    commodity: Name = "container"
    flow_per_year: float = Field(
        ge=0, le=1e10, description="Units per year: TEU for containers, tonnes otherwise."
    )


class AssignRequest(_Request):
    """Load annual demand onto the network: a bundled demand set or explicit flows."""

    demand: ScenarioName | None = Field(default=None, description="A bundled demand set name.")
    flows: list[DemandRow] = Field(
        default_factory=list,
        max_length=MAX_DEMAND_ROWS,
        description=f"Explicit flows (at most {MAX_DEMAND_ROWS} rows).",
    )
    year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX, description="Network year.")
    scenario: ScenarioName | None = None
    network: ScenarioName | None = None
    top: int = Field(default=10, ge=1, le=MAX_TOP, description="Bottlenecks to list.")
    method: Literal["logit", "min_cost"] = Field(
        default="logit",
        description=(
            "logit: how shippers split over diverse routes (path-size logit equilibrium with "
            "capacities and contracts); min_cost: least total generalized cost (the LP)."
        ),
    )


class CompareRequest(_Request):
    """The best route under two scenarios (``null`` = the network as bundled)."""

    base: ScenarioName | None = None
    other: ScenarioName | None = None
    origin: Name
    destination: Name
    commodity: Name = "container"
    objective: Objective = "generalized"
    avoid: list[Name] = Field(
        default_factory=list,
        max_length=50,
        description="Countries, nodes, modes or links neither route may use (e.g. RU).",
    )
    year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    network: ScenarioName | None = None


class ScenarioIn(_Request):
    """A scenario to save: its name and YAML text."""

    name: ScenarioName
    yaml: str = Field(min_length=1, max_length=200_000, description="The scenario as YAML.")
    description: str = Field(default="", max_length=2000)


class ScenarioUpdate(_Request):
    """New YAML text (and description) of a saved scenario."""

    yaml: str = Field(min_length=1, max_length=200_000)
    description: str = Field(default="", max_length=2000)


class ScenarioText(_Request):
    """YAML text to validate."""

    yaml: str = Field(min_length=1, max_length=200_000)


# Responses ----------------------------------------------------------------------------------


class RouteOut(BaseModel):
    """A route: ``Route.to_dict()`` plus its GeoJSON and the run that recorded it."""

    model_config = ConfigDict(extra="allow")

    origin: str
    destination: str
    commodity: str
    unit: str
    corridor: str
    nodes: list[str]
    totals: dict[str, float]
    legs: list[dict[str, Any]]
    geojson: FeatureCollection


class RoutesOut(BaseModel):
    """Routes, best first."""

    routes: list[RouteOut]
    network: str
    scenario: str | None
    run_id: str
    stored: bool = Field(description=STORED)


class DominatedOut(BaseModel):
    """A corridor off the Pareto front and the front route that dominates it."""

    corridor: str
    route: RouteOut
    dominated_by: dict[str, Any]


class ParetoOut(BaseModel):
    """The Pareto front and the dominated corridors."""

    front: list[RouteOut]
    dominated: list[DominatedOut]
    network: str
    scenario: str | None
    run_id: str
    stored: bool = Field(description=STORED)


class Histogram(BaseModel):
    """Transit-time histogram: ``counts[i]`` samples in ``[edges_h[i], edges_h[i+1])``."""

    edges_h: list[float]
    counts: list[int]


class ReliabilityOut(BaseModel):
    """Simulated statistics of one route."""

    model_config = ConfigDict(extra="allow")

    corridor: str
    nodes: list[str]
    n: int
    p50_time_h: float
    p90_time_h: float
    p95_time_h: float
    mean_time_h: float
    p_on_time: float | None
    histogram: Histogram
    geojson: FeatureCollection


class SimulateOut(BaseModel):
    """Routes ranked by the criterion, with statistics and histograms."""

    routes: list[ReliabilityOut]
    ranked_by: str
    network: str
    scenario: str | None
    run_id: str
    stored: bool = Field(description=STORED)


class CompareOut(BaseModel):
    """Best routes under two scenarios and their differences."""

    base: RouteOut
    other: RouteOut
    differences: dict[str, Any]
    run_id: str
    stored: bool = Field(description=STORED)


class DemandSet(BaseModel):
    """A bundled demand set."""

    name: str
    title: str
    year: int | None
    description: str


class JobAccepted(BaseModel):
    """A background job was queued."""

    job_id: str
    status: Literal["queued", "running", "done", "failed"]


class JobOut(BaseModel):
    """State of a background job."""

    job_id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1)
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class SourceOut(BaseModel):
    """A source of the network's figures, as cited by routes and capacities."""

    source_id: str
    kind: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    figure_as_published: str | None = None
    method: str | None = None
    notes: str | None = None


class ScenarioOut(BaseModel):
    """A scenario: saved (editable) or bundled (read-only)."""

    name: str
    description: str
    yaml: str
    bundled: bool
    revision: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


class ScenarioProblem(BaseModel):
    """One problem found in a scenario."""

    path: str
    message: str


class ValidationOut(BaseModel):
    """Result of validating a scenario's YAML."""

    ok: bool
    problems: list[ScenarioProblem]
    checked_with: str


class RunOut(BaseModel):
    """A run without its result."""

    run_id: str
    kind: str
    status: str
    network: str
    scenario: str | None
    request: dict[str, Any]
    error: dict[str, Any] | None
    progress: float
    created_at: str | None
    started_at: str | None
    finished_at: str | None
    duration_s: float | None


class RunList(BaseModel):
    """A page of runs, newest first."""

    total: int
    runs: list[RunOut]


class RunPending(BaseModel):
    """A run whose call was answered but which is not yet written to the database."""

    run_id: str
    status: Literal["pending"] = "pending"
    stored: Literal[False] = False


class TargetRequest(_Request):
    """The freight a bilateral trade target implies, loaded on today's network and scenarios."""

    target_usd: float = Field(
        default=15e9, gt=0, le=1e12, description="Trade target, USD per year, both directions."
    )
    mix: Literal["today", "balanced", "non_oil"] = Field(
        default="today", description="Assumed mix of goods: today's, balanced directions, non-oil."
    )
    steps: int = Field(default=4, ge=1, le=8, description="Trade levels up to the target.")
