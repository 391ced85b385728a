// Result views: route lists, leg tables, reliability, flows and comparisons as accessible HTML.
import { h, fill, days, modeName, num, pct } from "./dom.js";
import { chartCanvas, colourOf, paretoChart, timeDistributionChart } from "./charts.js";

const OBJECTIVES = {
  generalized: "generalized cost",
  cost: "money",
  time: "time",
  co2: "CO₂",
  risk: "war risk",
};

function unitLabel(unit) {
  return unit === "teu" ? "TEU" : unit === "t" ? "tonne" : unit ?? "unit";
}

/** One line describing a route's totals. */
export function routeHeadline(route) {
  const t = route.totals;
  return `${days(t.time_h)} d · ${num(t.cost_usd)} USD · ${num(t.co2_kg)} kg CO₂e`;
}

/**
 * A selectable list of routes (alternatives or Pareto points).
 *
 * @param {object[]} routes
 * @param {number} selected index of the selected route
 * @param {(i: number) => void} onSelect
 */
export function routeList(routes, selected, onSelect) {
  return h(
    "ol",
    { class: "route-list", id: "route-list", "aria-label": "Routes found" },
    routes.map((route, i) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "route-choice",
            "aria-pressed": i === selected ? "true" : "false",
            "data-index": i,
            onclick: () => onSelect(i),
          },
          h("span", { class: "route-num", style: `border-color:${colourOf(i)}` }, String(i + 1)),
          h(
            "span",
            { class: "route-text" },
            h("span", { class: "route-corridor" }, route.corridor),
            h("span", { class: "route-figures" }, routeHeadline(route)),
            route.sanctioned_countries?.length
              ? h(
                  "span",
                  { class: "badge badge-warn" },
                  `sanctions: ${route.sanctioned_countries.join(", ")}`,
                )
              : null,
          ),
        ),
      ),
    ),
  );
}

/** Totals of a route as a description list. */
export function totalsList(route) {
  const t = route.totals;
  const unit = unitLabel(route.unit);
  const rows = [
    ["Transit time", `${days(t.time_h)} days (${num(t.time_h)} h)`],
    ["Distance", `${num(t.distance_km)} km`],
    ["Money cost", `${num(t.cost_usd)} USD per ${unit}`],
    ["CO₂e", `${num(t.co2_kg)} kg per ${unit}`],
    ["Expected war-risk premium", `${num(t.risk_usd)} USD per ${unit}`],
    ["Value of time", `${num(t.time_value_usd)} USD per ${unit}`],
    ["Generalized cost", `${num(t.generalized_cost_usd)} USD per ${unit}`],
    ["Countries", (route.countries ?? []).join(" → ")],
  ];
  if (route.sanctioned_countries?.length) {
    rows.push(["Sanctioned countries", route.sanctioned_countries.join(", ")]);
  }
  return h(
    "dl",
    { class: "totals" },
    rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

/** The leg table of a route. */
export function legTable(route, index) {
  const rows = route.legs.map((leg, i) => {
    const what =
      leg.kind === "transfer"
        ? h("span", {}, "at ", leg.from_name)
        : h("span", {}, leg.from_name, " → ", leg.to_name);
    return h(
      "tr",
      { class: leg.kind === "transfer" ? "leg-transfer" : "leg-link" },
      h("td", { class: "num" }, String(i + 1)),
      h("td", {}, what),
      h("td", { class: "mode" }, modeName(leg.mode, { short: true })),
      h("td", { class: "num" }, leg.kind === "transfer" ? "" : num(leg.distance_km)),
      h("td", { class: "num" }, num(leg.time_h, 1)),
      h("td", { class: "num" }, num(leg.cost_usd)),
      h("td", { class: "num" }, num(leg.co2_kg)),
    );
  });
  const t = route.totals;
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": `legs-caption-${index}` },
    h(
      "table",
      { class: "legs", id: "leg-table" },
      h(
        "caption",
        { id: `legs-caption-${index}` },
        `Legs of route ${index + 1} (${route.corridor}), per ${unitLabel(route.unit)}`,
      ),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["#", "Leg", "Mode", "km", "h", "USD", "kg CO₂e"].map((c) =>
            h("th", { scope: "col" }, c),
          ),
        ),
      ),
      h("tbody", {}, rows),
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "row", colspan: 3 }, "Total"),
          h("td", { class: "num" }, num(t.distance_km)),
          h("td", { class: "num" }, num(t.time_h, 1)),
          h("td", { class: "num" }, num(t.cost_usd)),
          h("td", { class: "num" }, num(t.co2_kg)),
        ),
      ),
    ),
  );
}

