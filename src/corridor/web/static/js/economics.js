// Result views of the trade outlook, the project appraisal and the model's validation.
import { h, fill, num, pct } from "./dom.js";
import { chartCanvas, fanChart } from "./charts.js";
import { citation } from "./views.js";

const bn = (usd) => (usd == null ? "–" : `${num(usd / 1e9, 1)} bn`);

function table(id, caption, head, rows) {
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      { class: "data", id },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows),
    ),
  );
}

/** The year a scenario reaches the target, in words ("2036" or "not by 2060"). */
function reached(s, key) {
  return s.target_reached?.[key] ?? (s[`target_year_${key}`] ?? "–");
}

/**
 * The trade outlook: per growth scenario the year the target is reached (central, P10, P50,
 * P90) and the share of paths that reach it, and a fan chart of the chosen scenario with the
 * published history and the target.
 */
export function renderOutlook(el, data) {
  const scenarios = data.scenarios ?? [];
  const target = data.target_usd;
  const rows = scenarios.map((s) =>
    h(
      "tr",
      { "data-scenario": s.scenario_id },
      h("th", { scope: "row" }, s.label),
      h("td", { class: "num" }, `${num(s.growth_pct, 1)}%`),
      h("td", { class: "num" }, reached(s, "central")),
      h("td", { class: "num" }, reached(s, "p10")),
      h("td", { class: "num" }, reached(s, "p50")),
      h("td", { class: "num" }, reached(s, "p90")),
      h("td", { class: "num" }, pct(s.share_reaching)),
    ),
  );
  const first = scenarios[0];
  const { box, canvas } = chartCanvas(
    `Fan chart of Kazakhstan–Türkiye trade, scenario ${first?.label ?? ""}: P10 to P90 band ` +
      `and median by year against the target of ${bn(target)} USD; the table above gives the ` +
      "years the target is reached",
    { height: 240 },
  );
  const picker = h(
    "select",
    {
      id: "outlook-fan",
      onchange: (e) => drawFan(canvas, data, e.target.value),
    },
    scenarios.map((s) => h("option", { value: s.scenario_id }, s.label)),
  );
  fill(
    el,
    h(
      "p",
      { class: "result-title", id: "result-title" },
      `Trade outlook: the year ${bn(target)} USD is reached`,
    ),
    h(
      "p",
      { class: "headline", id: "outlook-headline" },
      first
        ? `${first.label}: ${bn(target)} USD in ${reached(first, "central")} on the central path ` +
            `(median year ${reached(first, "p50")}); ${pct(first.share_reaching)} of the simulated paths ` +
            `reach it by ${data.horizon_year}.`
        : "No growth scenario.",
    ),
    table(
      "outlook-table",
      `Year the target of ${bn(target)} USD is reached, by growth scenario`,
      ["Scenario", "Growth/yr", "Central", "P10", "P50", "P90", `Paths by ${data.horizon_year}`],
      rows,
    ),
    h("div", { class: "sort-row" }, h("label", { for: "outlook-fan" }, "Fan of "), picker),
    box,
    data.history?.length
      ? h(
          "p",
          { class: "muted" },
          `History ${data.history[0].year}–${data.history.at(-1).year} (the dots): ` +
            `${bn(data.history.at(-1).value_usd)} USD in ${data.history.at(-1).year}. ` +
            `Volatility ${num(data.volatility_log_per_year, 2)} (log, a year); ` +
            `${num(data.samples)} paths, seed ${data.seed}.`,
        )
      : null,
  );
  queueMicrotask(() => drawFan(canvas, data, first?.scenario_id));
}

function drawFan(canvas, data, scenarioId) {
  const series = (data.series ?? []).find((s) => s.scenario_id === scenarioId);
  if (!series) return;
  const rows = series.rows.map((r) => ({
    year: r.year,
    p10: r.p10 / 1e9,
    p50: r.p50 / 1e9,
    p90: r.p90 / 1e9,
  }));
  const chart = fanChart(canvas, rows, { label: "trade", unit: "bn USD a year" });
  const years = rows.map((r) => r.year);
  chart.data.datasets.push(
    {
      label: `target ${num(data.target_usd / 1e9, 1)} bn`,
      data: [
        { x: Math.min(...years), y: data.target_usd / 1e9 },
        { x: Math.max(...years), y: data.target_usd / 1e9 },
      ],
      borderColor: "#b00020",
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
    },
    {
      label: "history",
      data: (data.history ?? []).map((r) => ({ x: r.year, y: r.value_usd / 1e9 })),
      borderColor: "#1b1f24",
      backgroundColor: "#1b1f24",
      showLine: false,
      pointRadius: 3,
      fill: false,
    },
  );
  chart.options.scales.x.min = Math.min(data.history?.[0]?.year ?? years[0], years[0]);
  // Trade grows by a share a year, and the P90 path runs away: a log scale keeps the
  // history, the median and the target readable together.
  chart.options.scales.y = {
    type: "logarithmic",
    title: { display: true, text: "trade, bn USD a year (log scale)" },
    ticks: { callback: (v) => ([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].includes(v) ? num(v) : "") },
  };
  chart.update();
}

