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
# # Does the Zangezur corridor pay?
#
# The Zangezur corridor (the "Trump Route for International Peace and Prosperity", TRIPP,
# agreed in the Washington Declaration of 8 August 2025) would link mainland Azerbaijan by
# rail through Armenia's Syunik province to its exclave Nakhchivan, and on at Dilucu and
# Iğdır to Kars in Türkiye. In the bundled network its links are **planned** (Horadiz–Aghband
# from 2026, TRIPP and the Nakhchivan railway from 2029, Kars–Iğdır–Dilucu from 2030).
#
# The bundled scenario `zangezur-open` opens them today. Which shipments change route, what
# does the assignment model say the change is worth a year, and does that pay for the
# construction at the discount rates that lenders and governments in the region use?

# %%
import pandas as pd

import corridor
from corridor.assign.model import assign
from corridor.economics.appraisal import appraise, appraise_scenario, cash_flows, rate_ladder

net = corridor.load()
scenario = corridor.load_scenario("zangezur-open")
zangezur = corridor.apply_scenario(scenario)
print(scenario.title)
net.links.loc[
    net.links["corridor"] == "zangezur",
    ["link_id", "status", "opening_year", "distance_km", "capacity_t_per_year"],
]

# %% [markdown]
# ## Which routes change?
#
# The best route today and with the corridor open, for some origin–destination pairs where it
# might matter. Figures are per tonne (per TEU for containers); the last row is for shippers
# who avoid Russia and Iran.

# %%
pairs = [
    ("Baku", "Nakhchivan", "general_cargo", ()),
    ("Baku", "Kars", "general_cargo", ()),
    ("Baku", "Ankara", "general_cargo", ()),
    ("Aktau", "Kars", "general_cargo", ()),
    ("Baku", "Istanbul", "container", ()),
    ("Xian", "Istanbul", "container", ()),
    ("Xian", "Istanbul", "container", ("RU", "IR")),
]


def best(
    network: corridor.Network, origin: str, destination: str, cargo: str, avoid: tuple[str, ...]
) -> dict[str, object]:
    try:
        found = corridor.route(network, origin, destination, cargo, avoid=list(avoid))
    except corridor.NoRouteError:
        return {"corridor": "no route", "days": None, "gen. USD": None, "via Nakhchivan": False}
    return {
        "corridor": found.corridor,
        "days": round(found.totals.time_days, 1),
        "gen. USD": round(found.totals.generalized_cost_usd),
        "via Nakhchivan": "nakhchivan" in found.nodes,
    }


rows = []
for origin, destination, cargo, avoid in pairs:
    today, opened = (
        best(net, origin, destination, cargo, avoid),
        best(zangezur, origin, destination, cargo, avoid),
    )
    rows.append(
        {
            "from": origin,
            "to": destination,
            "cargo": cargo,
            "avoid": ",".join(avoid),
            "today": today["corridor"],
            "today days": today["days"],
            "today gen. USD": today["gen. USD"],
            "open": opened["corridor"],
            "open days": opened["days"],
            "open gen. USD": opened["gen. USD"],
            "via Nakhchivan": opened["via Nakhchivan"],
        }
    )
changes = pd.DataFrame(rows)
changes

# %% [markdown]
# Baku–Nakhchivan has no rail route today (the exclave is cut off from mainland Azerbaijan),
# and eastern Türkiye (Kars, and on to Ankara) comes about a day and a half closer to Baku
# than by Baku–Tbilisi–Kars through Georgia. Baku–Istanbul containers switch too: by rail
# across Türkiye from Kars instead of by ship from Poti. Xi'an–Istanbul containers keep their
# cheapest route, through Russia; only shippers who avoid Russia and Iran switch to the
# corridor, and they save about two days.

# %% [markdown]
# ## What is it worth a year?
#
# The benefit of a project in the assignment model is the fall in the total generalized cost
# (money, value of time, expected war-risk cost) of a year's demand when the same demand is
# assigned to the network without and with the project. Both networks are assigned in today's
# network year, so that the planned Zangezur links stay closed in the base.

