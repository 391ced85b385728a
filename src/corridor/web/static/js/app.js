// The corridor web page: wires the forms, the API, the map and the result views.
import { ApiError, api, getOptional, waitForJob } from "./api.js";
import { h, fill, num } from "./dom.js";
import { CorridorMap, renderLegend } from "./map.js";
import { mapPng } from "./snapshot.js";
import { renderAppraisal, renderOutlook, renderTargetLoad, renderValidation } from "./economics.js";
import {
  compareRoute,
  renderCompare,
  renderFlows,
  renderReliability,
  renderRoutes,
  resultContext,
  setCountries,
  setSources,
} from "./views.js";
import {
  URL_FIELDS,
  apiCall,
  exportBar,
  readUrlState,
  setNetworkName,
  setSavedScenarios,
  writeUrlState,
} from "./share.js";

const $ = (id) => document.getElementById(id);

const state = {
  map: null,
  /** The last query run, re-run when the scenario changes: () => Promise<void>. */
  rerun: null,
  routes: [],
  selected: 0,
  pareto: null,
  controller: null,
  scenarios: [],
  /** Node id -> display name, to show suggestions by name. */
  placeNames: new Map(),
};

// ---------------------------------------------------------------- status and errors

function setStatus(text, { busy = false, error = false } = {}) {
  const el = $("status");
  el.classList.toggle("status-busy", busy);
  el.classList.toggle("status-error", error);
  fill(el, busy ? h("span", { class: "spinner", "aria-hidden": "true" }) : null, text);
  $("results").setAttribute("aria-busy", busy ? "true" : "false");
}

function clearFieldErrors(root = document) {
  for (const el of root.querySelectorAll(".field-error")) el.replaceChildren();
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  $("global-error").hidden = true;
}

/** Input ids per API field name, for fields whose error box is not `<field>-error`. */
const FIELD_INPUTS = {
  n: "sim-n",
  seed: "sim-seed",
  deadline_h: "sim-deadline",
  month: "sim-month",
  base: "compare-base",
  other: "compare-other",
  name: "scenario-name",
  yaml: "scenario-yaml",
  cargo_value_usd: "cargo-value",
  text: "scenario-yaml",
  scenario: "scenario-picker",
  flows: "flows",
  Authorization: "api-token",
  target_usd: "outlook-target",
  horizon_year: "outlook-horizon",
  mix: "target-mix",
  steps: "target-steps",
  benefit_usd: "appraise-benefit",
  capex_usd: "appraise-capex",
  opex_usd_per_year: "appraise-opex",
  years: "appraise-years",
  rate: "appraise-rate",
};
const ERROR_BOXES = {
  name: "scenario-name-error",
  yaml: "scenario-yaml-error",
  text: "scenario-yaml-error",
};

/**
 * Show an API error: each problem next to its field (with "did you mean" buttons), the rest
 * in the page's error banner and the status line.
 */
function showError(err, { context = "" } = {}) {
  if (err?.name === "AbortError") return;
  if (!(err instanceof ApiError)) {
    console.error(err);
    setStatus(`Something went wrong${context ? ` ${context}` : ""}: ${err?.message ?? err}`, {
      error: true,
    });
    return;
  }
  const unplaced = [];
  let placed = 0;
  const onFlows = !$("pane-flows").hidden;
  for (const problem of err.problems) {
    // The Flows tab has its own year field; its errors go there, never to a hidden tab.
    const field = onFlows && problem.field === "year" ? "assign-year" : problem.field;
    const boxId = field ? ERROR_BOXES[field] ?? `${field}-error` : null;
    const box = boxId ? $(boxId) : null;
    if (!box || box.closest("[hidden]")) {
      unplaced.push(problem.field ? `${problem.field}: ${problem.message}` : problem.message);
      continue;
    }
    placed += 1;
    const input = $(FIELD_INPUTS[field] ?? field);
    input?.setAttribute("aria-invalid", "true");
    const hasButtons = problem.suggestions.length > 0 && input;
    // The buttons below repeat the message's own "did you mean", so drop it from the text.
    box.append(
      h(
        "span",
        { class: "problem" },
        hasButtons ? problem.message.replace(/\s*Did you mean.*$/is, "") : problem.message,
      ),
    );
    if (hasButtons) {
      box.append(
        h(
          "span",
          { class: "suggestions" },
          " Did you mean ",
          problem.suggestions.slice(0, 5).map((id, i) => [
            i > 0 ? ", " : "",
            h(
              "button",
              {
                type: "button",
                class: "link-button suggestion",
                onclick: () => {
                  input.value = state.placeNames.get(id) ?? id;
                  input.removeAttribute("aria-invalid");
                  box.replaceChildren();
                  input.focus();
                  setStatus(`${input.labels?.[0]?.textContent ?? "Field"}: ${input.value}.`);
                },
              },
              state.placeNames.get(id) ?? id,
            ),
          ]),
          "?",
        ),
      );
    }
    if (placed === 1) {
      if (input?.closest("details") && !input.closest("details").open) {
        input.closest("details").open = true;
      }
      input?.focus();
    }
  }
  if (unplaced.length > 0 || err.problems.length === 0) {
    const banner = $("global-error");
    fill(banner, unplaced.length > 0 ? unplaced.join(" · ") : err.message);
    banner.hidden = false;
  }
  setStatus(
    placed > 0
      ? `Please check the highlighted field${placed > 1 ? "s" : ""}.`
      : `Failed${context ? ` ${context}` : ""}.`,
    { error: true },
  );
}

/**
 * Run a request with a loading state: the button is disabled, the status says what is
 * happening, and an earlier request still running is cancelled.
 */
async function withLoading(button, message, task) {
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  clearFieldErrors();
  setStatus(message, { busy: true });
  const buttons = button ? [button] : [];
  for (const b of buttons) {
    b.disabled = true;
    b.setAttribute("aria-busy", "true");
  }
  try {
    return await task(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) return undefined;
    clearResults();
    showError(err);
    return undefined;
  } finally {
    for (const b of buttons) {
      b.disabled = false;
      b.removeAttribute("aria-busy");
    }
    if (state.controller === controller) state.controller = null;
  }
}

