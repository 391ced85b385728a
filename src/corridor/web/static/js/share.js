// Results that leave the page: downloads (CSV, GeoJSON), the page state in its URL, and the
// same question as an API call.
import { h } from "./dom.js";

/** The query-string keys of the page state, per form field id. */
export const URL_FIELDS = {
  origin: "from",
  destination: "to",
  commodity: "cargo",
  year: "year",
  k: "k",
  objective: "by",
  via: "via",
  quantity: "qty",
  unit: "unit",
  "cargo-value": "value",
  "sim-n": "n",
  "sim-seed": "seed",
  "sim-deadline": "deadline_days",
  "sim-month": "month",
  "compare-base": "base",
  "compare-other": "other",
  demand: "demand",
  "assign-year": "assign_year",
  "scenario-picker": "scenario",
  "outlook-target": "target_bn",
  "outlook-horizon": "horizon",
  "outlook-reporter": "reporter",
  "appraise-benefit": "benefit",
  "appraise-capex": "capex",
  "appraise-opex": "opex",
  "appraise-years": "years",
  "appraise-rate": "rate",
  "validation-kind": "kind",
};

/**
 * Write the page state into the address bar (without reloading or adding history entries),
 * so the address can be bookmarked or sent and reopens the same question.
 *
 * @param {Record<string, string|string[]|boolean|null>} values
 */
export function writeUrlState(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value == null || value === "" || (Array.isArray(value) && value.length === 0)) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ""}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
}

/** Read the page state from the address bar: a plain object of strings. */
export function readUrlState() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

