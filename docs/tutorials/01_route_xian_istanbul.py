# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Which route for 40 containers from Xi'an to Istanbul?
#
# A forwarder in Xi'an has 40 twenty-foot containers (TEU) of general goods for Istanbul.
# Which way should they go, how long will it take, what will it cost, and what are the
# options if the shipper will not send cargo through Russia or Iran?
#
# This tutorial uses the bundled `eurasia` network: every distance, tariff, dwell time and
# capacity in it cites a row of its `sources.csv` (see the
# [bibliography](../../reference/bibliography/)). All figures of a route are **per TEU**; we
# multiply by 40 at the end.

# %%
import pandas as pd

import corridor
from corridor.report.notebook import routes_html

net = corridor.load()
print(net.meta.name, net.meta.version, "-", len(net.nodes), "nodes,", len(net.links), "links")

# %% [markdown]
# ## The best route
#
# `corridor.route` returns the route with the lowest *generalized cost*: the money spent
# (tariffs, handling, transfers), plus the value of the cargo's time in transit (0.6 % of its
# value per day for containers), plus the expected war-risk insurance premium. The
# [cost model](../../routing/) page has the details.

# %%
best = corridor.route(net, "Xian", "Istanbul", "container")
best

# %% [markdown]
# The cheapest route in generalized terms runs across Kazakhstan and then through Russia to
# Novorossiysk and across the Black Sea. It is flagged because it enters Russia, a
# sanctioned country: many shippers, banks and insurers will not accept it.

# %% [markdown]
# ## Alternatives through different corridors
#
# `corridor.alternatives(..., diverse=True)` returns routes through genuinely different
# corridors rather than near-duplicates of the best one.

# %%
options = corridor.alternatives(net, "Xian", "Istanbul", "container", k=4, diverse=True)
routes_html(options)

# %% [markdown]
# ## Without Russia and Iran: the Middle Corridor
#
# Avoiding both countries leaves the Trans-Caspian route: Kazakh rail to Aktau, the Caspian
# ferry to Baku/Alat, Azerbaijani and Georgian rail to Poti and a Black Sea crossing.

# %%
middle = corridor.route(net, "Xian", "Istanbul", "container", avoid=["RU", "IR"])
middle

# %% [markdown]
# Where does the time go? The leg table is a DataFrame; grouping it by mode shows how much
# of the trip is rail, ferry and sea (dwell at the nodes is counted in the leg that ends
# there).

# %%
legs = middle.legs_frame()
by_mode = legs.groupby("mode")[["distance_km", "time_h", "cost_usd"]].sum()
by_mode["time_days"] = by_mode["time_h"] / 24
by_mode.round(1)

# %% [markdown]
# The model's 18-odd days compare with the 15 days from China to Türkiye via the Middle
# Corridor announced by Türkiye's deputy transport minister in August 2025 (Trend,
# 7 August 2025) and the 13–17 days the Kazakh Ministry of Transport gives for the route
# (Astana Times, March 2026). The model starts from Xi'an, inland, and charges the
# published average waits at borders and ports.

# %% [markdown]
# ## The trade-offs: the Pareto front
#
# No single route is best on money, time, CO2 and risk at once. The Pareto front lists every
# route that no other route beats on all four; the red points are the best routes of the
# corridors that are beaten.

# %%
front = corridor.pareto(net, "Xian", "Istanbul", "container")
front

# %% [markdown]
# ## The answer for 40 TEU

# %%
teu = 40
answer = pd.DataFrame(
    [
        {
            "route": r.corridor,
            "avoids Russia and Iran": not r.sanctioned_countries,
            "days": round(r.totals.time_days, 1),
            "freight and handling (USD, 40 TEU)": round(r.totals.cost_usd * teu, -2),
            "CO2e (t, 40 TEU)": round(r.totals.co2_kg * teu / 1000, 1),
        }
        for r in options
    ]
)
answer

# %%
print(
    f"Without Russia and Iran, the 40 TEU go by the {middle.corridor} route in "
    f"{middle.totals.time_days:.1f} days for about USD {middle.totals.cost_usd * teu:,.0f} "
    f"(USD {middle.totals.cost_usd:,.0f} per TEU), emitting "
    f"{middle.totals.co2_kg * teu / 1000:.0f} t CO2e."
)

# %% tags=["remove-cell"]
# Checks of what the text above says; hidden on the site, run by every docs build.
assert best.sanctioned_countries == ("RU",), best.sanctioned_countries
assert "novorossiysk" in best.nodes
assert middle.sanctioned_countries == ()
assert {"aktau_port", "baku_alat", "poti"} <= set(middle.nodes), middle.nodes
assert "caspian_ferry" in middle.modes
assert 17 <= middle.totals.time_days <= 20, middle.totals.time_days
assert best.totals.generalized_cost_usd < middle.totals.generalized_cost_usd
assert any(r.corridor.startswith("sea_") for r in front.front)

# %% [markdown]
# ## Next
#
# - The same from the command line:
#   `corridor route --from Xian --to Istanbul --k 4 --diverse` (see the
#   [CLI reference](../../reference/cli/)).
# - `middle.to_geojson(net)` returns the route as GeoJSON for any web map.
# - [Is the Middle Corridor reliable enough for this delivery date?](../02_reliability_deadline/)