/** Remove the answer of an earlier query (list, tables and map), so none looks current. */
function clearResults() {
  $("result-body").replaceChildren();
  $("result-context").replaceChildren();
  $("result-tools").replaceChildren();
  state.routes = [];
  state.map?.clearResults();
  if (state.map) renderLegend($("legend"));
  document.body.dataset.results = "empty";
}

/**
 * Open the results column before a result is drawn, so the map fits the result to the width
 * it will have (the column is narrow while empty).
 */
function openResults() {
  document.body.dataset.results = "shown";
  state.map?.map.invalidateSize({ pan: false });
}

/**
 * Show a result: what question it answers (scenario, year, cargo, avoided countries), the
 * export buttons, the legend of its map, and move the keyboard focus to its title.
 */
function presentResult({
  request,
  kind,
  exports = [],
  legend = null,
  focus = true,
  provenance = null,
  also = [],
}) {
  state.provenance = provenance;
  // Marked in the next frame, after the map has named its places for the new view.
  requestAnimationFrame(() => performance.mark(`drawn-${kind}`));
  fill($("result-context"), resultContext(kind, request, state));
  const picture = state.map
    ? [
        {
          label: "Map (PNG)",
          file: () => `map-${kind}.png`,
          type: "image/png",
          data: () => mapPng(document.querySelector(".map-wrap")),
        },
      ]
    : [];
  fill($("result-tools"), exportBar([...exports, ...picture]), apiCall([[kind, request], ...also]));
  if (legend) renderLegend($("legend"), legend);
  document.body.dataset.results = "shown";
  writeUrlState(currentState(kind));
  // A new answer starts at its top, not at the scroll position of the last one.
  $("results").scrollTop = 0;
  if (focus) {
    const title = $("result-title");
    if (title) {
      title.tabIndex = -1;
      title.focus({ preventScroll: true });
    }
  }
}

// ---------------------------------------------------------------- the requests

function scenario() {
  return $("scenario-picker").value || null;
}

/**
 * A number field's value: null when empty, else the number typed (2024.5 stays 2024.5 so
 * the API names the field instead of the page quietly changing it).
 */
