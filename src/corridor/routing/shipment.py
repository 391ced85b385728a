"""A shipment: how many units of a commodity move together, and what the cargo is worth.

Routes are costed per unit of their commodity (a TEU of containers, a tonne of bulk). A shipment
turns those per-unit figures into the totals a trader is quoted: 40 FEU are 80 TEU, 5,000 t of
containerised cargo are 463 TEU at 10.8 t per TEU.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from corridor.errors import InvalidRequestError

#: Units a shipment can be given in.
SHIPMENT_UNITS = ("teu", "feu", "t")
#: TEU per FEU: a forty-foot container is two twenty-foot equivalent units by definition.
TEU_PER_FEU = 2.0
#: Largest shipment accepted, in units of its commodity (a year of the busiest corridor).
MAX_SHIPMENT_UNITS = 1e9
#: Largest cargo value accepted, USD.
MAX_CARGO_VALUE_USD = 1e13


@dataclass(frozen=True)
class Shipment:
    """A quantity of one commodity moving together.

    Attributes
    ----------
    quantity, unit
        As the user gave them (``40``, ``"feu"``).
    units
        The quantity in the commodity's own unit (TEU or tonnes), the unit routes are costed in.
    commodity_unit
        That unit.
    tonnes
        Cargo mass, at the commodity's tonnes per unit.
    cargo_value_usd
        Value of the whole shipment: the user's figure, else units times the commodity's value.
    value_usd_per_unit
        The value per commodity unit used for value of time and value-based insurance.
    value_given
        Whether the cargo value came from the user (else from the commodities table).
    """

    quantity: float
    unit: str
    units: float
    commodity_unit: str
    tonnes: float
    cargo_value_usd: float
    value_usd_per_unit: float
    value_given: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the shipment as JSON-ready data (units in the key names)."""
        data = asdict(self)
        data["units_in_commodity_unit"] = data.pop("units")
        return data


def shipment_of(
    quantity: float,
    unit: str | None,
    *,
    commodity: str,
    commodity_unit: str,
    t_per_unit: float,
    value_usd_per_unit: float,
    cargo_value_usd: float | None = None,
) -> Shipment:
    """Convert a quantity in TEU, FEU or tonnes to the commodity's unit.

    Parameters
    ----------
    quantity
        How much moves together, > 0.
    unit
        ``teu``, ``feu`` or ``t``; ``None`` means the commodity's own unit.
    commodity, commodity_unit, t_per_unit, value_usd_per_unit
        The commodity's id, unit (``teu`` or ``t``), tonnes per unit and default value per unit.
    cargo_value_usd
        Value of the whole shipment, overriding the commodity's default.

    Returns
    -------
    Shipment

    Raises
    ------
    InvalidRequestError
        Naming every problem: a quantity or value that is not a positive finite number, an
        unknown unit, or a container unit for a commodity costed in tonnes.

    Examples
    --------
    >>> s = shipment_of(40, "feu", commodity="container", commodity_unit="teu",
    ...                 t_per_unit=10.8, value_usd_per_unit=43700)
    >>> s.units, s.tonnes, s.cargo_value_usd
    (80.0, 864.0, 3496000.0)
    """
    problems: list[tuple[str, str]] = []
    given = (unit or commodity_unit).strip().lower()
    # The upper bound is checked below, once the quantity is in the commodity's unit.
    if not _positive(quantity, math.inf):
        problems.append(("quantity", f"quantity: {quantity!r} is not a positive finite number"))
    if cargo_value_usd is not None and not _positive(cargo_value_usd, MAX_CARGO_VALUE_USD):
        problems.append(
            (
                "cargo_value_usd",
                f"cargo value: {cargo_value_usd!r} is not a positive finite number of USD "
                f"(at most {MAX_CARGO_VALUE_USD:.0e})",
            )
        )
    if given not in SHIPMENT_UNITS:
        problems.append(("unit", f"unit: {unit!r} is not one of {', '.join(SHIPMENT_UNITS)}"))
    elif given in ("teu", "feu") and commodity_unit != "teu":
        problems.append(
            (
                "unit",
                f"unit: {commodity} is costed per {commodity_unit}, not per container; "
                f"give the quantity in {commodity_unit}",
            )
        )
    elif given == "t" and commodity_unit != "t" and not _positive(t_per_unit, math.inf):
        problems.append(
            ("unit", f"unit: {commodity} has no tonnes per {commodity_unit} to convert tonnes")
        )
    if problems:
        raise InvalidRequestError(problems[0][0], "; ".join(m for _, m in problems))
    if given == "t":
        # Tonnes of a commodity costed in tonnes are its own unit; of containers, t per TEU.
        factor = 1.0 if commodity_unit == "t" else 1.0 / t_per_unit
    else:
        factor = TEU_PER_FEU if given == "feu" else 1.0
    units = float(quantity) * factor
    if units > MAX_SHIPMENT_UNITS:
        raise InvalidRequestError(
            "quantity",
            f"quantity: {quantity} {given} is {units:.3g} {commodity_unit}, more than the "
            f"{MAX_SHIPMENT_UNITS:.0e} one shipment may hold",
        )
    value_given = cargo_value_usd is not None
    per_unit = float(cargo_value_usd) / units if cargo_value_usd is not None else value_usd_per_unit
    return Shipment(
        quantity=float(quantity),
        unit=given,
        units=units,
        commodity_unit=commodity_unit,
        tonnes=units * (t_per_unit if commodity_unit == "teu" else 1.0),
        cargo_value_usd=per_unit * units,
        value_usd_per_unit=per_unit,
        value_given=value_given,
    )


def _positive(value: float, limit: float) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and 0 < number <= limit
