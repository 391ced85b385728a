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
  "sim-n": "n",
  "sim-seed": "seed",
  "sim-deadline": "deadline_days",
  "sim-month": "month",
  "compare-base": "base",
  "compare-other": "other",
  demand: "demand",
  "assign-year": "assign_year",
  "scenario-picker": "scenario",
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

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The same question as a call of the REST API (a curl command), to script it.
 *
 * @param {string} path the API path, e.g. "route"
 * @param {object} body the request body the page sent
 */
export function apiCall(path, body) {
  if (!path || !body) return null;
  const url = new URL(`api/${path}`, document.baseURI).href;
  const json = JSON.stringify(body).replace(/'/g, "'\\''");
  const text = `curl -X POST ${url} -H 'Content-Type: application/json' -d '${json}'`;
  return h(
    "details",
    { class: "api-call" },
    h("summary", {}, "Ask the API the same question"),
    h("pre", { class: "json", id: "api-call" }, text),
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
          onclick: () => download(e.file(), e.type, e.data()),
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