function intOrNull(value) {
  const text = String(value ?? "").trim();
  if (text === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

function listOf(text) {
  return String(text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function shipment() {
  return {
    origin: $("origin").value.trim(),
    destination: $("destination").value.trim(),
    commodity: $("commodity").value,
  };
}

/** Empty origin/destination are caught here, before asking the server. */
function checkShipment(request) {
  const missing = [];
  for (const field of ["origin", "destination"]) {
    if (!request[field]) missing.push({ field, message: "Type or pick a place.", suggestions: [] });
  }
  if (missing.length > 0) {
    clearFieldErrors();
    showError(new ApiError(422, "missing places", missing));
    return false;
  }
  return true;
}

function avoided() {
  return [...document.querySelectorAll("#avoid-list input:checked")].map((i) => i.value);
}

function routeRequest() {
  return {
    ...shipment(),
    objective: $("objective").value,
    avoid: avoided(),
    via: listOf($("via").value),
    year: intOrNull($("year").value),
    k: intOrNull($("k").value) ?? 1,
    diverse: $("diverse").checked,
    scenario: scenario(),
  };
}

function selectRoute(i) {
  state.selected = i;
  state.map?.selectRoute(i, { fit: false });
  drawRouteList();
  const button = document.querySelector(`.route-choice[data-index="${i}"]`);
  button?.focus({ preventScroll: true });
}

function drawRouteList() {
  renderRoutes($("result-body"), state.routes, {
    selected: state.selected,
    onSelect: selectRoute,
    title: state.title,
    pareto: state.pareto,
    quote: state.quote,
    filters: state.filters,
    sortBy: state.sortBy ?? "found",
    onSort: (value) => {
      state.sortBy = value;
      drawRouteList();
      $("route-sort")?.focus();
    },
  });
}

function showRoutes(
  routes,
  { title = null, pareto = null, request = null, kind = "route", quote = null, quoteRequest = null } = {},
) {
  state.routes = routes;
  state.selected = 0;
  state.title = title;
  state.pareto = pareto;
  state.quote = quote;
  state.filters = {};
  openResults();
  state.map?.showRoutes(routes, selectRoute);
  state.sortBy = "found";
  drawRouteList();
  presentResult({
    request,
    kind,
    exports: routeExports(),
    legend: { view: "routes", routes },
    provenance: routes[0]?.provenance ?? null,
    also: quoteRequest ? [["quote", quoteRequest]] : [],
  });
}

/** Export buttons of a route result: the selected route's legs and geometry. */
function routeExports() {
  const pick = () => state.routes[state.selected] ?? state.routes[0];
  return [
    {
      label: "Legs (CSV)",
      file: () => `route-${state.selected + 1}-legs.csv`,
      type: "text/csv",
      data: () => legsCsv(pick()),
    },
    {
      label: "Route (GeoJSON)",
      file: () => `route-${state.selected + 1}.geojson`,
      type: "application/geo+json",
      data: () => JSON.stringify(pick().geojson),
    },
  ];
}

function csv(rows) {
  const cell = (v) => {
    const t = v == null ? "" : String(v);
    return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return rows.map((r) => r.map(cell).join(",")).join("\n") + "\n";
}

function legsCsv(route) {
  const head = ["leg", "kind", "from", "to", "mode", "distance_km", "time_h", "cost_usd",
    "co2_kg", "risk_usd", "countries", "sources"];
  return csv([
    head,
    ...route.legs.map((l, i) => [
      i + 1, l.kind, l.from_name, l.to_name, l.mode, l.distance_km, l.time_h, l.cost_usd,
      l.co2_kg, l.risk_usd, (l.countries ?? []).join(" "), (l.sources ?? []).join(" "),
    ]),
  ]);
}

/**
 * The shipment to price, read from the quote fields: `{quote, problems}`. `quote` is null
 * when no quantity is given (the routes are then shown per unit only).
 */
function readQuote() {
  const problems = [];
  const quantityBox = $("quantity");
  const valueBox = $("cargo-value");
  const quantityText = quantityBox.value.trim();
  const valueText = valueBox.value.trim();
  if (quantityBox.validity.badInput) {
    problems.push({ field: "quantity", message: "Type a number, e.g. 40.", suggestions: [] });
  }
  if (valueBox.validity.badInput) {
    problems.push({ field: "cargo_value_usd", message: "Type a number of US dollars, e.g. 2500000.", suggestions: [] });
  }
  if (problems.length > 0) return { quote: null, problems };
  if (quantityText === "") {
    if (valueText !== "") {
      problems.push({
        field: "quantity",
        message: "Give the quantity the cargo value is for.",
        suggestions: [],
      });
    }
    return { quote: null, problems };
  }
  const quote = { quantity: Number(quantityText), unit: $("unit").value };
  if (valueText !== "") quote.cargo_value_usd = Number(valueText);
  return { quote, problems };
}

function updateQuoteSummary() {
  const { quote } = readQuote();
  $("quote-summary").textContent = quote
    ? `${num(quote.quantity, quote.quantity % 1 ? 2 : 0)} ${UNIT_NAMES[quote.unit]}` +
      (quote.cargo_value_usd ? ` worth ${num(quote.cargo_value_usd)} USD` : "")
    : "per unit only";
}

const UNIT_NAMES = { teu: "TEU", feu: "FEU", t: "t" };

/** The quote request for a route request and a shipment (same places, constraints and k). */
function quoteRequest(request, quote) {
  return {
    origin: request.origin,
    destination: request.destination,
    commodity: request.commodity,
    avoid: request.avoid,
    via: request.via,
    year: request.year,
    scenario: request.scenario,
    k: request.k,
    ...quote,
  };
}

async function findRoutes() {
  const request = routeRequest();
  if (!checkShipment(request)) return;
  const { quote, problems } = readQuote();
  if (problems.length > 0) {
    clearFieldErrors();
    $("quote-box").open = true;
    showError(new ApiError(422, "shipment", problems));
    return;
  }
  state.rerun = findRoutes;
  const message = quote ? "Finding routes and pricing the shipment…" : "Finding routes…";
  await withLoading($("find-routes"), message, async (signal) => {
    const quoteBody = quote ? quoteRequest(request, quote) : null;
    const [data, priced] = await Promise.all([
      api.post("route", request, { signal }),
      quoteBody ? api.post("quote", quoteBody, { signal }) : null,
    ]);
    const routes = data.routes ?? [];
    if (routes.length === 0) {
      clearResults();
      setStatus("No route found.", { error: true });
      return;
    }
    showRoutes(routes, { request, kind: "route", quote: priced, quoteRequest: quoteBody });
    setStatus(
      `Found ${routes.length} route${routes.length === 1 ? "" : "s"} from ` +
        `${routes[0].legs[0]?.from_name ?? request.origin} to ` +
        `${routes[0].legs.at(-1)?.to_name ?? request.destination}` +
        `${request.scenario ? ` under scenario ${request.scenario}` : ""}.`,
    );
  });
}

async function findPareto() {
  const { k: _k, diverse: _d, objective: _o, ...request } = routeRequest();
  if (!checkShipment(request)) return;
  state.rerun = findPareto;
  await withLoading($("find-pareto"), "Searching the trade-offs…", async (signal) => {
    const data = await api.post("pareto", request, { signal });
    const front = data.front ?? [];
    if (front.length === 0) {
      clearResults();
      setStatus("No route found.", { error: true });
      return;
    }
    showRoutes(front, {
      title: `${front.length} routes on the Pareto front (money, time, CO₂, risk); pick one`,
      pareto: { dominated: data.dominated ?? [] },
      request,
      kind: "pareto",
    });
    setStatus(`Found ${front.length} routes on the Pareto front.`);
  });
}

async function simulate() {
  const base = shipment();
  if (!checkShipment(base)) return;
  const deadlineDays = Number.parseFloat($("sim-deadline").value);
  const request = {
    ...base,
    n: intOrNull($("sim-n").value) ?? 10000,
    seed: intOrNull($("sim-seed").value) ?? 0,
    k: intOrNull($("k").value) ?? 3,
    deadline_h: Number.isFinite(deadlineDays) ? deadlineDays * 24 : null,
    month: intOrNull($("sim-month").value),
    avoid: avoided(),
    year: intOrNull($("year").value),
    scenario: scenario(),
  };
  state.rerun = simulate;
  await withLoading($("run-simulate"), `Simulating ${num(request.n)} shipments per route…`, async (signal) => {
    const data = await api.post("simulate", request, { signal });
    openResults();
    state.map?.clearResults();
    const routes = (Array.isArray(data) ? data : data.routes ?? data.reliability ?? []).filter(
      (r) => r?.geojson,
    );
    if (routes.length > 0) state.map?.showRoutes(routes, (i) => state.map?.selectRoute(i));
    renderReliability($("result-body"), data);
    presentResult({
      request,
      kind: "simulate",
      exports: [
        {
          label: "Percentiles (CSV)",
          file: () => "reliability.csv",
          type: "text/csv",
          data: () => reliabilityCsv(data),
        },
      ],
      legend: { view: "routes", routes },
    });
    setStatus("Simulation done.");
  });
}

/** A number field's value, or null when empty. */
function numberOrNull(id) {
  const text = $(id).value.trim();
  return text === "" ? null : Number(text);
}

/** Show a result that has no map of its own: the network stays drawn, without a result. */
function showPlainResult(render, data, request, kind) {
  openResults();
  state.map?.clearResults();
  if (state.map) renderLegend($("legend"));
  render($("result-body"), data);
  presentResult({ request, kind, provenance: data.provenance ?? null });
}

async function runOutlook(event) {
  event?.preventDefault();
  const target = numberOrNull("outlook-target");
  const request = {
    target_usd: target == null ? null : target * 1e9,
    horizon_year: intOrNull($("outlook-horizon").value),
    reporter: $("outlook-reporter").value,
  };
  state.rerun = null;
  await withLoading($("run-outlook"), "Projecting trade…", async (signal) => {
    const query = new URLSearchParams(
      Object.entries(request).filter(([, v]) => v != null).map(([k, v]) => [k, String(v)]),
    );
    const data = await api.get(`outlook?${query}`, { signal });
    showPlainResult(renderOutlook, data, request, "outlook");
    setStatus("Trade outlook done.");
  });
}

async function runTarget(event) {
  event?.preventDefault();
  const target = numberOrNull("outlook-target");
  const request = {
    target_usd: target == null ? null : target * 1e9,
    mix: $("target-mix").value,
    steps: intOrNull($("target-steps").value),
  };
  state.rerun = null;
  const progress = $("target-progress");
  await withLoading($("run-target"), "Loading the target's freight (a minute or more)…", async (signal) => {
    progress.hidden = false;
    progress.value = 0;
    try {
      const body = Object.fromEntries(Object.entries(request).filter(([, v]) => v != null));
      const accepted = await api.post("target-assignment", body, { signal });
      const job = await waitForJob(
        accepted.job_id,
        (j) => {
          progress.value = Number(j.progress ?? 0);
          setStatus(`Loading the target's freight: ${j.status}, ${Math.round(100 * progress.value)}%…`, {
            busy: true,
          });
        },
        { signal, intervalMs: 1000 },
      );
      showPlainResult(renderTargetLoad, job.result ?? {}, request, "target-assignment");
      setStatus("Target freight loaded.");
    } finally {
      progress.hidden = true;
    }
  });
}

async function runAppraise(event) {
  event?.preventDefault();
  const rate = numberOrNull("appraise-rate");
  const request = {
    benefit_usd: numberOrNull("appraise-benefit"),
    capex_usd: numberOrNull("appraise-capex") ?? 0,
    opex_usd_per_year: numberOrNull("appraise-opex") ?? 0,
    years: intOrNull($("appraise-years").value) ?? 25,
    rate: rate == null ? 0.08 : rate / 100,
  };
  state.rerun = null;
  await withLoading($("run-appraise"), "Appraising…", async (signal) => {
    const data = await api.post("appraise", request, { signal });
    showPlainResult(renderAppraisal, data, request, "appraise");
    setStatus("Appraisal done.");
  });
}

async function runValidation(event) {
  event?.preventDefault();
  const kind = $("validation-kind").value || null;
  const request = { kind };
  state.rerun = null;
  await withLoading($("run-validation"), "Checking the model against published figures…", async (signal) => {
    const data = await api.get(`validation${kind ? `?kind=${encodeURIComponent(kind)}` : ""}`, { signal });
    showPlainResult(renderValidation, data, request, "validation");
    setStatus("Validation done.");
  });
}

async function assignFlows(event) {
  event?.preventDefault();
  const request = {
    year: intOrNull($("assign-year").value),
    scenario: scenario(),
    method: $("assign-method").value || "logit",
  };
  if (!$("demand-field").hidden && $("demand").value) {
    request.demand = $("demand").value;
  } else {
    const parsed = parseFlows($("flows").value);
    if (parsed.problems.length > 0) {
      clearFieldErrors();
      showError(new ApiError(422, "flows", parsed.problems));
      return;
    }
    request.flows = parsed.flows;
  }
  state.rerun = assignFlows;
  const progress = $("assign-progress");
  await withLoading($("run-assign"), "Assigning flows (this can take a while)…", async (signal) => {
    progress.hidden = false;
    progress.value = 0;
    try {
      const accepted = await api.post("assign", request, { signal });
      const job = await waitForJob(
        accepted.job_id,
        (j) => {
          progress.value = Number(j.progress ?? 0);
          setStatus(`Assigning flows: ${j.status}, ${Math.round(100 * progress.value)}%…`, {
            busy: true,
          });
        },
        { signal },
      );
      showFlowResult(job.result ?? {}, request);
      setStatus("Flows assigned.");
    } finally {
      progress.hidden = true;
    }
  });
}

function showFlowResult(result, request) {
  openResults();
  const drawn = state.map?.showFlows(result) ?? { maxFlow: 0 };
  renderFlows($("result-body"), result);
  presentResult({
    request,
    kind: "assign",
    exports: flowExports(result),
    legend: { view: "flows", maxFlow: drawn.maxFlow },
    provenance: result.provenance ?? null,
  });
}

function flowExports(result) {
  return [
    {
      label: "Flows by OD (CSV)",
      file: () => "flows-by-od.csv",
      type: "text/csv",
      data: () =>
        csv([
          ["origin", "destination", "commodity", "demand_per_year", "served_per_year", "unmet_per_year"],
          ...(result.unmet ?? []).map((u) => [
            u.origin_name ?? u.origin, u.destination_name ?? u.destination, u.commodity,
            u.demand_per_year, u.served_per_year, u.unmet_per_year,
          ]),
        ]),
    },
    {
      label: "Capacities used (CSV)",
      file: () => "capacities.csv",
      type: "text/csv",
      data: () =>
        csv([
          ["kind", "id", "name", "unit", "capacity_per_year", "used_per_year", "utilisation",
            "shadow_price_usd_per_unit", "binding", "source"],
          ...(result.capacities ?? []).map((c) => [
            c.kind, c.item_id, c.name, c.unit, c.capacity_per_year, c.used_per_year,
            c.utilisation, c.shadow_price_usd_per_unit, c.binding, c.source,
          ]),
        ]),
    },
    {
      label: "Link flows (GeoJSON)",
      file: () => "link-flows.geojson",
      type: "application/geo+json",
      data: () => JSON.stringify(result.link_flows ?? { type: "FeatureCollection", features: [] }),
    },
  ];
}

function reliabilityCsv(data) {
  const items = Array.isArray(data) ? data : data.routes ?? [];
  return csv([
    ["route", "corridor", "plan_h", "p50_h", "p90_h", "p95_h", "p_on_time"],
    ...items.map((r, i) => [
      i + 1, r.corridor, r.deterministic_time_h, r.p50_time_h, r.p90_time_h, r.p95_time_h,
      r.p_on_time,
    ]),
  ]);
}

/**
 * Parse the flows text: one "origin, destination, cargo, amount" a line, # for notes.
 * Every bad line is reported at once.
 */
export function parseFlows(text) {
  const flows = [];
  const problems = [];
  String(text)
    .split("\n")
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith("#")) return;
      const cells = line.split(",").map((c) => c.trim());
      const amount = Number(cells[3]?.replace(/[_\s]/g, ""));
      if (cells.length !== 4 || !cells[0] || !cells[1] || !cells[2]) {
        problems.push(`line ${i + 1}: expected origin, destination, cargo, amount`);
      } else if (!Number.isFinite(amount) || amount < 0) {
        problems.push(`line ${i + 1}: amount ${JSON.stringify(cells[3])} is not a number ≥ 0`);
      } else {
        flows.push({ origin: cells[0], destination: cells[1], commodity: cells[2], flow_per_year: amount });
      }
    });
  if (flows.length === 0 && problems.length === 0) problems.push("give at least one flow");
  return {
    flows,
    problems: problems.map((message) => ({ field: "flows", message, suggestions: [] })),
  };
}

/**
 * The compare map's choice: both routes in their colours, or what changes link by link
 * (coloured by sign), with a count of the links that change.
 */
function compareMapControl(data, names) {
  const summary = h("p", { class: "muted", id: "difference-summary", "aria-live": "polite" });
  const show = (view) => {
    const base = compareRoute(data.base);
    const other = compareRoute(data.other);
    if (view === "difference") {
      const counts = state.map?.showDifference(base, other) ?? { added: 0, removed: 0, same: 0 };
      renderLegend($("legend"), { view: "difference" });
      summary.textContent =
        counts.added + counts.removed === 0
          ? "Both scenarios use the same links."
          : `${counts.added} link${counts.added === 1 ? "" : "s"} start being used and ` +
            `${counts.removed} stop being used under ${names.other || "the base network"}; ` +
            `${counts.same} are used under both.`;
    } else {
      state.map?.showComparison(base, other);
      renderLegend($("legend"), { view: "compare", names });
      summary.textContent = "";
    }
  };
  const option = (value, label, checked) =>
    h(
      "label",
      { class: "check" },
      h("input", {
        type: "radio",
        name: "compare-map",
        value,
        id: `compare-map-${value}`,
        checked: checked ? true : null,
        onchange: () => show(value),
      }),
      ` ${label}`,
    );
  return h(
    "div",
    {},
    h(
      "fieldset",
      { class: "filter-flags", id: "compare-map" },
      h("legend", {}, "The map shows"),
      option("routes", "both routes", true),
      option("difference", "what changes (links by sign)", false),
    ),
    summary,
  );
}

async function compare() {
  const base = shipment();
  if (!checkShipment(base)) return;
  const request = {
    ...base,
    avoid: avoided(),
    year: intOrNull($("year").value),
    base: $("compare-base").value || null,
    other: $("compare-other").value || null,
  };
  state.rerun = null;
  await withLoading($("run-compare"), "Comparing…", async (signal) => {
    const data = await api.post("compare", request, { signal });
    openResults();
    state.map?.showComparison(compareRoute(data.base), compareRoute(data.other));
    const names = { base: request.base, other: request.other };
    renderCompare($("result-body"), data, names);
    $("result-body").append(compareMapControl(data, names));
    presentResult({
      request,
      kind: "compare",
      exports: [
        {
          label: "Both routes (GeoJSON)",
          file: () => "compare.geojson",
          type: "application/geo+json",
          data: () =>
            JSON.stringify({
              type: "FeatureCollection",
              features: ["base", "other"].flatMap((side) =>
                (compareRoute(data[side])?.geojson?.features ?? []).map((f) => ({
                  ...f,
                  properties: { ...f.properties, side, scenario: request[side] },
                })),
              ),
            }),
        },
      ],
      legend: { view: "compare", names },
    });
    setStatus("Comparison done.");
  });
}

// ---------------------------------------------------------------- scenarios and runs

function scenarioItems(data) {
  const list = Array.isArray(data) ? data : data?.scenarios ?? [];
  return list.map((s) => (typeof s === "string" ? { name: s } : s));
}

async function loadScenarios() {
  const data = await getOptional("scenarios", []);
  state.scenarios = scenarioItems(data);
  setSavedScenarios(state.scenarios.filter((s) => !(s.bundled || s.read_only)).map((s) => s.name));
  for (const id of ["scenario-picker", "compare-base", "compare-other"]) {
    const select = $(id);
    const current = select.value;
    select.replaceChildren(h("option", { value: "" }, "Base network"));
    for (const s of state.scenarios) {
      select.append(
        h("option", { value: s.name }, s.bundled || s.read_only ? `${s.name} (bundled)` : s.name),
      );
    }
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }
  // Compare opens on "base network against the first scenario", not base against itself.
  const other = $("compare-other");
  if (!other.value && !state.compareChosen && state.scenarios.length > 0) {
    other.value = state.scenarios[0].name;
  }
  const list = $("scenario-list");
  list.replaceChildren(
    ...state.scenarios.map((s) =>
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "link-button", onclick: () => openScenario(s.name) },
          s.name,
        ),
        s.bundled || s.read_only ? h("span", { class: "badge" }, "bundled, read-only") : null,
        s.description ? h("div", { class: "muted" }, s.description) : null,
      ),
    ),
  );
  if (state.scenarios.length === 0) {
    list.append(h("li", { class: "muted" }, "No scenarios yet: write one below."));
  }
}