/** Details of the selected route: totals, legs and the sources they cite. */
export function routeDetails(route, index) {
  return h(
    "section",
    { class: "route-details", "aria-label": `Route ${index + 1} details` },
    h("h3", {}, `Route ${index + 1}: ${route.corridor}`),
    totalsList(route),
    legTable(route, index),
    route.sources?.length
      ? h(
          "details",
          { class: "sources" },
          h("summary", {}, `Sources cited (${route.sources.length})`),
          h("p", {}, route.sources.join(", ")),
        )
      : null,
  );
}

/**
 * The whole route result: headline, selectable list and details of the selected route.
 *
 * @param {HTMLElement} el
 * @param {object[]} routes
 * @param {{selected: number, onSelect: (i:number)=>void, title: string, pareto?: object}} opts
 */
export function renderRoutes(el, routes, { selected, onSelect, title, pareto }) {
  const first = routes[0];
  const children = [
    h(
      "p",
      { class: "result-title", id: "result-title" },
      title ??
        `${routes.length} route${routes.length === 1 ? "" : "s"} by ` +
          `${OBJECTIVES[first.objective] ?? first.objective}, per ${unitLabel(first.unit)}`,
    ),
  ];
  if (pareto) {
    const { box, canvas } = chartCanvas(
      `Pareto front: ${routes.length} routes trading transit time against money cost; ` +
        "the same routes are listed below",
      { height: 200 },
    );
    children.push(box);
    queueMicrotask(() =>
      paretoChart(canvas, routes, pareto.dominated ?? [], onSelect, {
        selected,
        unit: unitLabel(first.unit),
      }),
    );
  }
  children.push(routeList(routes, selected, onSelect), routeDetails(routes[selected], selected));
  fill(el, ...children);
}

/** Normalise the reliability answer of the API to a list. */
export function reliabilityItems(data) {
  if (Array.isArray(data)) return data;
  return data?.routes ?? data?.reliability ?? data?.results ?? [];
}

/** Reliability results: P50/P90 table and the transit time distributions. */
export function renderReliability(el, data) {
  const items = reliabilityItems(data);
  if (items.length === 0) {
    fill(el, h("p", {}, "No routes to simulate."));
    return;
  }
  const deadline = items[0].deadline_h;
  const rows = items.map((r, i) =>
    h(
      "tr",
      {},
      h("td", { class: "num" }, h("span", { class: "dot", style: `background:${colourOf(i)}` }), String(i + 1)),
      h("td", {}, r.corridor ?? ""),
      h("td", { class: "num" }, days(r.deterministic_time_h)),
      h("td", { class: "num" }, days(r.p50_time_h)),
      h("td", { class: "num" }, days(r.p90_time_h)),
      h("td", { class: "num" }, days(r.p95_time_h)),
      deadline != null ? h("td", { class: "num" }, pct(r.p_on_time)) : null,
      h("td", { class: "num" }, num(r.mean_generalized_cost_usd)),
    ),
  );
  const head = ["#", "Corridor", "plan d", "P50 d", "P90 d", "P95 d"];
  if (deadline != null) head.push(`P(≤ ${days(deadline)} d)`);
  head.push("mean gen. USD");
  const { box, canvas } = chartCanvas(
    `Transit time distributions of ${items.length} routes; P90 from ` +
      `${days(Math.min(...items.map((r) => r.p90_time_h)))} to ` +
      `${days(Math.max(...items.map((r) => r.p90_time_h)))} days`,
  );
  fill(el, 
    h(
      "p",
      { class: "result-title", id: "result-title" },
      `Reliability of ${items.length} route${items.length === 1 ? "" : "s"} ` +
        `(${num(items[0].n)} samples, seed ${items[0].seed})`,
    ),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Reliability table" },
      h(
        "table",
        { class: "reliability", id: "reliability-table" },
        h("caption", {}, "Transit time percentiles in days"),
        h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, rows),
      ),
    ),
    h("h3", {}, "Share of shipments arrived, by day"),
    box,
    disruptionList(items),
  );
  const series = items
    .filter((r) => r.histogram)
    .map((r, i) => ({ label: `${i + 1} ${r.corridor ?? ""}`, histogram: r.histogram }));
  if (series.length > 0) queueMicrotask(() => timeDistributionChart(canvas, series, { deadline_h: deadline }));
  else fill(box, h("p", { class: "muted" }, "The API sent no histogram."));
}