# %%
benefits = []
for name in ("containers-2024", "grain-2024", "crude-2024", "middle-2030"):
    demand = corridor.read_demand(name)
    without = assign(net, demand.table, method="min_cost")
    with_project = assign(zangezur, demand.table, method="min_cost")
    benefits.append(
        {
            "demand set": name,
            "without (M USD/yr)": without.totals["generalized_cost_usd_per_year"] / 1e6,
            "with (M USD/yr)": with_project.totals["generalized_cost_usd_per_year"] / 1e6,
            "benefit (M USD/yr)": (
                without.totals["generalized_cost_usd_per_year"]
                - with_project.totals["generalized_cost_usd_per_year"]
            )
            / 1e6,
        }
    )
benefit_table = pd.DataFrame(benefits).round(2)
benefit_table

# %% [markdown]
# Only today's containers on the Trans-Caspian route gain, a few million dollars a year.
# Kazakh grain and crude do not use the corridor, and in the World Bank's 2030 flows the
# containers that would use it are held back by the port of Baku's container capacity (see
# [the bottlenecks tutorial](../04_bottlenecks_2030/)). None of the bundled demand sets
# contains Nakhchivan's own traffic or Azerbaijan–eastern Türkiye trade, the flows the
# corridor is built for: that demand is not in the data yet.
#
# ## Appraisal
#
# The capital cost: for the Turkish section alone, Kars to Sadarak, the head of Azerbaijan
# Railways gave "2-2.5 billion USD" (Report.az, 13 October 2017,
# <https://report.az/en/infrastructure/rail-link-to-be-established-between-baku-and-nakhchivan/>).
# We take the lower end, USD 2 bn, built over 4 years, and leave out the Azerbaijani and
# Armenian sections, whose cost we have not found: the true cost is higher, so the test is
# lenient. Benefits run for 25 years after construction with a 3-year ramp-up.
#
# `appraise_scenario` runs both assignments itself and discounts at each rung of the bundled
# ladder of rates (`finance_rates`, each with its source).

# %%
containers = corridor.read_demand("containers-2024")
capex_usd = 2.0e9
terms = {"years": 25, "build_years": 4, "ramp_up_years": 3, "start_year": 2026}
ladder = rate_ladder(net)
result = appraise_scenario(
    net, zangezur, containers.table, capex_usd=capex_usd, rate=0.06, rates=ladder, **terms
)
print(
    f"benefit {result.inputs['benefit']['benefit_usd_per_year'] / 1e6:.1f} M USD/yr; "
    f"NPV at 6 %: {result.npv_usd / 1e9:.2f} bn USD; B/C {result.benefit_cost_ratio:.2f}"
)
result.sweep[["rate_pct", "label", "currency", "npv_usd", "benefit_cost_ratio", "pays"]]

# %% [markdown]
# **For the bundled demand, it does not pay at any rate on the ladder, not even at US
# Treasury rates.** Which benefit would it need? The NPV grows linearly with the annual
# benefit, so the break-even benefit at a rate is the present value of the costs divided by
# the present value of one dollar of benefit a year.


# %%
def breakeven_benefit_usd(rate_pct: float) -> float:
    """Annual benefit (USD) at which the NPV is zero at this rate."""
    costs = appraise(cash_flows(capex_usd, 0.0, **terms), rate_pct / 100).pv_costs_usd
    per_dollar = appraise(cash_flows(capex_usd, 1.0, **terms), rate_pct / 100).pv_benefits_usd
    return costs / per_dollar


design_t = 15e6  # t/yr, the design capacity of Horadiz-Aghband and Kars-Dilucu (bundled)
baku_kars = changes.set_index(["from", "to"]).loc[("Baku", "Kars")]
saving_per_t = float(baku_kars["today gen. USD"] - baku_kars["open gen. USD"])
needed = pd.DataFrame(
    [
        {
            "rate (%/yr)": rung.rate_pct,
            "rate": rung.label,
            "break-even benefit (M USD/yr)": breakeven_benefit_usd(rung.rate_pct) / 1e6,
            "saving needed per t at 15 Mt/yr (USD)": breakeven_benefit_usd(rung.rate_pct)
            / design_t,
        }
        for rung in ladder
    ]
).round(1)
needed