async function openScenario(name) {
  clearFieldErrors();
  try {
    const s = await api.get(`scenarios/${encodeURIComponent(name)}`);
    $("scenario-name").value = s.name ?? name;
    $("scenario-yaml").value = s.yaml ?? s.text ?? s.content ?? "";
    state.openedScenario = { name: s.name ?? name, bundled: Boolean(s.bundled || s.read_only) };
    updateScenarioButtons();
    const readOnly = state.openedScenario.bundled;
    setStatus(readOnly ? `Scenario ${name} is bundled: save it under a new name to change it.` : `Editing scenario ${name}.`);
  } catch (err) {
    showError(err);
  }
}

function scenarioBody() {
  return { name: $("scenario-name").value.trim(), yaml: $("scenario-yaml").value };
}

/**
 * Save is possible under any name that is not a bundled scenario's (a bundled one is saved
 * under a new name); Delete only for a saved scenario under its own name.
 */
function updateScenarioButtons() {
  const name = $("scenario-name").value.trim();
  const match = state.scenarios.find((s) => s.name === name);
  const bundled = Boolean(match && (match.bundled || match.read_only));
  $("scenario-save").disabled = bundled;
  $("scenario-delete").disabled = !match || bundled;
}

async function validateScenario() {
  clearFieldErrors();
  try {
    // The API validates the YAML text alone (the name is not part of it).
    const result = await api.post("scenarios/validate", { yaml: $("scenario-yaml").value });
    const problems = result?.problems ?? result?.errors ?? [];
    if (result?.ok === false || result?.valid === false || problems.length > 0) {
      showError(new ApiError(422, "invalid scenario", problems.map((p) => ({
        field: "yaml",
        message:
          typeof p === "string" ? p : `${p.path ? `${p.path}: ` : ""}${p.message ?? JSON.stringify(p)}`,
        suggestions: [],
      }))));
    } else {
      setStatus("The scenario is valid.");
    }
  } catch (err) {
    showError(err);
  }
}

