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

export const modeName = (mode) => {
  if (!mode) return "";
  if (mode.includes(">")) {
    return `Transfer ${mode.split(">").map((m) => MODE_NAMES[m] ?? m).join(" → ")}`;
  }
  return MODE_NAMES[mode] ?? mode;
};
