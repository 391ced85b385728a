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
# # Where are the bottlenecks in 2030?
#
# The World Bank's 2030 scenario for the Middle Corridor has about 11 million tonnes a year
# crossing the Caspian: containers from China to Europe and Türkiye, Kazakh oil for the
# Baku–Tbilisi–Ceyhan pipeline and other dry cargo. Routing tells us the best way for one
# consignment; here we load a whole year of that demand onto the network, where ports,
# ferries and yards have annual capacities, and ask which capacity binds first and what
# relieving it is worth.
#
# The demand comes as the bundled demand set `middle-2030`. Each flow cites its source
# (see the [bundled data](../../reference/datasets/)); flows are per year, in TEU for
# containers and tonnes otherwise, and all of them avoid Russia.

# %%
import pandas as pd

import corridor
from corridor.assign.model import assign
from corridor.report.notebook import assignment_html
from corridor.report.svg import Html

net = corridor.load()
demand = corridor.read_demand("middle-2030")
print(demand.title)
demand.table[["origin", "destination", "commodity", "flow_per_year", "avoid", "flow_per_year_ref"]]

# %% [markdown]
# ## Loading a year of demand
#
# Which capacity binds first, and what relieving it is worth, are questions about the whole
# system, so this tutorial first runs `assign` with `method="min_cost"`: a linear program
# (HiGHS) in which every OD flow goes the cheapest way in generalized cost (money, the value
# of time in transit, expected war-risk cost), subject to every capacity at once. See
# [assignment](../../concepts/assignment/) for what counts against which capacity. How
# shippers actually split over the routes is the logit assignment further down.

# %%
base = assign(net, demand.table, year=demand.year, method="min_cost")
Html(assignment_html(base, net), "assignment of middle-2030")

# %% [markdown]
# One capacity binds: the **container capacity of the port of Baku at Alat**, 100,000 TEU a
# year in its first phase. Its **shadow price** is what one more TEU of annual capacity there
# would save the whole system in generalized cost each year.

# %%
bottleneck = base.bottlenecks().iloc[0]
shadow_alat = bottleneck["shadow_price_usd_per_unit"]
print(
    f"{bottleneck['item_id']} ({bottleneck['unit']}): {bottleneck['used_per_year']:,.0f} of "
    f"{bottleneck['capacity_per_year']:,.0f} per year used; shadow price "
    f"{shadow_alat:,.0f} USD per TEU of extra capacity per year"
)

# %% [markdown]
# ## Which way the containers go
#
# The route shares decompose the optimal flows into routes. Only 100,000 of the 377,200 TEU
# fit through Alat; the rest go by sea around Asia and through Suez, a week or two slower.


# %%
def shares(result: corridor.Assignment) -> pd.DataFrame:
    """Route shares per OD with days in transit and generalized cost per unit."""
    frame = result.route_shares.copy()
    frame["days"] = frame["time_h"] / 24
    return frame[
        [
            "origin",
            "destination",
            "commodity",
            "corridor",
            "flow_per_year",
            "share",
            "days",
            "generalized_cost_usd_per_unit",
        ]
    ].round({"share": 3, "days": 1, "generalized_cost_usd_per_unit": 0})


def through(result: corridor.Assignment, node: str, commodity: str = "container") -> float:
    """Flow of a commodity whose routes pass through a node (units per year)."""
    frame = result.route_shares
    rows = frame[
        (frame["commodity"] == commodity)
        & frame["nodes"].str.split(" > ").apply(lambda nodes: node in nodes)
    ]
    return float(rows["flow_per_year"].sum())


shares(base)

# %% [markdown]
# ## The Caspian crossing
#
# The flows on the Caspian links (ferries and ships) and the use of the three Caspian ports'
# capacities, in tonnes and TEU a year.

# %%
links = net.links.set_index("link_id")
caspian = base.link_flows.join(links[["mode", "from_node", "to_node"]], on="link_id")
caspian = caspian[caspian["mode"].isin(["caspian_ferry", "caspian_ship"])]
caspian[["from_node", "to_node", "mode", "commodity", "flow_units_per_year", "flow_t_per_year"]]

