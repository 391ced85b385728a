// Result views: route lists, leg tables, reliability, flows and comparisons as accessible HTML.
import { h, fill, corridorName, days, modeName, num, pct } from "./dom.js";
import { chartCanvas, colourOf, paretoChart, timeDistributionChart } from "./charts.js";
import { routeStops, shortName } from "./map.js";

const OBJECTIVES = {
  generalized: "generalized cost",
  cost: "money",
  time: "time",
  co2: "CO₂",
  risk: "war risk",
};

/** Source id -> source (title, publisher, published, figure_as_published, url, ...). */
let SOURCES = new Map();

/** Give the views the network's sources, to cite them by title rather than by id. */
export function setSources(list) {
  SOURCES = new Map((list ?? []).map((s) => [s.source_id, s]));
}

/** One source as a citation: title, publisher, date, the figure as published, and a link. */
export function citation(id) {
  const s = SOURCES.get(id);
  if (!s) return h("li", { class: "citation" }, h("code", {}, id));
  const who = [s.publisher, s.published].filter(Boolean).join(", ");
  return h(
    "li",
    { class: "citation", "data-source": id },
    s.url
      ? h("a", { href: s.url, rel: "noopener noreferrer", target: "_blank" }, s.title ?? id)
      : h("strong", {}, s.title ?? id),
    who ? ` — ${who}` : "",
    s.kind === "estimate" ? h("span", { class: "badge" }, "estimate") : null,
    s.figure_as_published ? h("q", { class: "quote" }, s.figure_as_published) : null,
    s.kind !== "published" && s.method ? h("div", { class: "muted" }, s.method) : null,
  );
}

/** Country code -> name ("ZZ" is the network's code for international waters). */
let COUNTRIES = new Map();

/** Give the views the network's countries, to name them rather than show their codes. */
export function setCountries(list) {
  COUNTRIES = new Map(
    (list ?? []).map((c) => [c.country, c.country === "ZZ" ? "international waters" : c.name]),
  );
}

/** A list of country codes in words: ["KZ", "ZZ", "AZ"] -> "Kazakhstan → international waters → Azerbaijan". */
export function countryNames(codes) {
  return (codes ?? []).map((c) => COUNTRIES.get(c) ?? c).join(" → ");
}

/** A short name of a source for tables: its title, or its id when it is not known. */
function sourceTitle(id) {
  if (!id) return "no source";
  return SOURCES.get(id)?.title ?? id;
}

function unitLabel(unit) {
  return unit === "teu" ? "TEU" : unit === "t" ? "tonne" : unit ?? "unit";
}

/** What a result answers: the question's scenario, year, cargo and avoided countries. */
export function resultContext(kind, request, state) {
  if (!request) return null;
  const what = {
    route: "Routes",
    pareto: "Trade-offs",
    simulate: "Reliability",
    compare: "Comparison",
    assign: "Assigned flows",
    outlook: "Trade outlook",
    "target-assignment": "The target's freight on the networks",
    appraise: "Appraisal",
    validation: "Validation",
  }[kind] ?? kind;
  const cargo =
    request.commodity != null
      ? document.querySelector(`#commodity option[value="${CSS.escape(request.commodity)}"]`)
          ?.textContent ?? request.commodity
      : null;
  const scenario =
    kind === "compare"
      ? `${request.base || "base network"} against ${request.other || "base network"}`
      : request.scenario
        ? `scenario ${request.scenario}`
        : "base network";
  const parts = [
    what,
    scenario,
    request.year != null ? `year ${request.year}` : "network as of today",
    cargo,
    request.avoid?.length ? `avoiding ${request.avoid.join(", ")}` : null,
    request.demand ? `demand set ${request.demand}` : null,
  ].filter(Boolean);
  const prov = state?.provenance;
  const net = prov?.network
    ? `network ${prov.network}${prov.network_version ? ` version ${prov.network_version}` : ""}` +
      (prov.corridor_version ? `, corridor ${prov.corridor_version}` : "") +
      (prov.solver ? `, ${prov.solver} ${prov.status ?? ""}`.trimEnd() : "")
    : state?.networkInfo;
  return [
    h("span", { class: "context-line", id: "result-context-line" }, parts.join(" · ")),
    net ? h("span", { class: "muted", id: "result-data" }, ` — data: ${net}`) : null,
  ];
}

