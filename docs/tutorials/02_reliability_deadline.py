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
# # Is the Middle Corridor reliable enough for this delivery date?
#
# The 40 containers of the [first tutorial](../01_route_xian_istanbul/) must reach Istanbul
# within **20 days** of leaving Xi'an, without crossing Russia or Iran. The planned transit
# time says yes; but borders, Caspian ferries and ports do not run to the minute. How likely
# is the deadline, which date can be promised safely, and which route is most reliable?
#
# `corridor.risk.simulate` draws transit times by Monte Carlo: waits at the Caspian ferry
# terminals, at Poti and at borders are lognormal around the network's published averages,
# and disruptions (Caspian storms at Kuryk, the Red Sea diversion, CPC terminal stops) hit
# a share of the trips. The [risk model](../../risk/) page lists what is modelled and the
# sources of each spread.

# %%
import numpy as np
import pandas as pd

import corridor
from corridor.report.notebook import reliabilities_html
from corridor.risk.simulate import reliable_routes, simulate

net = corridor.load()
deadline_h = 20 * 24

# %% [markdown]
# ## The planned route, simulated
#
# The sanctions-free route with the lowest generalized cost crosses the Caspian from Aktau
# to Baku/Alat and takes a ship from Poti.

# %%
middle = corridor.route(net, "Xian", "Istanbul", "container", avoid=["RU", "IR"])
[reliability] = simulate(net, middle, n=100_000, seed=0, deadline_h=deadline_h)
reliability

# %% [markdown]
# The plan says about 18 days, but the median trip takes longer, and one trip in ten
# takes more than the P90. Which deadline could be promised with 90 % or 95 % confidence?

# %%
days = np.arange(17, 29)
pd.DataFrame(
    {
        "deadline (d)": days,
        "P(on time)": [f"{np.mean(reliability.time_h <= d * 24):.0%}" for d in days],
    }
).set_index("deadline (d)").T

# %% [markdown]
# ## Where the spread comes from
#
# Two waits dominate: for the Caspian ferry at Aktau and for a ship at Poti. Each is a
# lognormal with the network's published average as its median and a sourced P90. Every
# other leg gets the network's default spread (`v-mode-default` for running times,
# `v-transfer-default` and `v-node-default` at terminals), so that no leg without data
# looks certain.

# %%
pd.DataFrame(
    [
        {"component": t.label, "median (h)": t.base_h, "rule": t.rule}
        for t in reliability.exposure.terms
    ]
)

# %% [markdown]
# ## A more reliable route?
#
# `reliable_routes` simulates the best routes and the best route of each distinct corridor,
# and ranks them by the chance of meeting the deadline. The steadier routes cost a little more
# in generalized cost, so the candidates reach down to the sixth best of each kind.

# %%
ranked = reliable_routes(
    net,
    "Xian",
    "Istanbul",
    "container",
    k=6,
    by="on_time",
    n=20_000,
    deadline_h=deadline_h,
    avoid=["RU", "IR"],
)
reliabilities_html(ranked)

# %% [markdown]
# The most reliable option avoids both waits: after the Caspian it stays on rail, over the
# Baku–Tbilisi–Kars line with its gauge change at Akhalkalaki, and across Türkiye.

# %%
steady = ranked[0]
steady

# %% [markdown]
# ## Winter on the Caspian
#
# Kuryk, the other Kazakh ferry port, is closed by storms on about half of the days in
# November and December. A shipper booked via Kuryk in December faces a different risk from
# one in June.

# %%
via_kuryk = corridor.route(net, "Xian", "Istanbul", "container", avoid=["RU", "IR"], via=["Kuryk"])
june, december = (
    simulate(net, via_kuryk, n=50_000, deadline_h=deadline_h, month=m)[0] for m in (6, 12)
)
pd.DataFrame(
    [
        {
            "month": name,
            "P50 (d)": r.quantile_h(0.5) / 24,
            "P90 (d)": r.quantile_h(0.9) / 24,
            "P(within 20 d)": r.p_on_time,
            "trips hit by storms": r.hit_share["d-kuryk-storms"],
        }
        for name, r in (("June", june), ("December", december))
    ]
).round(2)

# %% [markdown]
# ## The answer

# %%
p90_days = reliability.quantile_h(0.9) / 24
print(
    f"On the planned Aktau-Poti route the 20-day deadline is met on "
    f"{reliability.p_on_time:.0%} of trips; {p90_days:.0f} days can be promised with 90 % "
    f"confidence. The {steady.route.corridor} route via Kars meets 20 days on "
    f"{steady.p_on_time:.0%} of trips; via Kuryk in December only {december.p_on_time:.0%}."
)

# %% tags=["remove-cell"]
# Checks of what the text above says; hidden on the site, run by every docs build.
assert reliability.quantile_h(0.5) > middle.totals.time_h
assert 0.4 < (reliability.p_on_time or 0) < 0.8
assert {"v-aktau-ferry", "v-poti-sea"} <= {t.rule for t in reliability.exposure.terms}
assert steady.p_on_time is not None and steady.p_on_time > (reliability.p_on_time or 0)
assert "kars" in steady.route.nodes and "poti" not in steady.route.nodes
assert (december.p_on_time or 0) < (june.p_on_time or 0)
assert june.hit_share["d-kuryk-storms"] == 0.0
assert 0.3 < december.hit_share["d-kuryk-storms"] < 0.7

# %% [markdown]
# ## Next
#
# - From the command line: `corridor simulate --from Xian --to Istanbul --avoid RU,IR
#   --deadline 20d --by on_time` (see the [CLI reference](../../reference/cli/)).
# - [Where does Kazakh grain go when Black Sea insurance spikes?](../03_grain_war_risk/)