# %%
ports = ["aktau_port", "kuryk_port", "baku_alat"]


def port_use(result: corridor.Assignment) -> pd.DataFrame:
    """Capacity, use and shadow price of the Caspian ports' capacities."""
    frame = result.resources[result.resources["item_id"].isin(ports)]
    return frame[
        ["item_id", "unit", "capacity_per_year", "used_per_year", "utilisation",
         "shadow_price_usd_per_unit"]
    ].round({"utilisation": 3, "shadow_price_usd_per_unit": 1})  # fmt: skip


port_use(base)

# %% [markdown]
# ## Relieving Alat: phase 2
#
# The bundled scenario `alat-phase2` raises Alat to 25 Mt and 500,000 TEU a year, as
# announced for the port's second phase (source in the scenario). Nothing is changed in
# place: `apply_scenario` returns a new network.

# %%
alat2_net = corridor.apply_scenario(corridor.load_scenario("alat-phase2"))
alat2 = assign(alat2_net, demand.table, year=demand.year, method="min_cost")
alat2.bottlenecks()[["kind", "item_id", "unit", "capacity_per_year", "shadow_price_usd_per_unit"]]

# %% [markdown]
# The bottleneck **moves to Aktau**: its container hub (140,000 TEU a year in the first
# phase) now binds, at a much lower shadow price, because the next-best way across the Caspian
# (through Kuryk) costs only a little more.

# %%
shares(alat2)

# %% [markdown]
# ## And Aktau's expansion?
#
# `aktau-hub-expansion` takes the Aktau hub from 140,000 to 240,000 TEU. On its own it
# changes nothing while Alat binds; on top of Alat's phase 2 Aktau still binds at 240,000 TEU
# (the 2030 containers are 377,200 TEU at 10.8 t per TEU), but at a shadow price of a few tens
# of USD per TEU: the rest crosses through Kuryk at little extra cost.
# Scenarios compose: pass the network of one as the base of the other.

# %%
aktau_scenario = corridor.load_scenario("aktau-hub-expansion")
aktau = assign(
    corridor.apply_scenario(aktau_scenario), demand.table, year=demand.year, method="min_cost"
)
both = assign(
    corridor.apply_scenario(aktau_scenario, alat2_net),
    demand.table,
    year=demand.year,
    method="min_cost",
)


def summary(label: str, result: corridor.Assignment) -> dict[str, object]:
    top = result.bottlenecks(1)
    return {
        "case": label,
        "generalized cost (M USD/yr)": round(result.totals["generalized_cost_usd_per_year"] / 1e6),
        "containers via Alat (TEU/yr)": round(through(result, "baku_alat")),
        "binding capacity": ", ".join(f"{r.item_id} ({r.unit})" for r in top.itertuples())
        or "none",
        "shadow price (USD/unit/yr)": round(float(top["shadow_price_usd_per_unit"].sum()), 1),
    }


cases = pd.DataFrame(
    [
        summary("bundled network", base),
        summary("alat-phase2", alat2),
        summary("aktau-hub-expansion", aktau),
        summary("both", both),
    ]
)
cases

# %% [markdown]
# ## How shippers split: the logit assignment
#
# The linear program sends each OD's flow down its cheapest route until a capacity binds.
# Shippers do not all behave so: they differ in value of time, and the cost they weigh is
# not exactly the model's. `assign`'s default, `method="logit"`, splits each OD over up to
# five diverse routes by path-size logit (overlapping routes are not double counted), for
# each shipper class of the cargo (containers: a standard class at 0.6 % of cargo value per
# day in transit and a time-sensitive class at 2.1 %, the two ends of Hummels and Schaur's
# range), with capacities as penalties that converge to their shadow prices. The result says
# how close to equilibrium it got.