/** Plain words for the figures a route result uses. */
export function glossary(route) {
  const vot = route?.provenance?.value_of_time_pct_per_day;
  const value = route?.provenance?.value_usd_per_unit;
  return h(
    "details",
    { class: "glossary" },
    h("summary", {}, "What these figures mean"),
    h(
      "dl",
      {},
      h("dt", {}, "Generalized cost"),
      h(
        "dd",
        {},
        "Money cost plus the value of the time in transit plus the expected war-risk premium: " +
          "what a shipper weighs when choosing a route.",
      ),
      h("dt", {}, "Value of time"),
      h(
        "dd",
        {},
        "What a day in transit costs the cargo owner (capital tied up, stock-outs)" +
          (vot != null && value != null
            ? `: ${num(vot, 2)}% of the cargo's value of ${num(value)} USD per day.`
            : "."),
      ),
      h("dt", {}, "Shadow price"),
      h(
        "dd",
        {},
        "How much the total cost would fall per extra unit of a full capacity a year: what " +
          "expanding that bottleneck is worth.",
      ),
      h("dt", {}, "P50 / P90"),
      h("dd", {}, "Half / nine in ten of the simulated shipments arrive within this time."),
    ),
  );
}

/** Count of border crossings and gauge changes, and the flags a shipper must know. */
function routeFlags(route) {
  const stops = routeStops(route);
  const borders = stops.filter((s) => s.kind === "border").length;
  const gauges = stops.filter((s) => s.kind === "gauge").length;
  const flags = [
    h("span", { class: "badge" }, `${borders} border${borders === 1 ? "" : "s"}`),
    gauges > 0 ? h("span", { class: "badge" }, `${gauges} gauge change${gauges === 1 ? "" : "s"}`) : null,
  ];
  if (route.sanctioned_countries?.length) {
    flags.push(
      h("span", { class: "badge badge-warn" }, `sanctions: ${route.sanctioned_countries.join(", ")}`),
    );
  }
  if ((route.totals?.risk_usd ?? 0) > 0) {
    flags.push(h("span", { class: "badge badge-warn" }, `war risk ${num(route.totals.risk_usd)} USD`));
  }
  return h("span", { class: "route-flags" }, flags);
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
export function routeList(routes, selected, onSelect, sortBy = "found", quote = null) {
  const priced = quotedRoutes(quote);
  const key = SORT_KEYS[sortBy];
  const order = routes.map((_, i) => i);
  if (key) order.sort((a, b) => key(routes[a]) - key(routes[b]) || a - b);
  return h(
    "ol",
    { class: "route-list", id: "route-list", "aria-label": "Routes found" },
    order.map((i) => [routes[i], i]).map(([route, i]) =>
      h(
        "li",
        { "data-index": i },
        h(
          "button",
          {
            type: "button",
            class: "route-choice",
            "aria-pressed": i === selected ? "true" : "false",
            "data-index": i,
            onclick: () => onSelect(i),
          },
          h(
            "span",
            { class: "route-num", style: `border-color:${colourOf(i)}`, "data-colour": colourOf(i) },
            String(i + 1),
          ),
          h(
            "span",
            { class: "route-text" },
            h(
              "span",
              { class: "route-corridor", "data-corridor": route.corridor },
              corridorName(route.corridor),
            ),
            h("span", { class: "route-figures" }, routeHeadline(route)),
            routeFlags(route),
          ),
        ),
        routeSpread(route, priced.get(routeKey(route)), quote, i),
      ),
    ),
  );
}

/** A route's identity across answers: its node sequence. */
function routeKey(route) {
  return (route.nodes ?? []).join(">");
}

/** The quote's routes by node sequence. */
function quotedRoutes(quote) {
  return new Map((quote?.routes ?? []).map((r) => [routeKey(r), r]));
}

/** "40 FEU (80 TEU)" for the quote's shipment. */
export function shipmentName(shipment) {
  if (!shipment) return "";
  const unit = { teu: "TEU", feu: "FEU", t: "t" }[shipment.unit] ?? shipment.unit;
  const own = { teu: "TEU", t: "t" }[shipment.commodity_unit] ?? shipment.commodity_unit;
  const digits = shipment.quantity % 1 ? 2 : 0;
  const same = shipment.unit === shipment.commodity_unit;
  return `${num(shipment.quantity, digits)} ${unit}` +
    (same ? "" : ` (${num(shipment.units_in_commodity_unit, 1)} ${own})`);
}

/**
 * Under a route card: its spread (P50/P90 days and generalized cost per unit) and, for a
 * priced shipment, the shipment's totals. Without simulated figures it says so: no spread
 * data is not a spread of zero.
 */
function routeSpread(route, quoted, quote, i) {
  const unit = unitLabel(route.unit);
  if (!quoted) {
    return h(
      "p",
      { class: "route-spread muted", id: `route-spread-${i}`, "data-spread": "none" },
      quote
        ? "No spread data: this route is not among the quote's candidates, so it has no " +
          "shipment totals."
        : "P50/P90: no spread data (give a quantity to price the shipment, or simulate it " +
          "on the Reliability tab).",
    );
  }
  const p = quoted.per_unit;
  const t = quoted.shipment_totals;
  return h(
    "div",
    { class: "route-spread", id: `route-spread-${i}`, "data-spread": "quote" },
    h(
      "p",
      { class: "spread-unit" },
      `P50 ${num(p.p50_time_days, 1)} d · P90 ${num(p.p90_time_days, 1)} d; generalized ` +
        `P50 ${num(p.p50_generalized_cost_usd)} / P90 ${num(p.p90_generalized_cost_usd)} USD per ${unit}`,
    ),
    h(
      "dl",
      { class: "shipment-totals", "aria-label": `Shipment totals of route ${i + 1}` },
      h("dt", {}, `Shipment, ${shipmentName(quote.shipment)}`),
      h(
        "dd",
        { "data-total": "cost_usd" },
        `${num(t.cost_usd)} USD + ${num(t.expected_insurance_usd)} USD insurance`,
      ),
      h("dd", { "data-total": "co2_t" }, `${num(t.co2_t, 1)} t CO₂e`),
      h(
        "dd",
        { "data-total": "days" },
        `P50 ${num(t.p50_time_days, 1)} d · P90 ${num(t.p90_time_days, 1)} d`,
      ),
      h(
        "dd",
        { "data-total": "generalized_cost_usd" },
        `generalized ${num(t.generalized_cost_usd)} USD (P50 ${num(t.p50_generalized_cost_usd)}` +
          ` / P90 ${num(t.p90_generalized_cost_usd)})`,
      ),
    ),
  );
}

/** Does a route pass the filters of the route list? */
export function passesFilters(route, filters) {
  const f = filters ?? {};
  if (f.corridor && route.corridor !== f.corridor) return false;
  if (f.maxDays != null && route.totals.time_h / 24 > f.maxDays) return false;
  if (f.noSanctions && route.sanctioned_countries?.length) return false;
  if (f.noWarRisk && (route.totals?.risk_usd ?? 0) > 0) return false;
  if (f.noGauge && routeStops(route).some((s) => s.kind === "gauge")) return false;
  return true;
}

/**
 * Filters of the route cards: corridor, most days and what to avoid. They hide cards (each
 * keeps its number and colour) and say how many are shown; `filters` keeps the choice while
 * the list is redrawn.
 */
function filterControl(routes, filters) {
  const summary = h("span", { id: "route-filter-summary" });
  const none = h("p", { class: "muted", id: "route-filter-none", hidden: true },
    "No route passes these filters.");
  const apply = () => {
    const list = document.getElementById("route-list");
    let shown = 0;
    for (const li of list?.querySelectorAll(":scope > li") ?? []) {
      const pass = passesFilters(routes[Number(li.dataset.index)], filters);
      li.hidden = !pass;
      shown += pass ? 1 : 0;
    }
    summary.textContent = shown === routes.length ? `all ${routes.length} routes shown` : `${shown} of ${routes.length} routes shown`;
    none.hidden = shown > 0;
  };
  const corridors = [...new Set(routes.map((r) => r.corridor))];
  const check = (key, label) =>
    h(
      "label",
      { class: "check" },
      h("input", {
        type: "checkbox",
        id: `filter-${key}`,
        checked: filters[key] ? true : null,
        onchange: (e) => {
          filters[key] = e.target.checked;
          apply();
        },
      }),
      ` ${label}`,
    );
  const box = h(
    "details",
    { class: "route-filter", id: "route-filter", open: Object.values(filters).some((v) => v != null && v !== false && v !== "") ? true : null },
    h("summary", {}, "Filter: ", summary),
    h(
      "div",
      { class: "field-row" },
      h(
        "div",
        { class: "field" },
        h("label", { for: "filter-corridor" }, "Corridor"),
        h(
          "select",
          {
            id: "filter-corridor",
            onchange: (e) => {
              filters.corridor = e.target.value || null;
              apply();
            },
          },
          h("option", { value: "" }, "any"),
          corridors.map((c) =>
            h("option", { value: c, selected: filters.corridor === c ? true : null }, corridorName(c)),
          ),
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: "filter-days" }, "At most days"),
        h("input", {
          id: "filter-days",
          type: "number",
          min: "0",
          step: "0.5",
          value: filters.maxDays ?? null,
          oninput: (e) => {
            const v = Number.parseFloat(e.target.value);
            filters.maxDays = Number.isFinite(v) ? v : null;
            apply();
          },
        }),
      ),
    ),
    h(
      "fieldset",
      { class: "filter-flags" },
      h("legend", { class: "visually-hidden" }, "Leave out routes with"),
      check("noSanctions", "no sanctioned country"),
      check("noWarRisk", "no war risk"),
      check("noGauge", "no gauge change"),
    ),
  );
  queueMicrotask(apply);
  return [box, none];
}

