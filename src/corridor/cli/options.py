"""Options and helpers shared by the CLI's commands, spelled out once.

Every command that routes takes the same risk controls (``--sanctions``,
``--max-war-risk-pct``), the same ``--network`` and ``--json``, and splits list options the same
way; their definitions live here so that help texts and bounds cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from corridor.limits import MAX_PCT, YEAR_MAX, YEAR_MIN

if TYPE_CHECKING:
    from corridor.routing.params import CostParams

err_console = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
NetworkOpt = Annotated[
    str, typer.Option("--network", "-n", help="Bundled dataset name or network folder.")
]
AvoidOpt = Annotated[
    list[str] | None,
    typer.Option("--avoid", help="Countries, nodes, modes or links to avoid (RU,BY)."),
]
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year", help="Network year (planned links from opening).", min=YEAR_MIN, max=YEAR_MAX
    ),
]
Sanctions = Annotated[
    str, typer.Option("--sanctions", help="Sanctioned countries: flag, penalize or forbid.")
]
MaxWarRisk = Annotated[
    float | None,
    typer.Option(
        "--max-war-risk-pct",
        help="Insurability limit: drop port calls whose war-risk premium exceeds this % of the "
        "cargo value.",
        min=0.0,
        max=MAX_PCT,
    ),
]

# CostParams fields and the options that set them, for error messages.
_OPTION_OF_FIELD = {
    "sanctions": "--sanctions",
    "max_war_risk_pct": "--max-war-risk-pct",
    "sanctions_penalty_pct": "--sanctions-penalty-pct",
    "value_of_time_pct_per_day": "--vot",
    "co2_price_usd_per_t": "--co2-price",
}


def split_list(values: list[str] | None) -> list[str]:
    """Accept both ``--avoid RU --avoid BY`` and ``--avoid RU,BY``.

    Parameters
    ----------
    values
        The repeated option's values, or ``None`` when it was not given.

    Returns
    -------
    list of str
        The items, stripped, empty ones dropped.
    """
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def cost_params(**fields: Any) -> CostParams:
    """Build the cost parameters from options, naming the option of a bad value.

    Parameters
    ----------
    **fields
        :class:`corridor.routing.params.CostParams` fields (``sanctions``,
        ``max_war_risk_pct``, ...).

    Returns
    -------
    CostParams
        The validated parameters.

    Raises
    ------
    typer.BadParameter
        Naming the option (``--sanctions``) and what is wrong with its value.
    """
    from typing import get_args

    from pydantic import ValidationError

    from corridor.routing.params import CostParams, SanctionsPolicy

    try:
        return CostParams(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        message = str(first["msg"])
        if field == "sanctions":
            message = f"{first['input']!r} is not one of {', '.join(get_args(SanctionsPolicy))}"
        raise typer.BadParameter(message, param_hint=_OPTION_OF_FIELD.get(field, field)) from None
