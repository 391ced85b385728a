"""Small text helpers for table cells and messages, without pandas."""

from __future__ import annotations

import difflib
import math
import sys
from collections.abc import Sequence

from corridor.model.schema import LIST_SEPARATOR


def is_missing(value: object) -> bool:
    """Return True for a missing cell: ``None``, NaN or pandas' ``NA``.

    pandas is not imported for the check: if it is not loaded, no value can be its ``NA``.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0), is_missing("")
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is pandas.NA


def suggest(value: str, choices: Sequence[str]) -> str:
    """Return a ``did you mean`` hint for ``value`` among ``choices``, or an empty string.

    Examples
    --------
    >>> suggest("rail1520", ["rail_1520", "rail_1435", "road"])
    " (did you mean 'rail_1520'?)"
    >>> suggest("zzz", ["road"])
    ''
    """
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def split_list(cell: object) -> list[str]:
    """Split a ``|``-separated list cell into its items.

    Examples
    --------
    >>> split_list("KZ| AZ |GE")
    ['KZ', 'AZ', 'GE']
    >>> split_list(None)
    []
    """
    if is_missing(cell):
        return []
    return [item.strip() for item in str(cell).split(LIST_SEPARATOR) if item.strip()]