async function download(name, type, data) {
  const content = await data;
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Questions asked with GET and a query string rather than a JSON body. */
const GET_PATHS = new Set(["outlook", "validation"]);

/** A word for a POSIX shell: quoted unless it is plainly safe. */
export function shellWord(value) {
  const text = String(value);
  return /^[A-Za-z0-9_.,:/=+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** The network the page works on (the CLI's --network), set when the page loads. */
let NETWORK = null;

export function setNetworkName(name) {
  NETWORK = name || null;
}

/** Scenarios saved on this server (not bundled): the command line reads them from a file. */
let SAVED = new Set();

export function setSavedScenarios(names) {
  SAVED = new Set(names ?? []);
}

/**
 * The same question as a `corridor` command: `{command}` with the words of the command, or
 * `{why}` when the command line cannot ask it (the CLI lacks an option the request uses).
 *
 * @param {string} kind route, pareto, quote, simulate, compare or assign
 * @param {object} body the request body the page sent
 */
export function cliCommand(kind, body) {
  const args = [];
  const notes = [];
  // A saved scenario is known to this server only: the command reads it from a YAML file.
  const scenarioArg = (name) => {
    if (!SAVED.has(name)) return name;
    notes.push(
      `Scenario ${name} is saved on this server, not bundled: save its YAML (Scenarios tab) ` +
        `as ${name}.yaml next to where you run the command.`,
    );
    return `${name}.yaml`;
  };
  const opt = (name, value) => {
    if (value == null || value === "") return;
    args.push(name, value);
  };
  const places = () => {
    opt("--from", body.origin);
    opt("--to", body.destination);
    opt("--cargo", body.commodity);
  };
  const avoid = () => {
    if (body.avoid?.length) opt("--avoid", body.avoid.join(","));
  };
  const via = () => {
    for (const v of body.via ?? []) opt("--via", v);
  };
  const network = () => {
    if (body.scenario) opt("--scenario", scenarioArg(body.scenario));
    else if (NETWORK) opt("--network", NETWORK);
  };
  if (kind === "route" || kind === "pareto") {
    args.push("route");
    if (kind === "pareto") args.push("--pareto");
    places();
    if (kind === "route") {
      opt("--by", body.objective);
      opt("--k", body.k);
      if (body.diverse) args.push("--diverse");
    }
    avoid();
    via();
    opt("--year", body.year);
    network();
  } else if (kind === "quote") {
    if (body.via?.length || body.scenario) {
      return { why: "`corridor quote` has no --via or --scenario option yet." };
    }
    args.push("quote");
    places();
    opt("--quantity", body.quantity);
    opt("--unit", body.unit);
    opt("--cargo-value", body.cargo_value_usd);
    opt("--k", body.k);
    // The API's default sample count, written out: the command's own default is larger.
    opt("--n", body.n ?? 10000);
    opt("--seed", body.seed ?? 0);
    avoid();
    opt("--year", body.year);
    opt("--network", NETWORK);
  } else if (kind === "simulate") {
    args.push("simulate");
    places();
    opt("--n", body.n);
    opt("--seed", body.seed);
    opt("--k", body.k);
    if (body.deadline_h != null) opt("--deadline", `${body.deadline_h}h`);
    opt("--month", body.month);
    avoid();
    opt("--year", body.year);
    network();
  } else if (kind === "compare") {
    if (body.avoid?.length) return { why: "`corridor compare` has no --avoid option yet." };
    args.push(
      "compare",
      body.base ? scenarioArg(body.base) : NETWORK || "eurasia",
      body.other ? scenarioArg(body.other) : NETWORK || "eurasia",
    );
    opt("--od", `${body.origin}:${body.destination}:${body.commodity ?? "container"}`);
    opt("--year", body.year);
  } else if (kind === "assign") {
    if (!body.demand) {
      return { why: "the command line reads typed flows from a demand CSV file (--demand FILE)." };
    }
    args.push("assign");
    opt("--demand", body.demand);
    opt("--year", body.year);
    opt("--method", body.method);
    network();
  } else if (kind === "outlook") {
    args.push("outlook");
    opt("--target", body.target_usd);
    opt("--horizon", body.horizon_year);
    opt("--reporter", body.reporter);
    opt("--network", NETWORK);
  } else if (kind === "target-assignment") {
    args.push("outlook", "--assign");
    opt("--target", body.target_usd);
    opt("--mix", body.mix);
    opt("--steps", body.steps);
    opt("--network", NETWORK);
  } else if (kind === "appraise") {
    args.push("appraise");
    opt("--benefit-usd", body.benefit_usd);
    opt("--capex", body.capex_usd);
    opt("--opex", body.opex_usd_per_year);
    opt("--years", body.years);
    opt("--rate", body.rate);
    opt("--network", NETWORK);
  } else if (kind === "validation") {
    args.push("validate");
    opt("--kind", body.kind);
    opt("--network", NETWORK);
  } else {
    return { why: `no command for ${kind}.` };
  }
  return { command: ["corridor", ...args.map(shellWord)].join(" "), notes };
}

async function copyText(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied.";
  } catch {
    status.textContent = "Select the text to copy it.";
  }
}

/**
 * The same question as calls of the REST API (curl commands) and as `corridor` commands, to
 * script it. The first call is the result's own; the others are asked with it (a quote).
 *
 * @param {[string, object][]} calls [API path, request body] pairs, e.g. [["route", {...}]]
 */
export function apiCall(calls) {
  const asked = (calls ?? []).filter(([path, body]) => path && body);
  if (asked.length === 0) return null;
  const curl = asked.map(([path, body], i) => {
    const id = i === 0 ? "api-call" : `api-call-${path}`;
    if (GET_PATHS.has(path)) {
      const query = new URLSearchParams(
        Object.entries(body).filter(([, v]) => v != null).map(([k, v]) => [k, String(v)]),
      ).toString();
      const url = new URL(`api/${path}${query ? `?${query}` : ""}`, document.baseURI).href;
      return h("pre", { class: "json", id }, `curl '${url}'`);
    }
    const url = new URL(`api/${path}`, document.baseURI).href;
    const json = JSON.stringify(body).replace(/'/g, "'\\''");
    const text = `curl -X POST ${url} -H 'Content-Type: application/json' -d '${json}'`;
    return h("pre", { class: "json", id: i === 0 ? "api-call" : `api-call-${path}` }, text);
  });
  const cli = asked.map(([path, body]) => ({ path, ...cliCommand(path, body) }));
  const commands = cli.filter((c) => c.command).map((c) => c.command);
  const status = h("span", { class: "muted", role: "status" });
  const shown = h(
    "div",
    { class: "cli-call", id: "cli-box", hidden: true },
    cli.map((c, i) =>
      c.command
        ? [
            h("pre", { class: "json", id: i === 0 ? "cli-call" : `cli-call-${c.path}` }, c.command),
            c.notes.map((note) => h("p", { class: "muted cli-note" }, note)),
          ]
        : h("p", { class: "muted", id: i === 0 ? "cli-call" : `cli-call-${c.path}` },
            `No command line for the ${c.path} part: ${c.why}`),
    ),
  );
  return h(
    "div",
    { class: "ask-again" },
    h(
      "details",
      { class: "api-call" },
      h("summary", {}, "Ask the API the same question"),
      curl,
    ),
    h(
      "button",
      {
        type: "button",
        class: "small",
        id: "copy-cli",
        disabled: commands.length === 0 ? true : null,
        onclick: () => {
          shown.hidden = false;
          copyText(commands.join("\n"), status);
        },
      },
      "Copy as CLI command",
    ),
    status,
    shown,
  );
}

/**
 * A row of export buttons and "Copy link".
 *
 * @param {{label: string, file: () => string, type: string, data: () => string}[]} exports
 */
export function exportBar(exports) {
  const copied = h("span", { class: "muted", role: "status" });
  return h(
    "div",
    { class: "export-bar", role: "group", "aria-label": "Export this result" },
    exports.map((e) =>
      h(
        "button",
        {
          type: "button",
          class: "small",
          "data-export": e.file(),
          onclick: async (event) => {
            const button = event.currentTarget;
            button.disabled = true;
            try {
              await download(e.file(), e.type, e.data());
            } catch (err) {
              copied.textContent = `Could not export: ${err?.message ?? err}`;
            } finally {
              button.disabled = false;
            }
          },
        },
        e.label,
      ),
    ),
    h(
      "button",
      {
        type: "button",
        class: "small",
        id: "copy-link",
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(location.href);
            copied.textContent = "Link copied.";
          } catch {
            copied.textContent = `Link: ${location.href}`;
          }
        },
      },
      "Copy link",
    ),
    copied,
  );
}
