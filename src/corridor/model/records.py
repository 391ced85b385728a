"""Tables and values as JSON-ready data: one rule for missing and infinite numbers.

JSON has no NaN or infinity, so every table or result written as JSON (CLI ``--json``, the
REST API, sweep summaries) goes through :func:`records` or :func:`json_safe`: NaN, ``pd.NA``
and ±infinity become ``None`` (``null``), numpy scalars become Python numbers.

Examples
--------
>>> import pandas as pd
>>> records(pd.DataFrame({"a": [1.0, float("nan"), float("inf")], "b": ["x", None, "z"]}))
[{'a': 1.0, 'b': 'x'}, {'a': None, 'b': None}, {'a': None, 'b': 'z'}]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def json_value(value: Any) -> Any:
    """Return a scalar as JSON-ready data: ``None`` for missing, NaN and ±infinity.

    Parameters
    ----------
    value
        A Python or numpy scalar, ``None`` or ``pd.NA``.

    Examples
    --------
    >>> import numpy as np
    >>> json_value(np.float64(2.5)), json_value(-np.inf), json_value(np.int64(3))
    (2.5, None, 3)
    """
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def json_safe(value: Any) -> Any:
    """Apply :func:`json_value` to every scalar of nested dicts, lists and tuples.

    Parameters
    ----------
    value
        JSON-like data, possibly holding NaN, infinities or numpy scalars.

    Examples
    --------
    >>> json_safe({"a": [1.0, float("nan")], "b": float("inf")})
    {'a': [1.0, None], 'b': None}
    """
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return json_value(value)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of a table as dicts of JSON-ready values (see :func:`json_value`).

    Parameters
    ----------
    frame
        Any DataFrame.
    """
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{str(k): json_value(v) for k, v in row.items()} for row in rows]
