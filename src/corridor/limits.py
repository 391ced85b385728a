"""Bounds on what one request may ask for, shared by the command line and the REST API.

One place, so that ``corridor route --k 1000000`` and ``POST /api/route {"k": 1000000}`` are
refused alike, and a limit is changed once.
"""

from __future__ import annotations

#: Largest number of Monte Carlo samples per route.
MAX_SAMPLES = 100_000
#: Largest number of alternative routes (or candidate routes of each kind).
MAX_K = 10
#: Largest number of origin-destination rows in one assignment request (REST).
MAX_DEMAND_ROWS = 200
#: Longest name of a scenario, node or other id accepted in a request.
MAX_NAME_CHARS = 100
#: Network years that can be asked for.
YEAR_MIN, YEAR_MAX = 1990, 2100
#: Random seeds (numpy's SeedSequence takes any non-negative integer; 32 bits suffice).
SEED_MAX = 2**32 - 1
#: Largest CO2 price, USD per tonne CO2e.
MAX_CO2_PRICE_USD_PER_T = 10_000.0
#: Largest percentage (value of time per day, sanctions penalty per entry).
MAX_PCT = 100.0
#: Longest deadline, hours (one year).
MAX_DEADLINE_H = 24 * 365
#: Most bottlenecks listed.
MAX_TOP = 100