function disruptionList(items) {
  const hits = items.flatMap((r, i) =>
    (r.disruptions ?? []).map((d) => ({ ...d, route: i + 1 })),
  );
  if (hits.length === 0) return null;
  return h(
    "details",
    { class: "sources" },
    h("summary", {}, `Disruptions the routes are exposed to (${hits.length})`),
    h(
      "ul",
      {},
      hits.map((d) =>
        h(
          "li",
          {},
          `Route ${d.route}: ${d.name} — probability ${pct(d.probability, 1)}, ` +
            `hit ${pct(d.hit_share, 1)} of samples`,
        ),
      ),
    ),
  );
}

const TOTAL_LABELS = {
  objective_usd_per_year: "Objective (USD/yr)",
  generalized_cost_usd_per_year: "Generalized cost (USD/yr)",
  tonne_km_per_year: "Tonne-km per year",
  unmet_t_per_year: "Unmet demand (t/yr)",
};

function prettyKey(key) {
  return TOTAL_LABELS[key] ?? key.replace(/_/g, " ");
}

function prettyValue(value) {
  if (typeof value === "number") return num(value, Math.abs(value) < 10 ? 2 : 0);
  if (value == null) return "–";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Assignment results: totals and the bottleneck table. */
export function renderFlows(el, result) {
  const totals = result.totals ?? {};
  const bottlenecks = result.bottlenecks ?? [];
  const rows = bottlenecks.map((b, i) =>
    h(
      "tr",
      {},
      h("td", { class: "num" }, String(i + 1)),
      h("td", {}, b.item_id ?? b.link_id ?? b.resource ?? ""),
      h("td", {}, b.kind ?? ""),
      h("td", { class: "num" }, pct(b.utilisation)),
      h("td", { class: "num" }, num(b.shadow_price_usd_per_unit, 2)),
    ),
  );
  const conv = result.convergence ?? {};
  const method =
    result.method === "logit"
      ? `Logit equilibrium: relative gap ${Number(conv.relative_gap ?? 0).toExponential(1)} ` +
        `(target ${conv.tolerance}), ${conv.iterations} iterations`
      : "Least total cost (system optimum)";
  const shareRows = (result.route_shares ?? [])
    .filter((r) => r.share >= 0.01)
    .map((r) =>
      h(
        "tr",
        {},
        h("td", {}, `${r.origin} → ${r.destination}`),
        h("td", {}, r.commodity),
        h("td", {}, r.corridor),
        h("td", { class: "num" }, pct(r.share)),
      ),
    );
  fill(el, 
    h("p", { class: "result-title", id: "result-title" }, "Assigned flows"),
    h("p", { class: "muted", id: "assign-method-used" }, method),
    h(
      "dl",
      { class: "totals" },
      Object.entries(totals)
        .filter(([, v]) => typeof v !== "object" || v === null)
        .flatMap(([k, v]) => [h("dt", {}, prettyKey(k)), h("dd", {}, prettyValue(v))]),
    ),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Bottlenecks" },
      h(
        "table",
        { class: "bottlenecks", id: "bottleneck-table" },
        h("caption", {}, "Bottlenecks: capacities that limit the flows"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["#", "Where", "Kind", "Used", "Shadow price USD/unit"].map((c) =>
              h("th", { scope: "col" }, c),
            ),
          ),
        ),
        h("tbody", {}, rows),
      ),
    ),
    bottlenecks.length === 0
      ? h("p", { class: "muted" }, "No capacity is binding: every flow fits as assigned.")
      : null,
    shareRows.length === 0
      ? null
      : h(
          "div",
          { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Route shares" },
          h(
            "table",
            { class: "bottlenecks", id: "share-table" },
            h("caption", {}, "Route shares per OD (1 % and more)"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["OD", "Cargo", "Corridor", "Share"].map((c) => h("th", { scope: "col" }, c)),
              ),
            ),
            h("tbody", {}, shareRows),
          ),
        ),
  );
}