async function saveScenario(event) {
  event.preventDefault();
  clearFieldErrors();
  const body = scenarioBody();
  if (!body.name) {
    showError(new ApiError(422, "name", [{ field: "name", message: "Give the scenario a name.", suggestions: [] }]));
    return;
  }
  try {
    const exists = state.scenarios.some((s) => s.name === body.name);
    if (exists) await api.put(`scenarios/${encodeURIComponent(body.name)}`, body);
    else await api.post("scenarios", body);
    await loadScenarios();
    updateScenarioButtons();
    setStatus(`Saved scenario ${body.name}.`);
  } catch (err) {
    showError(err);
  }
}

async function deleteScenario() {
  const name = $("scenario-name").value.trim();
  if (!name || !window.confirm(`Delete scenario ${name}?`)) return;
  try {
    await api.del(`scenarios/${encodeURIComponent(name)}`);
    $("scenario-name").value = "";
    $("scenario-yaml").value = "";
    await loadScenarios();
    setStatus(`Deleted scenario ${name}.`);
  } catch (err) {
    showError(err);
  }
}

async function loadRuns() {
  const list = $("runs-list");
  try {
    const data = await getOptional("runs", []);
    const runs = Array.isArray(data) ? data : data?.runs ?? [];
    list.replaceChildren(
      ...runs.slice(0, 50).map((run) => {
        const req = run.request ?? {};
        const what = req.origin
          ? `${req.origin} → ${req.destination}`
          : req.demand ?? (req.flows ? `${req.flows.length} flows` : "");
        const when = run.created_at ? new Date(run.created_at).toLocaleString("en-GB") : "";
        return h(
          "li",
          {},
          h(
            "button",
            { type: "button", class: "link-button", onclick: () => showRun(run.run_id ?? run.id) },
            `${run.kind ?? "run"} ${what}`,
          ),
          h("span", { class: `badge status-${run.status}` }, run.status ?? ""),
          h("div", { class: "muted" }, when),
        );
      }),
    );
    if (runs.length === 0) list.append(h("li", { class: "muted" }, "No runs recorded yet."));
  } catch (err) {
    showError(err);
  }
}

