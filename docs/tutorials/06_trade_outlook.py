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
# # When does Kazakhstan–Türkiye trade reach $15 billion?
#
# On 12 November 2024 Kazakhstan and Türkiye set a target of USD 15 billion a year of
# bilateral trade. Trade was USD 5 billion in 2024 by Kazakh statistics. When could it reach
# the target, and what would a cheaper corridor add?
#
# `corridor.economics.outlook` projects the bilateral turnover from its sourced history under
# growth rules computed from that history (no growth rate is assumed), with a seeded Monte
# Carlo band. See [appraisal and trade outlook](../../economics/) for the method.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image

import corridor
from corridor.economics.outlook import (
    TARGET_USD,
    CorridorChange,
    Outlook,
    fan_chart,
    project,
    trade_history,
    trade_multiplier,
    volatility,
)

net = corridor.load()
history = trade_history(net)
history.assign(value_bn_usd=history["value_usd"] / 1e9)[
    ["year", "value_bn_usd", "trade_id", "source_id"]
]

# %% [markdown]
# The history has gaps (2014, 2016–2017 and 2019 are not in the data) and swings: trade
# fell by half after 2012 and more than tripled from 2018 to 2022. The yearly volatility of
# log growth, estimated allowing for the gaps:

# %%
print(f"volatility: {volatility(history):.2f} (log growth per year)")

# %% [markdown]
# ## Growth scenarios and the year the target is reached
#
# Four rules, each computed from the history: the compound growth over the whole history,
# since 2020, since the 2012 peak, and the growth needed to reach the target by 2030. For
# each, 10,000 Monte Carlo paths draw the mean growth (with the uncertainty of estimating it
# from the history) and yearly shocks; P10 is the early year, P90 the late one.

# %%
outlook = project(history, n=10_000, seed=0)


def years_table(result: Outlook) -> pd.DataFrame:
    """One row per growth scenario: growth and the year the target is reached."""
    data = result.to_dict()
    return pd.DataFrame(
        [
            {
                "scenario": s["label"],
                "growth (%/yr)": round(s["growth_pct"], 2),
                "central": s["target_reached"]["central"],
                "P10": s["target_reached"]["p10"],
                "P50": s["target_reached"]["p50"],
                "P90": s["target_reached"]["p90"],
                "paths reaching by 2060": f"{s['share_reaching']:.0%}",
            }
            for s in data["scenarios"]
        ]
    )


years_table(outlook)

# %% [markdown]
# ## The fan chart
#
# History, the central path of each scenario, its P10–P90 band and the target.

# %%
with tempfile.TemporaryDirectory() as folder:
    png = fan_chart(outlook, Path(folder) / "fan.png").read_bytes()
Image(png)

# %% [markdown]
# ## What a cheaper corridor adds
#
# A fall in the corridor's generalized cost per unit of cargo lowers the trade cost in
# proportion to the cargo's value, and trade responds with an elasticity of about 3 to 5
# (gravity-model estimates). As an example: general cargo from Aktau to Kars, today against
# the Zangezur corridor open from 2030 (see [the Zangezur tutorial](../05_zangezur_appraisal/)),
# applied to the share of the bilateral trade that uses the corridor, which we do not know;
# here we assume half.

# %%
zangezur = corridor.apply_scenario(corridor.load_scenario("zangezur-open"))
before = corridor.route(net, "Aktau", "Kars", "general_cargo")
after = corridor.route(zangezur, "Aktau", "Kars", "general_cargo")
value = float(net.commodities.set_index("commodity_id").loc["general_cargo", "value_usd_per_unit"])
change = CorridorChange.from_routes(before, after, value, start_year=2030, affected_share=0.5)
print(
    f"generalized cost {before.totals.generalized_cost_usd:.0f} -> "
    f"{after.totals.generalized_cost_usd:.0f} USD/t on cargo worth {value:,.0f} USD/t: "
    f"{change.ad_valorem_change_pct:+.2f} % of the value"
)
with_corridor = project(history, change=change, n=10_000, seed=0)
years_table(with_corridor)

# %% [markdown]
# ## The answer

# %%
by_id = {s.scenario.scenario_id: s for s in outlook.scenarios}
gain_pct = (trade_multiplier(change, 4.0) - 1) * 100
shifted = {s.scenario.scenario_id: s for s in with_corridor.scenarios}
print(
    f"At the growth of the whole 2010–2024 history ({by_id['historical'].growth_pct:.1f} % a "
    f"year) trade reaches USD {TARGET_USD / 1e9:.0f} bn in {by_id['historical'].central_year} on "
    f"the central path (P50 {by_id['historical'].year_p50}); at the growth since 2020 "
    f"({by_id['recent'].growth_pct:.1f} %) in {by_id['recent'].central_year}. Reaching it by "
    f"2030 needs {by_id['target_2030'].growth_pct:.0f} % a year. A corridor that cuts the trade "
    f"cost by {-change.ad_valorem_change_pct:.1f} % of the cargo value for half of the trade "
    f"raises trade from 2030 by {gain_pct:.1f} % (central elasticity): the historical "
    f"scenario then reaches the target in {shifted['historical'].central_year}. The corridor "
    f"helps, but growth decides."
)

# %% tags=["remove-cell"]
# Checks of what the text above says; hidden on the site, run by every docs build.
assert history["year"].iloc[0] == 2010 and history["year"].iloc[-1] == 2024
assert history["value_usd"].iloc[-1] == 5e9 and TARGET_USD == 15e9
assert {2014, 2016, 2017, 2019}.isdisjoint(set(history["year"]))
h = by_id["historical"]
assert h.central_year is not None and 2035 <= h.central_year <= 2045
assert h.year_p10 is not None and h.year_p50 is not None
assert h.year_p10 <= h.year_p50 <= h.central_year + 5
assert by_id["recent"].central_year is not None and by_id["recent"].central_year < h.central_year
assert by_id["target_2030"].central_year == 2030 and by_id["target_2030"].growth_pct > 15
assert by_id["slow"].central_year is None  # not by 2060 at the growth since 2012
assert png[:8] == b"\x89PNG\r\n\x1a\n"
assert change.ad_valorem_change_pct < 0
assert shifted["historical"].central_year is not None
assert shifted["historical"].central_year <= h.central_year
assert (with_corridor.scenarios[0].central_usd >= outlook.scenarios[0].central_usd).all()
assert 0 < gain_pct < 10

# %% [markdown]
# ## Next
#
# - From the command line: `corridor outlook --plot fan.png`, or with the corridor change of
#   this page: `corridor outlook --from Aktau --to Kars --cargo general_cargo
#   --corridor zangezur-open --project-year 2030 --affected-share 0.5`.
# - The trade figures and their sources are in the [bibliography](../../reference/bibliography/).