/** Orders of the route list (each route keeps its number and colour). */
const SORT_KEYS = {
  found: null,
  time: (r) => r.totals.time_h,
  cost: (r) => r.totals.cost_usd,
  co2: (r) => r.totals.co2_kg,
  generalized: (r) => r.totals.generalized_cost_usd,
};

function sortControl(sortBy, onSort) {
  return h(
    "div",
    { class: "sort-row" },
    h("label", { for: "route-sort" }, "Order "),
    h(
      "select",
      { id: "route-sort", onchange: (e) => onSort(e.target.value) },
      [
        ["found", "as found"],
        ["time", "fastest first"],
        ["cost", "cheapest first"],
        ["co2", "least CO₂ first"],
        ["generalized", "lowest generalized cost first"],
      ].map(([v, label]) => h("option", { value: v, selected: v === sortBy }, label)),
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
    ["Countries", countryNames(route.countries)],
  ];
  if (route.sanctioned_countries?.length) {
    rows.push(["Sanctioned countries", countryNames(route.sanctioned_countries).replace(/ → /g, ", ")]);
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
      h(
        "td",
        {},
        leg.sources?.length
          ? h(
              "button",
              {
                type: "button",
                class: "link-button leg-sources",
                "aria-controls": "leg-source-panel",
                onclick: () => showLegSources(leg, i),
              },
              `${leg.sources.length}`,
            )
          : "–",
      ),
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
        `Legs of route ${index + 1} (${corridorName(route.corridor)}), per ${unitLabel(route.unit)}`,
      ),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["#", "Leg", "Mode", "km", "h", "USD", "kg CO₂e", "Sources"].map((c) =>
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
          h("td", {}, ""),
        ),
      ),
    ),
  );
}

