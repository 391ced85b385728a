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
# # Where does Kazakh grain go when Black Sea insurance spikes?
#
# Kazakhstan's northern grain belt (Kostanay, Akmola, North Kazakhstan) ships much of its
# wheat by rail through Russia to the Black Sea ports of Taman and Novorossiysk. Ships
# calling at Russian ports pay a war-risk insurance premium, a percentage of the ship's (hull)
# value per call, that jumped after 2022. At what premium does grain for Istanbul leave the Russian
# ports, and where does it go instead?
#
# Premiums are data: the `countries` table holds each country's premium with its source,
# and `corridor.risk.insurance.with_war_risk` returns a **new** network with other premiums
# (the bundled one is never changed). See the [risk model](../../risk/).

# %%
import pandas as pd

import corridor
from corridor.report.svg import Html, svg_scatter
from corridor.risk.insurance import flip_premium, with_war_risk

net = corridor.load()
premiums = net.countries.set_index("country")[
    ["war_risk_pct_hull_per_call", "war_risk_pct_hull_per_call_ref"]
].dropna()
premiums

# %% [markdown]
# ## Today: through Russia
#
# Figures are per tonne of wheat.

# %%
today = corridor.route(net, "Kostanay", "Istanbul", "grain")
today

# %% [markdown]
# The war-risk premium is small next to freight: the expected premium is the ship's value
# allocated per tonne carried (about 400 USD/t for a bulk carrier, source
# `e-est-hull-bulk-per-t`) times the premium per call, a share of hull value.

# %% [markdown]
# ## The premium that moves the grain
#
# `flip_premium` bisects on Russia's premium until the chosen route stops calling at Taman.


# %%
def grain_route(network: corridor.Network) -> corridor.Route:
    return corridor.route(network, "Kostanay", "Istanbul", "grain")


flip = flip_premium(net, "RU", grain_route, lambda r: "taman" not in r.nodes)
print(f"Grain for Istanbul leaves Taman once Russia's premium passes {flip:.1f} % per call.")

# %% [markdown]
# Today's premium is 0.725 % per call (source `c-warrisk-ru-2025-12` in the
# [bibliography](../../reference/bibliography/)). A premium of about 10 % is not
# hypothetical: in April 2022 underwriters charged up to "10 percent of the ship's hull" for
# Russian cargo (Daily News Brief, citing Bloomberg, 13 April 2022,
# <https://dailynewsbrief.com/2022/04/13/black-sea-shippers-face-premiums-as-high-as-5-million/>).
# Grain pays Russian Railways' grain rate on Russian rail (source `t-vedomosti-2022-rzd-grain`),
# so at 10 % the grain still goes through Taman. Here is the route it takes at 15 %:

# %%
spiked = with_war_risk(net, {"RU": 15.0})
rerouted = grain_route(spiked)
rerouted

# %% [markdown]
# ## How the choice changes with the premium
#
# For each premium, the generalized cost per tonne of the route through Taman and of the
# best route avoiding Russian ports, and which one is chosen.

# %%
rows = []
for pct in (0.725, 2, 4, 6, 8, 9, 10, 12, 15):
    network = with_war_risk(net, {"RU": pct})
    chosen = grain_route(network)
    via_taman = corridor.route(network, "Kostanay", "Istanbul", "grain", via=["Taman"])
    rows.append(
        {
            "RU premium (% per call)": pct,
            "via Taman (USD/t)": via_taman.totals.generalized_cost_usd,
            "chosen route": chosen.corridor,
            "chosen (USD/t)": chosen.totals.generalized_cost_usd,
            "chosen exits via": next(
                n
                for n in reversed(chosen.nodes)
                if n in ("taman", "novorossiysk", "poti", "batumi")
            ),
        }
    )
sweep = pd.DataFrame(rows)
sweep.round(1)

# %%
Html(
    svg_scatter(
        [
            (r["RU premium (% per call)"], r["via Taman (USD/t)"], "#d62728", "via Taman")
            for r in rows
        ]
        + [
            (r["RU premium (% per call)"], r["chosen (USD/t)"], "#1f77b4", r["chosen route"])
            for r in rows
        ],
        x_label="Russian war-risk premium (% of hull value per call)",
        y_label="generalized cost (USD/t)",
    ),
    "chart: red = via Taman, blue = chosen route",
)

# %% [markdown]
# ## Every grain region
#
# The same question for the three northern grain regions, today and at a 15 % premium.