# %%
split = assign(net, demand.table, year=demand.year)
print(
    f"method {split.method}: relative gap {split.convergence['relative_gap']:.1e} after "
    f"{split.convergence['iterations']} iterations (target {split.convergence['tolerance']:g})"
)
shares(split).round(2)

# %% [markdown]
# Alat still binds, and its penalty is the shadow price of the logit equilibrium. The time-
# sensitive class puts more of its containers on the Caspian rail route, the standard class
# more on the sea:

# %%
by_class = split.class_shares.groupby(["shipper_class", "destination", "corridor"])["share"].sum()
by_class.round(3)

# %% [markdown]
# ## Which assets are critical?
#
# `criticality` closes each capacity-bearing asset in turn (here the six most used), reassigns
# the same demand and ranks the assets by the demand left unserved, then by the rise in
# generalized cost (the system's for `min_cost`). From the command line:
# `corridor assign --demand middle-2030 --criticality --top 6`.

# %%
from corridor.assign.criticality import criticality  # noqa: E402

ranked = criticality(net, demand.table, top=6, year=demand.year, method="min_cost")
ranked.ranking

# %% [markdown]
# ## The answer

# %%
saving = (
    base.totals["generalized_cost_usd_per_year"] - alat2.totals["generalized_cost_usd_per_year"]
)
print(
    f"With the World Bank's 2030 flows, the first bottleneck is the container capacity of the "
    f"port of Baku at Alat ({shadow_alat:,.0f} USD per TEU of extra capacity a year). Its "
    f"phase 2 saves {saving / 1e6:,.0f} M USD a year of generalized cost and moves the "
    f"bottleneck to the Aktau container hub; expanding Aktau only pays once Alat is expanded."
)

# %% tags=["remove-cell"]
# Checks of what the text above says; hidden on the site, run by every docs build.
assert base.status == "optimal" and base.totals["unmet_units_per_year"] == 0
assert list(base.bottlenecks()["item_id"]) == ["baku_alat"]
assert bottleneck["unit"] == "teu" and bottleneck["capacity_per_year"] == 100_000
assert shadow_alat > 1000
assert through(base, "baku_alat") == 100_000
assert demand.table.loc[demand.table["commodity"] == "container", "flow_per_year"].sum() > 190_000
assert list(alat2.bottlenecks()["item_id"]) == ["aktau_port"]
assert 0 < alat2.bottlenecks()["shadow_price_usd_per_unit"].iloc[0] < shadow_alat / 10
assert saving > 0
assert aktau.totals["generalized_cost_usd_per_year"] == base.totals["generalized_cost_usd_per_year"]
assert set(both.bottlenecks()["item_id"]) <= {"aktau_port"}
assert both.bottlenecks()["shadow_price_usd_per_unit"].max() < 100
assert both.totals["generalized_cost_usd_per_year"] < alat2.totals["generalized_cost_usd_per_year"]
assert not caspian.empty
assert split.method == "logit" and split.convergence["converged"]
assert split.bottlenecks()["item_id"].iloc[0] == "baku_alat"
assert split.route_shares.groupby(["origin", "destination"])["share"].sum().round(6).eq(1).all()
assert split.route_shares.groupby(["origin", "destination"]).size().max() > 1
assert (
    by_class["container-time-sensitive", "constanta", "middle+black_sea"]
    > by_class["container-standard", "constanta", "middle+black_sea"]
)
assert ranked.ranking["rank"].tolist() == list(range(1, 7))
assert ranked.ranking.iloc[0]["item_id"] in {"baku_alat", "aktau_port"}
assert (ranked.ranking["cost_rise_usd_per_year"] >= -1.0).all()

# %% [markdown]
# ## Next
#
# - [Assignment](../../concepts/assignment/) explains the model and what it leaves out
#   (seasonal peaks, queues, shipper preference).
# - [Does the Zangezur corridor pay?](../05_zangezur_appraisal/) turns a fall in generalized
#   cost into an investment appraisal.
# - From the command line: `corridor assign --demand middle-2030 --scenario alat-phase2`.
