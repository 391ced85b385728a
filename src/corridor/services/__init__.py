"""The service layer: one function per user question, shared by the CLI, API and web app.

Adapters (CLI, REST API, web page) call these functions and only present their results.
Networks are read, checked, summarised, exported and viewed in :mod:`.networks`; routes,
reliability, assignment and comparisons are answered in :mod:`.questions`; appraisal and the
trade outlook in :mod:`.economics`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor._lazy import lazy_exports

if TYPE_CHECKING:
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

# Each name is imported from its module on first use, so that a command needs only the
# modules of its own question (a route from the CLI never imports pandas).
_HOMES: dict[str, str] = {
    "COMMODITY_COLUMNS": "corridor.services.networks",
    "COUNTRY_COLUMNS": "corridor.services.networks",
    "ExportFormat": "corridor.services.networks",
    "LINK_COLUMNS": "corridor.services.networks",
    "LINK_RENAMES": "corridor.services.networks",
    "NODE_COLUMNS": "corridor.services.networks",
    "Quote": "corridor.services.shipments",
    "SOURCE_COLUMNS": "corridor.services.networks",
    "STATUSES": "corridor.services.networks",
    "appraise_project": "corridor.services.economics",
    "assign_on": "corridor.services.questions",
    "assignment_view": "corridor.services.flow_view",
    "bundled_demand": "corridor.services.questions",
    "check_flow_names": "corridor.services.questions",
    "check_network": "corridor.services.networks",
    "compare_networks": "corridor.services.questions",
    "demand_set_year": "corridor.services.questions",
    "discount_rates": "corridor.services.economics",
    "export_network": "corridor.services.networks",
    "find_pareto": "corridor.services.questions",
    "find_routes": "corridor.services.questions",
    "list_scenarios": "corridor.services.networks",
    "network_features": "corridor.services.networks",
    "network_geojson": "corridor.services.networks",
    "network_of": "corridor.services.networks",
    "network_view": "corridor.services.networks",
    "pareto_on": "corridor.services.questions",
    "quote_shipment": "corridor.services.shipments",
    "rank_criticality": "corridor.services.flows",
    "read_flows_csv": "corridor.services.economics",
    "routes_on": "corridor.services.questions",
    "run_assignment": "corridor.services.questions",
    "scenario_network": "corridor.services.networks",
    "scenario_network_and_year": "corridor.services.networks",
    "short_name": "corridor.services.flow_view",
    "simulate_routes": "corridor.services.questions",
    "summarize_network": "corridor.services.networks",
    "table_rows": "corridor.services.networks",
    "target_assignment": "corridor.services.economics",
    "trade_outlook": "corridor.services.economics",
    "valid_network": "corridor.datasets",
}


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

__getattr__, __dir__ = lazy_exports(__name__, _HOMES, __all__)