/** Route of a compare side, whatever wrapper the API puts around it. */
export function compareRoute(side) {
  if (!side) return null;
  if (side.routes) return side.routes[0] ?? null;
  if (side.route) return side.route;
  return side.totals ? side : null;
}

/** Two routes side by side with their differences. */
export function renderCompare(el, data, names) {
  const base = compareRoute(data.base);
  const other = compareRoute(data.other);
  const metric = (label, get, digits = 0) => {
    const a = base ? get(base) : null;
    const b = other ? get(other) : null;
    const diff = a != null && b != null ? b - a : null;
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, label),
      h("td", { class: "num" }, num(a, digits)),
      h("td", { class: "num" }, num(b, digits)),
      h(
        "td",
        { class: `num ${diff > 0 ? "worse" : diff < 0 ? "better" : ""}` },
        diff == null ? "–" : `${diff > 0 ? "+" : ""}${num(diff, digits)}`,
      ),
    );
  };
  const text = (label, get) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, label),
      h("td", {}, base ? get(base) : "no route"),
      h("td", {}, other ? get(other) : "no route"),
      h("td", {}, ""),
    );
  fill(el, 
    h(
      "p",
      { class: "result-title", id: "result-title" },
      `${names.base || "Base network"} against ${names.other || "base network"}`,
    ),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Comparison" },
      h(
        "table",
        { class: "compare", id: "compare-table" },
        h("caption", {}, "Best route under each scenario (difference = other − base)"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, ""),
            h("th", { scope: "col" }, h("span", { class: "key key-base" }), names.base || "base"),
            h("th", { scope: "col" }, h("span", { class: "key key-other" }), names.other || "base"),
            h("th", { scope: "col" }, "difference"),
          ),
        ),
        h(
          "tbody",
          {},
          text("Corridor", (r) => r.corridor),
          metric("Days", (r) => r.totals.time_h / 24, 1),
          metric("Money (USD)", (r) => r.totals.cost_usd),
          metric("CO₂e (kg)", (r) => r.totals.co2_kg),
          metric("War risk (USD)", (r) => r.totals.risk_usd),
          metric("Generalized (USD)", (r) => r.totals.generalized_cost_usd),
          metric("Distance (km)", (r) => r.totals.distance_km),
        ),
      ),
    ),
    differencesList(data.differences),
  );
}

function differencesList(diff) {
  if (!diff || typeof diff !== "object") return null;
  const entries = Object.entries(diff).filter(
    ([, v]) => Array.isArray(v) && v.length > 0 && typeof v[0] !== "object",
  );
  if (entries.length === 0) return null;
  return h(
    "ul",
    { class: "differences" },
    entries.map(([k, v]) => h("li", {}, `${prettyKey(k)}: ${v.join(", ")}`)),
  );
}
