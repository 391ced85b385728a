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
# # Can the corridors carry $15 bn of Kazakhstan–Türkiye trade, and where does it jam?
#
# Tutorial 6 asked *when* bilateral trade could reach USD 15 billion a year. This one asks
# what that trade weighs and whether the network can move it: which routes carry it, which
# capacities bind and from which year, what the freight costs and emits.
#
# Trade is money; the network moves tonnes. The bundled demand set `kz-tr-2023` turns 2023's
# trade into tonnes by commodity group and region pair: Kazakh crude, coal and metals to
# Türkiye, Turkish manufactured goods to Kazakhstan. Its national tonnages are the first
# quarter of 2023 as published, times four, and its regional split is a stated estimate (see
# `corridor data sources` and the bibliography).

# %%
import pandas as pd

import corridor
from corridor import services
from corridor.demand import read_demand
from corridor.economics.target import MIXES, flow_values

net = corridor.load()
today = read_demand("kz-tr-2023", net).table
usd, direction = flow_values(net, today)
summary = (
    today.assign(value_usd=usd, direction=direction)
    .groupby(["direction", "commodity"])[["flow_per_year", "value_usd"]]
    .sum()
)
summary.assign(
    t_per_year=summary["flow_per_year"], usd_per_t=summary["value_usd"] / summary["flow_per_year"]
)[["t_per_year", "value_usd", "usd_per_t"]]

# %% [markdown]
# About 6.4 Mt a year worth USD 6 billion: Kazakhstan sells Türkiye heavy, cheap goods (crude
# at 584 USD/t, coal at 56 USD/t), Türkiye sells Kazakhstan light, dear ones (about 5,300
# USD/t). A dollar of Kazakh exports weighs about nine times a dollar of Turkish exports.
#
# ## The mix is an assumption
#
# Nobody publishes what a USD 15 billion trade would be made of. `corridor` states three mixes
# and lets you choose:

# %%
pd.Series(MIXES, name="what the mix assumes")

# %% [markdown]
# ## The target's freight on today's network and on the scenarios
#
# `services.target_assignment` scales the set to trade levels from today's value to the
# target, loads each level together with the other traffic that shares the capacities
# (transit containers, all westbound Kazakh crude, grain) on today's network and on the
# bundled scenarios, and dates each binding capacity by the first level at which it binds and
# the first year the outlook's path to the target by 2030 reaches that level. The command line
# does the same with `corridor outlook --assign`.

# %%
answer = services.target_assignment(target_usd=15e9, mix="today", steps=2)
data = answer.to_dict()
pd.DataFrame(data["implied_by_commodity"])

# %%
rows = []
for n in data["networks"]:
    rows.append(
        {
            "network": n["network"],
            "served": n["served_share"],
            "freight bill, bn USD/yr": n["freight_bill_usd_per_year"] / 1e9,
            "CO2e, Mt/yr": n["co2_t_per_year_bilateral"] / 1e6,
            "binding": ", ".join(
                f"{b['item_id']} (from {b['binds_from_year']})" for b in n["binding"]
            )
            or "none",
        }
    )
pd.DataFrame(rows)

# %%
today_load = data["networks"][0]
cpc = next(b for b in today_load["binding"] if b["item_id"] == "atyrau__cpc_terminal__pipeline")
implied_mt = sum(g["flow_t_per_year"] for g in data["implied_by_commodity"]) / 1e6
print(
    f"At today's mix the target means {implied_mt:.1f} "
    f"Mt a year. Every network carries all of it, but the Kazakh section of the CPC pipeline "
    f"({cpc['capacity_per_year'] / 1e6:.1f} Mt/yr) binds from {cpc['binds_from_year']}: "
    f"{cpc['shadow_price_usd_per_unit']:.1f} USD/t is what one more tonne of capacity "
    "would save."
)
pd.Series(today_load["corridors_t_per_year"]).head(6) / 1e6

# %% [markdown]
# The crude rides the CPC, the coal and metals cross the Caspian by rail ferry and the Black
# Sea from Poti, and Turkish goods go by truck through Georgia and Russia or by rail. None of
# the Caspian capacities binds at today's mix, because crude, most of the tonnage, stays in
# the pipelines.
#
# ## A trade without more oil jams elsewhere
#
# If the growth comes from everything but crude (`non_oil`), the same USD 15 billion weighs
# more dry cargo. The route choice spreads it over the Middle Corridor and the Black Sea,
# Russian rail and the sea via Suez, and at the target no capacity binds on the World Bank
# 2030 network: the pipeline is relieved and no Caspian port fills up.

# %%
non_oil = services.target_assignment(mix="non_oil", scenarios=("world-bank-2030",), steps=2)
no = non_oil.to_dict()
[(n["network"], [b["item_id"] for b in n["binding"]]) for n in no["networks"]]

# %% [markdown]
# The figures behind this page carry their caveats: the tonnages are one quarter times four,
# the value per tonne of each group is an average, truck border times are one CAREC average
# applied to every crossing, and the ferry capacities for trucks are estimates. Each is a row
# of `sources.csv` with its method and a plausible range.

# %% tags=["remove-cell"]
# Checks of what the text above says; hidden on the site, run by every docs build.
kz = summary.loc["KZ>TR"]
tr = summary.loc["TR>KZ"]
assert abs(summary["flow_per_year"].sum() / 1e6 - 6.37) < 0.01
assert abs(summary["value_usd"].sum() / 1e9 - 6.0) < 0.01
ratio = (tr["value_usd"].sum() / tr["flow_per_year"].sum()) / (
    kz["value_usd"].sum() / kz["flow_per_year"].sum()
)
assert 8 < ratio < 10
assert set(MIXES) == {"today", "balanced", "non_oil"}
assert all(n["served_share"] > 0.999 for n in data["networks"])
assert all(
    "atyrau__cpc_terminal__pipeline" in {b["item_id"] for b in n["binding"]}
    for n in data["networks"]
)
assert cpc["binds_from_year"] == 2030
caspian = {"kuryk_port", "aktau_port", "baku_alat"}
assert not caspian & {b["item_id"] for b in today_load["binding"]}
assert not {b["item_id"] for b in no["networks"][0]["binding"]}
assert "atyrau__cpc_terminal__pipeline" not in {b["item_id"] for b in no["networks"][0]["binding"]}
assert next(iter(today_load["corridors_t_per_year"])) == "cpc"

# %% [markdown]
# ## Next
#
# - From the command line: `corridor outlook --target 15e9 --assign` (add `--mix non_oil` or
#   `--mix balanced`, `--json` for the whole answer); over REST: `POST
#   /api/target-assignment`.
# - Truck and truck + ro-ro routes: `corridor route --from Istanbul --to Almaty --cargo
#   tr_manufactures --k 5 --diverse`.
