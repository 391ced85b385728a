"""Name a route's corridor the way a reader knows it: Northern, Middle, Southern, sea via Suez.

The network tags links with corridor families (``middle``, ``grain_russia``, ``sea_cape`` ...),
and a route's ``corridor`` lists the families it runs on. Those tags describe links, not routes:
a container train from Xi'an that leaves Kazakhstan through Astrakhan for Novorossiysk runs
mostly on ``middle`` links, yet a reader calls it a route through Russia. The name here is
decided by what the route crosses, and it lists the countries, so it cannot hide a border.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.routing.result import Leg

#: Names of the pipeline families, for crude routes.
PIPELINES = {
    "cpc": "CPC pipeline to Novorossiysk",
    "atyrau_samara": "Atyrau–Samara pipeline (Transneft)",
    "kazakhstan_china_pipeline": "Kazakhstan–China pipeline",
    "btc": "Baku–Tbilisi–Ceyhan pipeline",
}
#: Countries whose crossing makes a land route the Northern route.
NORTHERN = ("RU", "BY")
#: Families of sea links on the Black Sea.
BLACK_SEA = frozenset({"black_sea", "grain_russia", "cpc", "atyrau_samara"})
#: Country code of sea nodes outside any country, left out of the names.
HIGH_SEAS = "ZZ"
#: Modes that cross the Caspian Sea.
CASPIAN = ("caspian_ferry", "caspian_ship")


def corridor_name(legs: Sequence[Leg], countries: Sequence[str]) -> str:
    """Return a reader's name for a route, with the countries it crosses.

    Rules, first match wins:

    1. deep-sea legs tagged only ``sea_cape`` → "Sea via the Cape of Good Hope"; tagged
       ``sea_suez`` → "Sea via Suez" (rail to or from a port is part of a sea route);
    2. a pipeline leg of a named pipeline family: the pipeline covering the most km;
    3. a Caspian crossing to Iran → "Caspian to Iran"; any other Caspian crossing → "Middle
       Corridor (Trans-Caspian)", "via Russia" added if the route also enters Russia;
    4. entering Russia or Belarus → "Northern route via Russia";
    5. entering Iran → "Southern route via Iran";
    6. otherwise "Overland".

    Other sea legs are named after the corridor: "and the Black Sea" (links of the Black Sea
    families), else "and the sea".

    Parameters
    ----------
    legs
        The route's legs.
    countries
        ISO codes of the countries touched, in order.

    Examples
    --------
    >>> corridor_name([], ["KZ"])
    'Overland · KZ'
    """
    crossed = "–".join(c for c in countries if c != HIGH_SEAS)
    sea = [leg for leg in legs if leg.kind == "link" and leg.mode == "sea"]
    families = [set(leg.corridors) for leg in sea]
    if any("sea_cape" in f and "sea_suez" not in f for f in families):
        return f"Sea via the Cape of Good Hope · {crossed}"
    if any("sea_suez" in f and "sea_cape" not in f for f in families):
        return f"Sea via Suez · {crossed}"
    pipeline_km: dict[str, float] = {}
    for leg in legs:
        if leg.kind == "link" and leg.mode == "pipeline":
            for family in leg.corridors:
                if family in PIPELINES:
                    pipeline_km[family] = pipeline_km.get(family, 0.0) + leg.distance_km
    if pipeline_km:
        best = max(sorted(pipeline_km), key=lambda f: pipeline_km[f])
        return f"{PIPELINES[best]} · {crossed}"
    black_sea = ""
    if any(set(leg.corridors) & BLACK_SEA for leg in sea):
        black_sea = " and the Black Sea"
    elif sea:
        black_sea = " and the sea"
    caspian = [leg for leg in legs if leg.kind == "link" and leg.mode in CASPIAN]
    if caspian:
        if any("IR" in leg.countries for leg in caspian):
            return f"Caspian to Iran{black_sea} · {crossed}"
        russia = " via Russia" if any(c in NORTHERN for c in countries) else ""
        return f"Middle Corridor (Trans-Caspian){russia}{black_sea} · {crossed}"
    if any(c in NORTHERN for c in countries):
        return f"Northern route via Russia{black_sea} · {crossed}"
    if "IR" in countries:
        return f"Southern route via Iran{black_sea} · {crossed}"
    return f"Overland{black_sea} · {crossed}"
