// Small DOM and formatting helpers (no innerHTML with data: everything goes through text nodes).

/**
 * Create an element: h("td", {class: "num"}, "12").
 * Attributes starting with "on" become event listeners; null/false attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const numberFormats = new Map();

/** Format a number with a fixed number of decimals and thousands separators. */
export function num(value, decimals = 0) {
  if (value == null || Number.isNaN(value)) return "–";
  if (!numberFormats.has(decimals)) {
    numberFormats.set(
      decimals,
      new Intl.NumberFormat("en-GB", {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
      }),
    );
  }
  return numberFormats.get(decimals).format(value);
}

/** Hours as days with one decimal: 441.6 -> "18.4". */
export const days = (hours) => num(hours / 24, 1);

/** A share 0..1 as a percentage: 0.453 -> "45%". */
export const pct = (share, decimals = 0) => (share == null ? "–" : `${num(share * 100, decimals)}%`);

// Route colours: one per route in lists, on the map and in charts. None of them is a mode
// colour (map.js MODE_COLOURS) or a utilisation colour, and each has at least 3:1 contrast
// on the land and the sea of the map. Routes past the sixth share one neutral grey (and are
// told apart by their number) rather than reuse a colour that already means another route.
export const ROUTE_PALETTE = ["#c4500a", "#6a3d9a", "#1b1f24", "#8c510a", "#b2182b", "#4d6b00"];
export const ROUTE_OVERFLOW = "#6e6e6e";
export const colourOf = (i) => ROUTE_PALETTE[i] ?? ROUTE_OVERFLOW;

/** Plain names of the network's corridor families (the ids are the model's). */
export const CORRIDOR_NAMES = {
  middle: "Middle Corridor",
  middle_turkmenbashi: "Middle Corridor via Turkmenbashi",
  southern: "Southern route (Central Asia, Iran)",
  northern: "Northern route (through Russia)",
  grain_russia: "Russian rail to the Black Sea (through Russia)",
  atyrau_samara: "Atyrau–Samara pipeline (through Russia)",
  cpc: "CPC pipeline (through Russia)",
  btc: "Baku–Tbilisi–Ceyhan pipeline",
  btk: "Baku–Tbilisi–Kars railway",
  black_sea: "Black Sea shipping",
  sea_suez: "Sea via Suez",
  sea_cape: "Sea via the Cape of Good Hope",
  zangezur: "Zangezur corridor",
  kazakhstan_china_pipeline: "Kazakhstan–China pipeline",
  domestic: "domestic links",
};

/**
 * A route's corridor label in words: "middle+grain_russia" -> "Middle Corridor, then Russian
 * rail to the Black Sea (through Russia)". Unknown ids are shown as they are.
 */
export function corridorName(label) {
  if (!label) return "";
  const parts = String(label)
    .split("+")
    .filter((p) => p !== "domestic" || !String(label).includes("+"));
  return parts.map((p) => CORRIDOR_NAMES[p] ?? p.replace(/_/g, " ")).join(", then ");
}

/** Human name of a mode id. */
export const MODE_NAMES = {
  rail_1520: "Rail 1520 mm",
  rail_1435: "Rail 1435 mm",
  road: "Road",
  caspian_ferry: "Caspian ferry",
  caspian_ship: "Caspian ship",
  lake_ferry: "Lake ferry",
  sea: "Sea",
  pipeline: "Pipeline",
};

const SHORT_MODE_NAMES = {
  rail_1520: "rail 1520",
  rail_1435: "rail 1435",
  caspian_ferry: "ferry",
  caspian_ship: "ship",
  lake_ferry: "lake ferry",
};

/** Human name of a mode id, or of a transfer ``from>to``; ``short`` for tables. */
export const modeName = (mode, { short = false } = {}) => {
  if (!mode) return "";
  const name = (m) => (short ? SHORT_MODE_NAMES[m] ?? MODE_NAMES[m]?.toLowerCase() : MODE_NAMES[m]) ?? m;
  if (mode.includes(">")) {
    const [a, b] = mode.split(">");
    return short ? `${name(a)} → ${name(b)}` : `Transfer ${name(a)} → ${name(b)}`;
  }
  return name(mode);
};