/** Put a recorded request back into the form of its tab. */
function fillForm(kind, req) {
  const set = (id, value) => {
    if (value !== undefined && value !== null && $(id)) $(id).value = String(value);
  };
  if (req.origin) set("origin", state.placeNames.get(req.origin) ?? req.origin);
  if (req.destination) set("destination", state.placeNames.get(req.destination) ?? req.destination);
  set("commodity", req.commodity);
  if (kind === "assign") {
    $("assign-year").value = req.year ?? "";
  } else {
    $("year").value = req.year ?? "";
    if (req.k != null) set("k", req.k);
    const avoid = new Set(req.avoid ?? []);
    for (const box of document.querySelectorAll("#avoid-list input")) box.checked = avoid.has(box.value);
    updateAvoidSummary();
  }
  if (req.objective) set("objective", req.objective);
  if (req.via) $("via").value = req.via.join(", ");
  if (typeof req.diverse === "boolean") $("diverse").checked = req.diverse;
  if (kind === "quote") {
    set("quantity", req.quantity);
    set("unit", req.unit);
    $("cargo-value").value = req.cargo_value_usd ?? "";
    $("quote-box").open = true;
    updateQuoteSummary();
  }
  if (kind === "simulate") {
    set("sim-n", req.n);
    set("sim-seed", req.seed);
    $("sim-deadline").value = req.deadline_h != null ? String(req.deadline_h / 24) : "";
    $("sim-month").value = req.month ?? "";
  }
  if (kind === "compare") {
    $("compare-base").value = req.base ?? "";
    $("compare-other").value = req.other ?? "";
  }
  if (kind === "assign") {
    if (req.demand && [...$("demand").options].some((o) => o.value === req.demand)) {
      $("demand").value = req.demand;
      $("flows-field").hidden = true;
    } else if (req.flows) {
      $("demand").value = "";
      $("flows-field").hidden = false;
      $("flows").value = req.flows
        .map((f) => `${f.origin}, ${f.destination}, ${f.commodity}, ${f.flow_per_year}`)
        .join("\n");
    }
  }
  if ("scenario" in req && [...$("scenario-picker").options].some((o) => o.value === (req.scenario ?? ""))) {
    $("scenario-picker").value = req.scenario ?? "";
  }
}

const TAB_OF_KIND = {
  route: "route",
  pareto: "route",
  simulate: "reliability",
  compare: "compare",
  assign: "flows",
  outlook: "outlook",
  "target-assignment": "outlook",
  appraise: "appraise",
  validation: "validation",
};