# %%
regions = ["Kostanay grain region", "Akmola grain region", "North Kazakhstan grain region"]
pd.DataFrame(
    [
        {
            "region": region,
            "premium": label,
            "route": found.corridor,
            "port": next(n for n in reversed(found.nodes) if n != "istanbul" and n != "bosphorus"),
            "days": round(found.totals.time_days, 1),
            "USD/t": round(found.totals.cost_usd),
        }
        for region in regions
        for label, network in (("today", net), ("RU 15 %", spiked))
        for found in [corridor.route(network, region, "Istanbul", "grain")]
    ]
)

# %% [markdown]
# ## A whole year of grain
#
# So far one consignment. The bundled demand set `grain-2024` holds the 2024/25 exports of
# the three northern grain regions by market (about 12.5 Mt). The assignment model loads the
# year's flows onto the network at once; the bundled scenario `black-sea-war-risk-spike` sets
# the premiums of spring 2022 (10 % of hull value per call for Russian ports, 5 % for
# Ukrainian ones), each with its source.

# %%
from corridor.assign.model import assign  # noqa: E402

grain = corridor.read_demand("grain-2024")
spike_net = corridor.apply_scenario(corridor.load_scenario("black-sea-war-risk-spike"))
year_today = assign(net, grain.table, year=grain.year)
year_spike = assign(spike_net, grain.table, year=grain.year)
EXITS = ("taman", "novorossiysk", "poti", "batumi", "aktau_port", "kuryk_port")


def by_exit(result: corridor.Assignment) -> pd.Series:
    """Tonnes a year by the first export port or Caspian port each route uses."""
    out: dict[str, float] = {}
    for nodes, flow in zip(
        result.route_shares["nodes"], result.route_shares["flow_per_year"], strict=True
    ):
        port = next((n for n in nodes.split(" > ") if n in EXITS), "by land")
        out[port] = out.get(port, 0.0) + float(flow)
    return pd.Series(out)


exits_year = pd.DataFrame(
    {"today (t/yr)": by_exit(year_today), "spike (t/yr)": by_exit(year_spike)}
)
exits_year.fillna(0).round(0)

# %% [markdown]
# Most Kazakh grain goes by land to Central Asia, China and Iran and never sees a Black Sea
# premium. The spring-2022 premiums are below the premium that moves Kostanay's grain, so
# what passes the Russian port of Taman may stay there; the spike still adds to the cost of
# the whole year's exports:

# %%
extra = (
    year_spike.totals["generalized_cost_usd_per_year"]
    - year_today.totals["generalized_cost_usd_per_year"]
)
taman_today = exits_year["today (t/yr)"].get("taman", 0.0)
taman_spike = exits_year["spike (t/yr)"].fillna(0).get("taman", 0.0)
print(
    f"Taman: {taman_today / 1e6:.2f} Mt a year today, {taman_spike / 1e6:.2f} Mt with the "
    f"spike; the spike adds {extra / 1e6:,.1f} M USD a year of generalized cost to the grain "
    f"exports."
)

# %% [markdown]
# ## The answer

# %%
ports = [n for n in ("aktau_port", "kuryk_port", "baku_alat", "poti") if n in rerouted.nodes]
print(
    f"Below about {flip:.1f} % of hull value per call, Kazakh grain for Istanbul keeps going "
    f"through Taman ({today.totals.time_days:.1f} days, USD {today.totals.cost_usd:.0f}/t). "
    f"Above it, it goes {rerouted.corridor} via {', '.join(ports)} "
    f"({rerouted.totals.time_days:.1f} days, USD {rerouted.totals.cost_usd:.0f}/t)."
)

# %% tags=["remove-cell"]
# Checks of what the text above says; hidden on the site, run by every docs build.
assert "taman" in today.nodes
assert flip is not None and 5 < flip < 15, flip
assert "taman" not in rerouted.nodes and "poti" in rerouted.nodes
assert net.countries.set_index("country").loc["RU", "war_risk_pct_hull_per_call"] == 0.725
assert sweep["via Taman (USD/t)"].is_monotonic_increasing
exits = list(sweep["chosen exits via"])
assert exits[0] == "taman" and exits[-1] != "taman", exits
assert year_today.totals["unmet_t_per_year"] < 1e-6 and year_spike.status == "optimal"
assert exits_year["today (t/yr)"].get("taman", 0) > 0
assert exits_year["spike (t/yr)"].fillna(0).get("taman", 0) <= exits_year["today (t/yr)"]["taman"]
total_today = exits_year["today (t/yr)"].fillna(0).sum()
assert abs(exits_year["spike (t/yr)"].fillna(0).sum() - total_today) <= 1e-6 * total_today
assert extra > 0

# %% [markdown]
# ## Next
#
# - The same in one line of Python is in the README; the what-if functions are in the
#   [API reference](../../reference/api/risk/).
# - [Ask what-if questions](../../how-to/what-ifs/) for sanctions, closures and planned links.