/** Show the sources of one leg under the leg table. */
function showLegSources(leg, i) {
  const panel = document.getElementById("leg-source-panel");
  if (!panel) return;
  fill(
    panel,
    h(
      "h4",
      { id: "leg-source-title", tabindex: "-1" },
      `Sources of leg ${i + 1}: ${leg.from_name}${leg.kind === "transfer" ? "" : ` → ${leg.to_name}`}`,
    ),
    h("ul", { class: "citations" }, leg.sources.map(citation)),
  );
  panel.hidden = false;
  document.getElementById("leg-source-title")?.focus();
}

/**
 * Why the best route wins: its generalized cost against the next best, part by part.
 * Only for a ranked list (not a Pareto front, where no route beats another on every count).
 */
export function whyItWins(routes, index) {
  if (index !== 0 || routes.length < 2) return null;
  const [a, b] = [routes[0].totals, routes[1].totals];
  const parts = [
    ["money", a.cost_usd, b.cost_usd],
    ["value of time", a.time_value_usd, b.time_value_usd],
    ["war risk", a.risk_usd, b.risk_usd],
    ["carbon", a.carbon_cost_usd ?? 0, b.carbon_cost_usd ?? 0],
    ["sanctions penalty", a.sanctions_penalty_usd ?? 0, b.sanctions_penalty_usd ?? 0],
  ].filter(([, x, y]) => Math.abs(x - y) >= 0.5);
  return h(
    "div",
    { class: "why", id: "why-it-wins" },
    h(
      "p",
      {},
      `Why route 1 wins: ${num(b.generalized_cost_usd - a.generalized_cost_usd)} USD less ` +
        `generalized cost than route 2 (${corridorName(routes[1].corridor)}):`,
    ),
    h(
      "ul",
      {},
      parts.map(([label, x, y]) =>
        h("li", {}, `${label}: ${y - x >= 0 ? "" : "+"}${num(Math.abs(y - x))} USD ${y - x >= 0 ? "less" : "more"}`),
      ),
    ),
  );
}