# %% [markdown]
# Baku–Kars general cargo saves about USD 15 per tonne in generalized cost. If the line
# carried its full design capacity of 15 Mt a year with that saving (an illustration, not a
# forecast: no published traffic forecast is in the data), the benefit would be
# about USD 225 m a year:

# %%
illustration = appraise(cash_flows(capex_usd, saving_per_t * design_t, **terms), 0.06, rates=ladder)
print(
    f"{saving_per_t:.0f} USD/t x 15 Mt/yr = {saving_per_t * design_t / 1e6:.0f} M USD/yr: "
    f"IRR {illustration.irr_pct:.1f} %, NPV at 6 % {illustration.npv_usd / 1e9:.2f} bn USD"
)

# %% [markdown]
# ## The answer

# %%
pays_at = needed.loc[
    needed["break-even benefit (M USD/yr)"] <= saving_per_t * design_t / 1e6, "rate (%/yr)"
]
print(
    f"With the bundled demand the Zangezur corridor saves "
    f"{result.inputs['benefit']['benefit_usd_per_year'] / 1e6:.1f} M USD a year and does not "
    f"pay back even USD 2 bn of construction at any rate from {ladder[0].rate_pct:g} % to "
    f"{ladder[-1].rate_pct:g} %. It needs about "
    f"{breakeven_benefit_usd(6.0) / 1e6:,.0f} M USD a year at 6 %; a full 15 Mt a year saving "
    f"{saving_per_t:.0f} USD/t would pay at rates up to about {illustration.irr_pct:.0f} % "
    f"(the ladder's rungs up to {pays_at.max():g} %), but not at Turkish lira rates."
)

# %% tags=["remove-cell"]
# Checks of what the text above says; hidden on the site, run by every docs build.
od = changes.set_index(["from", "to"])
assert od.loc[("Baku", "Nakhchivan"), "today"] == "no route"
assert od.loc[("Baku", "Nakhchivan"), "via Nakhchivan"]
assert baku_kars["via Nakhchivan"] and baku_kars["today days"] - baku_kars["open days"] > 1.0
assert od.loc[("Baku", "Ankara"), "via Nakhchivan"] and od.loc[("Aktau", "Kars"), "via Nakhchivan"]
assert od.loc[("Baku", "Istanbul"), "via Nakhchivan"]
xian = changes[changes["from"] == "Xian"].set_index("avoid")
assert not xian.loc["", "via Nakhchivan"] and xian.loc["", "today"] == xian.loc["", "open"]
assert xian.loc["RU,IR", "via Nakhchivan"]
assert xian.loc["RU,IR", "today days"] - xian.loc["RU,IR", "open days"] > 1.5
assert 10 < saving_per_t < 20
b = benefit_table.set_index("demand set")["benefit (M USD/yr)"]
assert 1 < b["containers-2024"] < 20
assert b["grain-2024"] == 0 and b["crude-2024"] == 0 and b["middle-2030"] == 0
assert not result.sweep["pays"].any()
assert result.benefit_cost_ratio < 0.1
assert abs(appraise(cash_flows(capex_usd, breakeven_benefit_usd(6.0), **terms), 0.06).npv_usd) < 1
assert illustration.irr_pct is not None and 6 < illustration.irr_pct < 16.5
assert pays_at.max() < 16.5

# %% [markdown]
# ## Next
#
# - [Appraisal and trade outlook](../../economics/) explains the cash flows, the rate ladder
#   and the IRR.
# - From the command line:
#   `corridor appraise zangezur-open --demand containers-2024 --capex 2e9 --build-years 4`,
#   and side by side, routes and flows:
#   `corridor compare eurasia zangezur-open --demand containers-2024`
#   (see [compare two networks or scenarios](../../how-to/compare/)).
# - [When does Kazakhstan–Türkiye trade reach $15 billion?](../06_trade_outlook/)