/** Reopen a recorded run: its inputs back in the form, its answer drawn as when it ran. */
async function showRun(id) {
  try {
    const run = await api.get(`runs/${encodeURIComponent(id)}`);
    const result = await getOptional(`runs/${encodeURIComponent(id)}/results`, run.result);
    const body = result?.result ?? result;
    const kind = run.kind ?? "";
    const request = { ...(run.request ?? {}), scenario: run.scenario ?? run.request?.scenario ?? null };
    fillForm(kind, request);
    clearResults();
    openResults();
    if (kind === "quote") {
      // A quote is shown on the route cards, which need the routes' legs: ask again.
      activateTab("route");
      await findRoutes();
      return;
    }
    if (kind === "route" && body?.routes?.length) {
      showRoutes(body.routes, { title: null, request, kind });
    } else if (kind === "pareto" && body?.front?.length) {
      showRoutes(body.front, {
        title: `${body.front.length} routes on the Pareto front (money, time, CO₂, risk); pick one`,
        pareto: { dominated: body.dominated ?? [] },
        request,
        kind,
      });
    } else if (kind === "simulate" && body) {
      const routes = (body.routes ?? []).filter((r) => r?.geojson);
      if (routes.length > 0) state.map?.showRoutes(routes, (i) => state.map?.selectRoute(i));
      renderReliability($("result-body"), body);
      presentResult({ request, kind, legend: { view: "routes", routes } });
    } else if (kind === "compare" && body?.base) {
      state.map?.showComparison(compareRoute(body.base), compareRoute(body.other));
      const names = { base: request.base, other: request.other };
      renderCompare($("result-body"), body, names);
      presentResult({ request, kind, legend: { view: "compare", names } });
    } else if (kind === "assign" && body?.link_flows) {
      showFlowResult(body, request);
    } else {
      $("result-body").replaceChildren(
        h("p", { class: "result-title", id: "result-title" }, `Run ${id}: ${kind} (${run.status ?? ""})`),
        h("p", {}, run.error?.message ?? "This run has no result to draw."),
      );
    }
    setStatus(`Showing run ${id} (${kind}, ${run.status ?? ""}).`);
  } catch (err) {
    showError(err);
  }
}

// ---------------------------------------------------------------- state in the URL

/** Fields each kind of question reads (the URL keeps only these). */
const FIELDS_OF_KIND = {
  route: ["origin", "destination", "commodity", "year", "k", "objective", "via", "quantity", "unit",
    "cargo-value", "scenario-picker"],
  pareto: ["origin", "destination", "commodity", "year", "via", "scenario-picker"],
  simulate: ["origin", "destination", "commodity", "year", "k", "sim-n", "sim-seed", "sim-deadline",
    "sim-month", "scenario-picker"],
  compare: ["origin", "destination", "commodity", "year", "compare-base", "compare-other"],
  assign: ["demand", "assign-year", "scenario-picker"],
  outlook: ["outlook-target", "outlook-horizon", "outlook-reporter"],
  "target-assignment": ["outlook-target", "target-mix", "target-steps"],
  appraise: ["appraise-benefit", "appraise-capex", "appraise-opex", "appraise-years", "appraise-rate"],
  validation: ["validation-kind"],
};

/** The state of the page for a result of this kind: what the URL records. */
function currentState(kind) {
  const values = { run: kind };
  for (const id of FIELDS_OF_KIND[kind] ?? []) values[URL_FIELDS[id]] = $(id).value.trim();
  if (["route", "pareto", "simulate", "compare"].includes(kind)) values.avoid = avoided();
  if (kind === "route") values.diverse = $("diverse").checked ? null : "no";
  if (kind === "route" && !values.qty) values.unit = null;
  if (kind === "assign" && !$("demand").value) values.flows = $("flows").value;
  return values;
}

/** Open the page on the question its URL records, and answer it. */
async function restoreFromUrl() {
  const params = readUrlState();
  const kind = params.run;
  if (!FIELDS_OF_KIND[kind]) return;
  for (const id of FIELDS_OF_KIND[kind]) {
    const key = URL_FIELDS[id];
    if (key in params) $(id).value = params[key];
  }
  if (params.avoid != null && kind !== "assign") {
    const avoid = new Set(params.avoid.split(",").filter(Boolean));
    for (const box of document.querySelectorAll("#avoid-list input")) box.checked = avoid.has(box.value);
    updateAvoidSummary();
  }
  if (kind === "route") {
    $("diverse").checked = params.diverse !== "no";
    if (params.qty) $("quote-box").open = true;
    updateQuoteSummary();
  }
  if (kind === "assign") {
    if (params.flows != null) $("flows").value = params.flows;
    $("flows-field").hidden = Boolean($("demand").value);
  }
  if (params.scenario) await loadNetwork();
  activateTab(TAB_OF_KIND[kind]);
  const run = {
    route: findRoutes,
    pareto: findPareto,
    simulate,
    compare,
    assign: assignFlows,
    outlook: runOutlook,
    "target-assignment": runTarget,
    appraise: runAppraise,
    validation: runValidation,
  }[kind];
  await run();
}

function updateAvoidSummary() {
  const codes = avoided();
  $("avoid-summary").textContent = codes.length > 0 ? codes.join(", ") : "none";
}

// ---------------------------------------------------------------- tabs

const FORM_TABS = new Set(["route", "reliability", "compare"]);

function activateTab(name, { focus = false } = {}) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
    if (on && focus) tab.focus();
    $(tab.getAttribute("aria-controls")).hidden = !on;
  }
  $("route-form").hidden = !FORM_TABS.has(name);
  state.tab = name;
  if (name === "runs") loadRuns();
}

function setUpTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener("click", () => activateTab(tab.id.slice(4)));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      const next = {
        ArrowRight: (i + 1) % tabs.length,
        ArrowLeft: (i - 1 + tabs.length) % tabs.length,
        Home: 0,
        End: tabs.length - 1,
      }[event.key];
      if (next !== undefined) {
        event.preventDefault();
        activateTab(tabs[next].id.slice(4), { focus: true });
      }
    });
  }
}

// ---------------------------------------------------------------- boot

const countryCode = (c) => (typeof c === "string" ? c : c.country ?? c.country_id ?? c.id);

