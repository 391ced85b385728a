"""Link geometries: WKT ``LINESTRING`` text, parsed strictly."""

from __future__ import annotations

import math
import re

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_POINT_TEXT = rf"\s*({_NUMBER})\s+({_NUMBER})\s*"
_LINESTRING = re.compile(rf"^\s*LINESTRING\s*\(((?:{_POINT_TEXT},)+{_POINT_TEXT})\)\s*$", re.I)
_POINT = re.compile(_POINT_TEXT)


def parse_linestring(wkt: str) -> list[list[float]]:
    """Return the coordinates of a WKT ``LINESTRING`` as ``[[lon, lat], ...]``.

    Parameters
    ----------
    wkt : str
        E.g. ``"LINESTRING (51.2 43.6, 49.9 40.4)"``: two or more ``lon lat`` points.

    Returns
    -------
    list of [float, float]
        The points, longitude first.

    Raises
    ------
    ValueError
        If the text is not a LINESTRING of two or more points of two finite numbers each,
        with longitudes in [-180, 180] and latitudes in [-90, 90].

    Examples
    --------
    >>> parse_linestring("LINESTRING (51.2 43.6, 49.9 40.4)")
    [[51.2, 43.6], [49.9, 40.4]]
    >>> parse_linestring("LINESTRING (1 2, 3)")
    Traceback (most recent call last):
    ...
    ValueError: not a LINESTRING of two or more 'lon lat' points: 'LINESTRING (1 2, 3)'
    """
    text = wkt.strip()
    match = _LINESTRING.match(text)
    if match is None:
        raise ValueError(f"not a LINESTRING of two or more 'lon lat' points: {text[:60]!r}")
    points = [[float(x), float(y)] for x, y in _POINT.findall(match.group(1))]
    for lon, lat in points:
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValueError(f"a point of the LINESTRING is not finite: {lon} {lat}")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(
                f"point ({lon} {lat}) is outside longitude -180..180 or latitude -90..90 "
                "(WKT gives longitude first)"
            )
    return points
