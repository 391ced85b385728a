"""The result columns of each sweep job kind (the sweep file may not reuse their names)."""

from __future__ import annotations

#: The metrics of each job, in column order. Keys carry units.
METRICS: dict[str, tuple[str, ...]] = {
    "assign": (
        "solver_status",
        "year",
        "generalized_cost_usd_per_year",
        "objective_usd_per_year",
        "tonne_km_per_year",
        "co2_kg_per_year",
        "demand_t_per_year",
        "unmet_t_per_year",
        "unmet_share",
        "binding_capacities",
        "top_bottleneck",
        "top_bottleneck_shadow_price_usd_per_unit",
        "top_bottleneck_utilisation",
        "network_hash",
    ),
    "route": (
        "year",
        "corridor",
        "nodes",
        "distance_km",
        "time_h",
        "time_days",
        "cost_usd",
        "co2_kg",
        "risk_usd",
        "generalized_cost_usd",
        "network_hash",
    ),
    "simulate": (
        "year",
        "corridor",
        "nodes",
        "routes_simulated",
        "deterministic_time_h",
        "mean_time_h",
        "p50_time_h",
        "p90_time_h",
        "p95_time_h",
        "p_on_time",
        "mean_generalized_cost_usd",
        "p90_generalized_cost_usd",
        "network_hash",
    ),
}


def metric_names(kind: str) -> tuple[str, ...]:
    """Return the metric columns of a job kind (``assign``, ``route`` or ``simulate``)."""
    return METRICS[kind]