const mt = (t) => (t == null ? "–" : `${num(t / 1e6, 2)} Mt`);

/** A network's label in words: "today" is today's network, the rest are scenarios. */
function networkLabel(name) {
  return name === "today" ? "today's network" : `scenario ${name}`;
}

/**
 * The target's freight on the networks: the implied tonnes by cargo, then per network what
 * share is carried, the freight bill, CO2 and main corridors, then the capacities that bind
 * and from which trade level and year (sized by their shadow price), or "nothing binds".
 */
export function renderTargetLoad(el, data) {
  const nets = data.networks ?? [];
  const groups = (data.implied_by_commodity ?? []).map((g) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, g.commodity),
      h("td", { class: "num" }, mt(g.flow_t_per_year)),
      h("td", { class: "num" }, bn(g.value_usd_per_year)),
    ),
  );
  const loads = nets.map((n) =>
    h(
      "tr",
      { "data-network": n.network },
      h("th", { scope: "row" }, networkLabel(n.network)),
      h("td", { class: "num" }, pct(n.served_share)),
      h("td", { class: "num" }, bn(n.freight_bill_usd_per_year)),
      h("td", { class: "num" }, `${num((n.co2_t_per_year_bilateral ?? 0) / 1e6, 2)} Mt`),
      h(
        "td",
        {},
        Object.entries(n.corridors_t_per_year ?? {})
          .slice(0, 3)
          .map(([c, t]) => `${c} ${mt(t)}`)
          .join(", ") || "–",
      ),
    ),
  );
  const jams = nets.flatMap((n) => [
    ...(n.binding ?? []).map((b) =>
      h(
        "tr",
        { class: "binding", "data-network": n.network },
        h("th", { scope: "row" }, networkLabel(n.network)),
        h("td", {}, b.name ?? b.item_id),
        h("td", { class: "num" }, `${num(b.capacity_per_year)} ${b.unit}`),
        h("td", { class: "num" }, num(b.shadow_price_usd_per_unit, 2)),
        h(
          "td",
          {},
          `${bn(b.binds_from_trade_usd)} USD (${b.binds_from_year ?? "beyond the outlook path"})`,
        ),
      ),
    ),
    ...(n.unmet_from_trade_usd != null
      ? [
          h(
            "tr",
            { class: "unmet", "data-network": n.network },
            h("th", { scope: "row" }, networkLabel(n.network)),
            h("td", {}, "demand left unserved"),
            h("td", {}, "–"),
            h("td", {}, "–"),
            h("td", {}, `${bn(n.unmet_from_trade_usd)} USD (${n.unmet_from_year ?? "–"})`),
          ),
        ]
      : []),
  ]);
  const levels = (data.levels ?? [])
    .map((l) => `${bn(l.trade_usd)} USD in ${l.first_year ?? "–"}`)
    .join(", ");
  fill(
    el,
    h(
      "p",
      { class: "result-title", id: "result-title" },
      `Can the corridors carry ${bn(data.target_usd)} USD of Kazakhstan–Türkiye trade? ` +
        (jams.length ? `${jams.length} capacity limits bind.` : "Nothing binds."),
    ),
    h(
      "p",
      { class: "hint", id: "target-assumption" },
      `Demand set ${data.demand_set} (${data.demand_year}) scaled under the mix "${data.mix}": ` +
        `${data.mix_assumption}. Other traffic on the same capacities: ` +
        `${(data.background_demand_sets ?? []).join(", ") || "none"}. Trade levels ` +
        `(${data.growth_scenario} path): ${levels}.`,
    ),
    table("target-freight", "Bilateral freight the target implies", ["Cargo", "Tonnes a year", "USD a year"], groups),
    table(
      "target-networks",
      "The target's freight on each network (bilateral flows)",
      ["Network", "Carried", "Freight bill (USD/yr)", "CO2e", "Main corridors"],
      loads,
    ),
    jams.length
      ? table(
          "target-binding",
          "Capacities binding at the target, and from which trade level and year",
          ["Network", "Capacity", "Per year", "USD per extra unit", "Binds from"],
          jams,
        )
      : h("p", { id: "target-binding" }, "No capacity binds at the target on any network."),
  );
}