/** Details of the selected route: totals, legs and the sources they cite. */
export function routeDetails(route, index, routes = [], { ranked = true } = {}) {
  return h(
    "section",
    { class: "route-details", "aria-label": `Route ${index + 1} details` },
    h("h3", {}, `Route ${index + 1}: ${corridorName(route.corridor)}`),
    ranked ? whyItWins(routes, index) : null,
    totalsList(route),
    legTable(route, index),
    h("div", { id: "leg-source-panel", class: "source-panel", hidden: true, "aria-live": "polite" }),
    route.sources?.length
      ? h(
          "details",
          { class: "sources" },
          h("summary", {}, `Sources cited (${route.sources.length})`),
          h("ul", { class: "citations" }, route.sources.map(citation)),
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
export function renderRoutes(
  el,
  routes,
  { selected, onSelect, title, pareto, sortBy = "found", onSort, quote = null, filters = null },
) {
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
  children.push(
    quote ? quoteNote(quote) : null,
    routes.length > 1 && filters ? filterControl(routes, filters) : null,
    routes.length > 1 && onSort ? sortControl(sortBy, onSort) : null,
    routeList(routes, selected, onSelect, sortBy, quote),
    routeDetails(routes[selected], selected, routes, { ranked: !pareto }),
    glossary(routes[selected]),
  );
  fill(el, ...children);
}

/** What the shipment totals on the cards are for, and what they assume. */
function quoteNote(quote) {
  const s = quote.shipment ?? {};
  return h(
    "details",
    { class: "quote-note", id: "quote-note" },
    h(
      "summary",
      {},
      `Shipment of ${shipmentName(s)} worth ${num(s.cargo_value_usd)} USD` +
        (s.value_given ? "" : " (the cargo's typical value)"),
    ),
    h("p", {}, quote.assumptions ?? ""),
  );
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
      h("td", {}, corridorName(r.corridor)),
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
    .map((r, i) => ({ label: `${i + 1} ${corridorName(r.corridor)}`, histogram: r.histogram }));
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

function tableOf(id, caption, head, rows, label) {
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": label ?? caption },
    h(
      "table",
      { class: "data", id },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows),
    ),
  );
}

function unitOf(unit) {
  return unit === "teu" ? "TEU" : "t";
}

/**
 * Assignment results: where it jams and what that is worth (binding capacities with their
 * shadow prices), the flows of every origin and destination with the routes they take and
 * the demand left unmet, and every capacity the flows use.
 */
export function renderFlows(el, result) {
  const totals = result.totals ?? {};
  const bottlenecks = result.bottlenecks ?? [];
  const capacities = result.capacities ?? [];
  const shares = result.route_shares ?? [];
  const unmet = result.unmet ?? [];
  const bottleneckRows = bottlenecks.map((b, i) =>
    h(
      "tr",
      {},
      h("td", { class: "num" }, String(i + 1)),
      h("td", {}, b.name ?? b.item_id),
      h("td", {}, b.kind ?? ""),
      h("td", { class: "num" }, `${num(b.capacity_per_year)} ${unitOf(b.unit)}`),
      h("td", { class: "num" }, pct(b.utilisation)),
      h("td", { class: "num" }, num(b.shadow_price_usd_per_unit)),
      h("td", {}, sourceTitle(b.source)),
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
        h("td", {}, `${shortName(r.origin_name ?? r.origin)} → ${shortName(r.destination_name ?? r.destination)}`),
        h("td", {}, r.commodity),
        h("td", {}, corridorName(r.corridor)),
        h("td", { class: "num" }, pct(r.share)),
      ),
    );
  const odRows = unmet.map((u) => {
    const routes = shares.filter(
      (r) => r.origin === u.origin && r.destination === u.destination && r.commodity === u.commodity,
    );
    return h(
      "tr",
      { class: u.unmet_per_year > 0 ? "unmet" : null },
      h("td", {}, `${shortName(u.origin_name ?? u.origin)} → ${shortName(u.destination_name ?? u.destination)}`),
      h("td", {}, u.commodity),
      h("td", { class: "num" }, num(u.demand_per_year)),
      h("td", { class: "num" }, num(u.served_per_year)),
      h("td", { class: "num" }, num(u.unmet_per_year)),
      h(
        "td",
        {},
        routes.length === 0
          ? "–"
          : routes.map((r, i) => [i > 0 ? "; " : "", `${pct(r.share)} ${corridorName(r.corridor)}`]),
      ),
    );
  });
  const capacityRows = capacities
    .slice()
    .sort((a, b) => (b.utilisation ?? 0) - (a.utilisation ?? 0))
    .map((c) =>
      h(
        "tr",
        {},
        h("td", {}, c.name ?? c.item_id),
        h("td", { class: "num" }, `${num(c.used_per_year)} / ${num(c.capacity_per_year)} ${unitOf(c.unit)}`),
        h("td", { class: "num" }, pct(c.utilisation)),
        h("td", {}, sourceTitle(c.source)),
      ),
    );
  const unmetTotal = unmet.reduce((a, u) => a + (u.unmet_per_year ?? 0), 0);
  fill(
    el,
    h("p", { class: "result-title", id: "result-title" }, "Assigned flows"),
    h("p", { class: "muted", id: "assign-method-used" }, method),
    h(
      "p",
      { class: bottlenecks.length ? "headline warn" : "headline", id: "flows-headline" },
      bottlenecks.length
        ? `Binding: ${bottlenecks
            .map((b) => `${shortName(b.name)} (${num(b.shadow_price_usd_per_unit)} USD per extra ${unitOf(b.unit)} a year)`)
            .join("; ")}.`
        : "No capacity in the network's figures is binding. Links without a capacity " +
            "figure are not checked.",
      unmetTotal > 0 ? ` Unmet demand: ${num(unmetTotal)} units a year.` : "",
    ),
    h(
      "dl",
      { class: "totals" },
      Object.entries(totals)
        .filter(([, v]) => typeof v !== "object" || v === null)
        .flatMap(([k, v]) => [h("dt", {}, prettyKey(k)), h("dd", {}, prettyValue(v))]),
    ),
    tableOf(
      "bottleneck-table",
      "Bottlenecks: capacities that limit the flows",
      ["#", "Where", "Kind", "Capacity/yr", "Used", "Shadow price USD/unit", "Source"],
      bottleneckRows,
      "Bottlenecks",
    ),
    bottlenecks.length === 0
      ? h("p", { class: "muted" }, "No capacity is binding: every flow fits as assigned.")
      : null,
    tableOf(
      "od-table",
      "Flows per origin and destination (units a year) and the routes they take",
      ["From → to", "Cargo", "Demand", "Served", "Unmet", "Routes (share)"],
      odRows,
    ),
    tableOf(
      "capacity-table",
      "Capacities the flows use",
      ["Where", "Used / capacity a year", "Used", "Source"],
      capacityRows,
    ),
    h(
      "p",
      { class: "muted" },
      `${(result.link_flows?.features ?? []).filter((f) => f.properties.utilisation == null).length} ` +
        `of ${(result.link_flows?.features ?? []).length} loaded links have no capacity figure ` +
        "in the network: they are drawn grey and dashed, which means unknown, not free.",
    ),
    glossary(null),
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
            h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Measure")),
            h("th", { scope: "col" }, h("span", { class: "key key-base" }), names.base || "base"),
            h("th", { scope: "col" }, h("span", { class: "key key-other" }), names.other || "base"),
            h("th", { scope: "col" }, "difference"),
          ),
        ),
        h(
          "tbody",
          {},
          text("Corridor", (r) => corridorName(r.corridor)),
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
