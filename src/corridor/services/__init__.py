"""The service layer: one function per user question, shared by the CLI, API and web app.

Adapters (CLI, REST API, web page) call these functions and only present their results.
Networks are read, checked, summarised, exported and viewed in :mod:`.networks`; routes,
reliability, assignment and comparisons are answered in :mod:`.questions`; appraisal and the
trade outlook in :mod:`.economics`.
"""

from __future__ import annotations

from corridor.datasets import valid_network
from corridor.services.economics import (
    appraise_project,
    discount_rates,
    read_flows_csv,
    target_assignment,
    trade_outlook,
)
from corridor.services.flow_view import assignment_view, short_name
from corridor.services.flows import rank_criticality
from corridor.services.networks import (
    COMMODITY_COLUMNS,
    COUNTRY_COLUMNS,
    LINK_COLUMNS,
    LINK_RENAMES,
    NODE_COLUMNS,
    SOURCE_COLUMNS,
    STATUSES,
    ExportFormat,
    check_network,
    export_network,
    list_scenarios,
    network_features,
    network_geojson,
    network_of,
    network_view,
    scenario_network,
    scenario_network_and_year,
    summarize_network,
    table_rows,
)
from corridor.services.questions import (
    assign_on,
    bundled_demand,
    check_flow_names,
    compare_networks,
    demand_set_year,
    find_pareto,
    find_routes,
    pareto_on,
    routes_on,
    run_assignment,
    simulate_routes,
)
from corridor.services.shipments import Quote, quote_shipment

__all__ = [
    "COMMODITY_COLUMNS",
    "COUNTRY_COLUMNS",
    "LINK_COLUMNS",
    "LINK_RENAMES",
    "NODE_COLUMNS",
    "SOURCE_COLUMNS",
    "STATUSES",
    "ExportFormat",
    "Quote",
    "appraise_project",
    "assign_on",
    "assignment_view",
    "bundled_demand",
    "check_flow_names",
    "check_network",
    "compare_networks",
    "demand_set_year",
    "discount_rates",
    "export_network",
    "find_pareto",
    "find_routes",
    "list_scenarios",
    "network_features",
    "network_geojson",
    "network_of",
    "network_view",
    "pareto_on",
    "quote_shipment",
    "rank_criticality",
    "read_flows_csv",
    "routes_on",
    "run_assignment",
    "scenario_network",
    "scenario_network_and_year",
    "short_name",
    "simulate_routes",
    "summarize_network",
    "table_rows",
    "target_assignment",
    "trade_outlook",
    "valid_network",
]