/** The appraisal: NPV, IRR, benefit-cost ratio and paybacks, and the discount-rate ladder. */
export function renderAppraisal(el, data) {
  const facts = [
    ["Net present value", `${num(data.npv_usd)} USD at ${num(data.rate_pct, 1)}%`],
    ["Internal rate of return", data.irr_pct == null ? `none (${data.irr_note})` : `${num(data.irr_pct, 2)}% (${data.irr_note})`],
    ["Benefit-cost ratio", num(data.benefit_cost_ratio, 2)],
    ["Present value of benefits", `${num(data.pv_benefits_usd)} USD`],
    ["Present value of costs", `${num(data.pv_costs_usd)} USD`],
    ["Payback", data.payback_years == null ? "never" : `${data.payback_years} years`],
    [
      "Discounted payback",
      data.discounted_payback_years == null ? "never" : `${data.discounted_payback_years} years`,
    ],
  ];
  const ladder = (data.sweep ?? []).map((r) =>
    h(
      "tr",
      { class: r.pays ? null : "unmet" },
      h("td", { class: "num" }, `${num(r.rate_pct, 2)}%`),
      h("td", {}, r.label ?? ""),
      h("td", { class: "num" }, num(r.npv_usd)),
      h("td", { class: "num" }, num(r.benefit_cost_ratio, 2)),
      h("td", {}, r.pays ? "yes" : "no"),
      h("td", {}, r.source_id ? h("ul", { class: "citations" }, citation(r.source_id)) : "–"),
    ),
  );
  fill(
    el,
    h(
      "p",
      { class: "result-title", id: "result-title" },
      `Appraisal: ${data.pays ? "the project pays" : "the project does not pay"} at ` +
        `${num(data.rate_pct, 1)}%`,
    ),
    h(
      "dl",
      { class: "totals", id: "appraisal-facts" },
      facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
    ),
    ladder.length
      ? table(
          "rate-ladder",
          "NPV at each rate of the discount-rate ladder (sourced rates)",
          ["Rate", "What the rate is", "NPV (USD)", "Benefit-cost", "Pays", "Source"],
          ladder,
        )
      : null,
  );
}

/** The validation report: per kind how many observations the model meets, then each one. */
export function renderValidation(el, data) {
  const bands = data.criteria?.bands ?? {};
  const summary = (data.summary ?? []).map((s) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, s.kind.replace(/_/g, " ")),
      h("td", { class: "num" }, num(s.count)),
      h("td", { class: "num" }, num(s.modelled)),
      h("td", { class: "num" }, num(s.in_band)),
      h("td", { class: "num" }, pct(s.share_in_band)),
      h("td", { class: "num" }, s.median_ratio == null ? "–" : num(s.median_ratio, 2)),
      h("td", {}, bands[s.kind]?.text ?? ""),
    ),
  );
  const value = (v, unit) => (v == null ? "–" : `${num(v, Math.abs(v) < 100 ? 1 : 0)} ${unit ?? ""}`.trim());
  const observations = (data.observations ?? []).map((o) =>
    h(
      "tr",
      { class: o.in_band === false ? "unmet" : null, "data-observation": o.observation_id },
      h("td", {}, o.description),
      h("td", {}, o.kind.replace(/_/g, " ")),
      h("td", { class: "num" }, value(o.observed_value, o.unit)),
      h("td", { class: "num" }, o.status === "modelled" ? value(o.modelled_value, o.unit) : o.reason || o.status),
      h("td", {}, o.in_band == null ? "–" : o.in_band ? "yes" : "no"),
      h(
        "td",
        {},
        o.source?.url
          ? h("a", { href: o.source.url, rel: "noopener noreferrer", target: "_blank" }, o.source.publisher ?? o.source.title)
          : o.source?.title ?? "",
      ),
    ),
  );
  const total = data.total ?? {};
  fill(
    el,
    h(
      "p",
      { class: "result-title", id: "result-title" },
      `Validation: ${num(total.in_band)} of ${num(total.count)} observations in band ` +
        `(${pct(total.share_in_band)})`,
    ),
    table(
      "validation-summary",
      "Observations in band, by kind",
      ["Kind", "Observations", "Modelled", "In band", "Share", "Median model/observed", "Band"],
      summary,
    ),
    table(
      "validation-table",
      "Each observation against the model (rows out of band are marked)",
      ["Observation", "Kind", "Observed", "Modelled", "In band", "Source"],
      observations,
    ),
  );
}
