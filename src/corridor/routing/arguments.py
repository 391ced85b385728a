"""Checks of the Python API's arguments: a wrong type is a :class:`CorridorError` naming it.

``corridor.route(net, 123, "Istanbul")`` used to fail deep inside with ``'int' object has no
attribute 'casefold'``. These checks run first and say which argument is wrong and what it
should be; they also accept the obvious conveniences (a dataset name for the network, one
name instead of a list).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from corridor.errors import InvalidRequestError
from corridor.model.network import Network
from corridor.routing.params import CostParams


def _kind(value: object) -> str:
    return type(value).__name__


def as_network(value: object) -> Network:
    """Return ``value`` if it is a Network; load it if it is a dataset name or folder."""
    if isinstance(value, Network):
        return value
    if isinstance(value, str | os.PathLike):
        from corridor.datasets import valid_network

        return valid_network(value)
    raise InvalidRequestError(
        "network",
        f"network must be a Network (corridor.load()) or a dataset name, not {_kind(value)}",
    )


def as_name(value: object, field: str) -> str:
    """Return ``value`` if it is a non-empty string."""
    if isinstance(value, str) and value.strip():
        return value
    raise InvalidRequestError(
        field, f"{field} must be a name (a non-empty string), not {value!r} ({_kind(value)})"
    )


def as_names(value: object, field: str) -> list[str]:
    """Return a list of names: ``None`` is none, a string is one (or comma-separated) name."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, Iterable):
        raise InvalidRequestError(
            field, f"{field} must be a list of names, not {value!r} ({_kind(value)})"
        )
    items = list(value)
    bad = [item for item in items if not isinstance(item, str) or not item.strip()]
    if bad:
        raise InvalidRequestError(
            field, f"{field} must hold names (strings); {bad[0]!r} ({_kind(bad[0])}) is not one"
        )
    return items


def as_year(value: object) -> int | None:
    """Return ``None`` or a whole year (an int, or a float with no fraction)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidRequestError("year", f"year must be a whole year or None, not {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise InvalidRequestError(
            "year", f"year must be a whole year or None, not {value!r}"
        ) from None
    if not number.is_integer():
        raise InvalidRequestError("year", f"year must be a whole year or None, not {value!r}")
    return int(number)


def as_count(value: object, field: str) -> int:
    """Return ``value`` if it is a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(
            field, f"{field} must be a whole number of at least 1, not {value!r} ({_kind(value)})"
        )
    return value


def as_params(value: object) -> CostParams | None:
    """Return ``None`` or CostParams; a mapping is turned into CostParams (errors named)."""
    if value is None or isinstance(value, CostParams):
        return value
    if isinstance(value, Mapping):
        from pydantic import ValidationError

        try:
            return CostParams(**{str(k): v for k, v in value.items()})
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "params"
            raise InvalidRequestError(
                f"params.{field}", f"params.{field}: {first['msg']}"
            ) from None
    raise InvalidRequestError(
        "params", f"params must be CostParams (or a dict of its fields), not {_kind(value)}"
    )


def query_arguments(
    origin: object,
    destination: object,
    commodity: object,
    avoid: object,
    via: object,
    year: object,
    params: object,
) -> dict[str, Any]:
    """Check the arguments every route query shares and return them cleaned."""
    return {
        "origin": as_name(origin, "origin"),
        "destination": as_name(destination, "destination"),
        "commodity": as_name(commodity, "commodity"),
        "avoid": as_names(avoid, "avoid"),
        "via": as_names(via, "via"),
        "year": as_year(year),
        "params": as_params(params),
    }