async function loadReferenceData() {
  const [health, places, commodities, countries, demand, sources] = await Promise.all([
    api.get("health"),
    api.get("places"),
    getOptional("commodities", []),
    getOptional("countries", []),
    getOptional("demand", []),
    getOptional("sources", []),
  ]);
  setSources(sources);
  setNetworkName(health.network);
  state.networkInfo =
    `network ${health.network ?? ""}` + (health.network_version ? ` ${health.network_version}` : "");
  $("network-info").textContent =
    `Network ${health.network ?? ""}` +
    (health.network_version ? ` ${health.network_version}` : "") +
    ` · corridor ${health.version ?? ""}`;

  state.placeNames = new Map(places.map((p) => [p.node_id, p.name]));
  fill(
    $("places"),
    places.map((p) => h("option", { value: p.name }, `${p.country} · ${(p.kind ?? "").replace(/_/g, " ")}`)),
  );

  const commodityList = Array.isArray(commodities) ? commodities : commodities.commodities ?? [];
  state.commodityUnits = new Map(commodityList.map((c) => [c.commodity_id ?? c.id, c.unit]));
  if (commodityList.length > 0) {
    fill(
      $("commodity"),
      commodityList.map((c) =>
        h(
          "option",
          { value: c.commodity_id ?? c.id },
          `${c.name ?? c.commodity_id} (${c.unit === "teu" ? "TEU" : c.unit ?? ""})`,
        ),
      ),
    );
    $("commodity").value = "container";
  }

  setCountries(Array.isArray(countries) ? countries : countries.countries ?? []);
  const countryList = (Array.isArray(countries) ? countries : countries.countries ?? []).filter(
    (c) => countryCode(c) !== "ZZ",
  );
  fill(
    $("avoid-list"),
    countryList.map((c) => {
      const code = countryCode(c);
      return h(
        "label",
        { class: "check", title: c.name ?? code },
        h("input", { type: "checkbox", value: code, name: "avoid" }),
        ` ${code}`,
        h("span", { class: "visually-hidden" }, ` ${c.name ?? ""}`),
      );
    }),
  );

  const demandList = Array.isArray(demand) ? demand : demand?.demand ?? demand?.sets ?? [];
  if (demandList.length > 0) {
    fill(
      $("demand"),
      h("option", { value: "" }, "The flows typed below"),
      demandList.map((d) =>
        typeof d === "string"
          ? h("option", { value: d }, d)
          : h("option", { value: d.name }, d.title ? `${d.name}: ${d.title}` : d.name),
      ),
    );
    $("demand-field").hidden = false;
  }
  $("token-field").hidden = !health.write_auth;
}

async function loadNetwork() {
  if (!state.map) return;
  const s = scenario();
  const net = await api.get(`network${s ? `?scenario=${encodeURIComponent(s)}` : ""}`);
  state.map.setNetwork(net);
}

function wireEvents() {
  $("route-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!$("pane-reliability").hidden) simulate();
    else if (!$("pane-compare").hidden) compare();
    else findRoutes();
  });
  $("find-pareto").addEventListener("click", findPareto);
  $("run-simulate").addEventListener("click", simulate);
  $("run-compare").addEventListener("click", compare);
  $("flows-form").addEventListener("submit", assignFlows);
  $("outlook-form").addEventListener("submit", runOutlook);
  $("target-form").addEventListener("submit", runTarget);
  $("appraise-form").addEventListener("submit", runAppraise);
  $("validation-form").addEventListener("submit", runValidation);
  $("scenario-form").addEventListener("submit", saveScenario);
  $("scenario-validate").addEventListener("click", validateScenario);
  $("scenario-delete").addEventListener("click", deleteScenario);
  $("runs-refresh").addEventListener("click", loadRuns);
  $("scenario-name").addEventListener("input", updateScenarioButtons);
  $("compare-other").addEventListener("change", () => {
    state.compareChosen = true;
  });
  $("avoid-list").addEventListener("change", updateAvoidSummary);
  $("swap-places").addEventListener("click", () => {
    const a = $("origin").value;
    $("origin").value = $("destination").value;
    $("destination").value = a;
  });
  for (const id of ["quantity", "unit", "cargo-value"]) $(id).addEventListener("input", updateQuoteSummary);
  $("commodity").addEventListener("change", () => {
    // A tonne cargo is priced in tonnes; a container cargo keeps TEU or FEU.
    const unit = state.commodityUnits?.get($("commodity").value);
    if (unit === "t") $("unit").value = "t";
    else if (unit === "teu" && $("unit").value === "t") $("unit").value = "teu";
    updateQuoteSummary();
  });
  for (const id of ["origin", "destination", "via", "year", "k", "assign-year", "flows", "quantity",
    "cargo-value"]) {
    $(id).addEventListener("input", () => {
      $(id).removeAttribute("aria-invalid");
      $(`${id === "cargo-value" ? "cargo_value_usd" : id}-error`)?.replaceChildren();
    });
  }
  $("scenario-picker").addEventListener("change", async () => {
    try {
      await loadNetwork();
      if (state.rerun) await state.rerun();
      else setStatus(`Scenario: ${scenario() ?? "base network"}.`);
    } catch (err) {
      showError(err);
    }
  });
  $("api-token").value = sessionStorage.getItem("corridor-token") ?? "";
  $("api-token").addEventListener("change", (event) => {
    const token = event.target.value.trim();
    if (token) sessionStorage.setItem("corridor-token", token);
    else sessionStorage.removeItem("corridor-token");
  });
  $("demand").addEventListener("change", () => {
    $("flows-field").hidden = Boolean($("demand").value);
  });
  $("osm-toggle").addEventListener("change", (event) => {
    state.map?.setOnlineTiles(event.target.checked);
  });
  const months = new Intl.DateTimeFormat("en-GB", { month: "long" });
  for (let m = 1; m <= 12; m++) {
    $("sim-month").append(h("option", { value: m }, months.format(new Date(2025, m - 1, 1))));
  }
}

function pickPlace(props, role) {
  $(role).value = props.name ?? props.node_id;
  $(role).removeAttribute("aria-invalid");
  $(`${role}-error`).replaceChildren();
  setStatus(`${role === "origin" ? "From" : "To"}: ${$(role).value}.`);
}

async function main() {
  setUpTabs();
  wireEvents();
  const vendorsLoaded = Boolean(window.L && window.Chart && window.topojson);
  if (!vendorsLoaded) {
    $("assets-missing").hidden = false;
  } else {
    state.map = new CorridorMap($("map"), { onPlace: pickPlace });
    renderLegend($("legend"));
  }
  try {
    await Promise.all([
      loadReferenceData(),
      loadScenarios(),
      state.map?.loadOutlines("static/vendor/world-atlas/countries-110m.json"),
      loadNetwork(),
    ]);
    setStatus("Ready. Pick a shipment and press Find routes.");
    document.body.dataset.results = "empty";
    updateScenarioButtons();
    await restoreFromUrl();
    document.body.dataset.ready = "true";
  } catch (err) {
    showError(err, { context: "loading the page" });
  }
}

// Classic vendor scripts are `defer`red and module scripts run after them, so the globals
// are in place here when the files exist.
main();
