// The map: an offline country-outline basemap, the network by mode and status, and results.
//
// Leaflet rather than MapLibre: Leaflet draws with SVG/canvas and needs no WebGL (which
// headless Chromium often lacks) and no style or glyph server, so the page works offline and
// in browser tests. The default basemap is Natural Earth 1:110m countries (public domain) from
// the npm package world-atlas; OpenStreetMap tiles are an opt-in online layer.
import { colourOf, h, days, modeName, num, pct } from "./dom.js";

const L = () => window.L;

// Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
export const MODE_COLOURS = {
  rail_1520: "#0072B2",
  rail_1435: "#CC79A7",
  road: "#6b6b6b",
  caspian_ferry: "#009E73",
  caspian_ship: "#009E73",
  lake_ferry: "#009E73",
  sea: "#56B4E9",
  pipeline: "#E69F00",
};
const OTHER_COLOUR = "#444444";
export const ROUTE_COLOUR = "#D55E00";
export const COMPARE_COLOURS = { base: "#0072B2", other: "#D55E00" };

/** Colour of a utilisation share (0..1+), from blue (spare capacity) to dark red (full). */
export function utilisationColour(share) {
  if (share == null || Number.isNaN(share)) return "#7a7a7a";
  if (share >= 0.999) return "#a50026";
  if (share >= 0.9) return "#e34a33";
  if (share >= 0.7) return "#fdae61";
  if (share >= 0.4) return "#abd9e9";
  return "#4575b4";
}
export const UTILISATION_STEPS = [
  [0, "under 40%"],
  [0.4, "40–70%"],
  [0.7, "70–90%"],
  [0.9, "90–100%"],
  [1, "full (binding)"],
];

function statusOf(props) {
  return props.status ? String(props.status) : "open";
}

function linkStyle(props) {
  const status = statusOf(props);
  return {
    color: MODE_COLOURS[props.mode] ?? OTHER_COLOUR,
    weight: status === "open" ? 2 : 1.5,
    opacity: status === "closed" ? 0.35 : 0.75,
    dashArray: status === "planned" ? "6 5" : status === "closed" ? "1 4" : null,
    className: `net-link mode-${props.mode} status-${status}`,
  };
}

function linkTooltip(props) {
  const status = statusOf(props);
  const when = status === "planned" && props.opening_year ? ` (opens ${props.opening_year})` : "";
  const parts = [
    `${props.from_node} – ${props.to_node}`,
    `${modeName(props.mode)}, ${status}${when}`,
  ];
  if (props.distance_km != null) parts.push(`${num(props.distance_km)} km`);
  if (props.capacity_t_per_year != null) {
    parts.push(`capacity ${num(props.capacity_t_per_year / 1e6, 1)} Mt/yr`);
  }
  if (props.capacity_teu_per_year != null) {
    parts.push(`capacity ${num(props.capacity_teu_per_year)} TEU/yr`);
  }
  return parts.map(esc).join("<br>");
}

/** Escape text for Leaflet tooltips (which take HTML). */
function esc(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

export class CorridorMap {
  /**
   * @param {HTMLElement} el the map container
   * @param {{onPlace?: (node: object, role: "origin"|"destination") => void}} options
   */
  constructor(el, { onPlace } = {}) {
    const Leaflet = L();
    this.onPlace = onPlace;
    this.map = Leaflet.map(el, {
      center: [42, 55],
      zoom: 4,
      minZoom: 2,
      maxZoom: 12,
      worldCopyJump: true,
      keyboard: true,
      zoomSnap: 0.25,
      preferCanvas: false,
    });
    this.map.attributionControl.setPrefix(false);
    for (const [name, z] of [
      ["basemap", 200],
      ["network", 400],
      ["flows", 420],
      ["routes", 450],
      ["places", 620],
    ]) {
      this.map.createPane(name).style.zIndex = String(z);
    }
    this.outlines = null;
    this.osm = Leaflet.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      pane: "basemap",
      attribution:
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    });
    this.networkLayer = Leaflet.layerGroup().addTo(this.map);
    this.nodeLayer = Leaflet.layerGroup().addTo(this.map);
    this.resultLayer = Leaflet.layerGroup().addTo(this.map);
    this.routeLayers = [];
    this.selected = -1;
  }

  /** Load the bundled country outlines (TopoJSON) as the offline basemap. */
  async loadOutlines(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`country outlines: ${response.status}`);
    const topology = await response.json();
    const countries = window.topojson.feature(topology, topology.objects.countries);
    this.outlines = L()
      .geoJSON(countries, {
        pane: "basemap",
        interactive: false,
        style: { color: "#8a8f98", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
      })
      .addTo(this.map);
    this.map.attributionControl.addAttribution("Countries: Natural Earth (public domain)");
  }

  /** Switch between the offline outlines and online OpenStreetMap tiles. */
  setOnlineTiles(on) {
    if (on) {
      this.osm.addTo(this.map);
      this.outlines?.setStyle({ fillOpacity: 0, weight: 0.5 });
    } else {
      this.osm.remove();
      this.outlines?.setStyle({ fillOpacity: 1, weight: 0.8 });
    }
    this.map.getContainer().classList.toggle("online-tiles", on);
  }

  /** Draw the network: links styled by mode and status, nodes as small circles. */
  setNetwork(collection) {
    const Leaflet = L();
    this.networkLayer.clearLayers();
    this.nodeLayer.clearLayers();
    const links = collection.features.filter((f) => f.geometry?.type === "LineString");
    const nodes = collection.features.filter((f) => f.geometry?.type === "Point");
    Leaflet.geoJSON(
      { type: "FeatureCollection", features: links },
      {
        pane: "network",
        style: (f) => linkStyle(f.properties),
        onEachFeature: (f, layer) =>
          layer.bindTooltip(linkTooltip(f.properties), { sticky: true }),
      },
    ).addTo(this.networkLayer);
    if (!this.fitted) {
      // First drawing: show the whole network.
      const bounds = this.networkLayer.getLayers()[0]?.getBounds();
      if (bounds?.isValid()) this.map.fitBounds(bounds, { padding: [10, 10] });
      this.fitted = true;
    }
    for (const f of nodes) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const important = /port|city|dry_port|market|gauge/.test(p.kind ?? "");
      const marker = Leaflet.circleMarker([lat, lon], {
        pane: "places",
        radius: important ? 3.5 : 2,
        color: "#222",
        weight: 1,
        fillColor: "#fff",
        fillOpacity: 1,
        className: "net-node",
      });
      marker.bindTooltip(`${esc(p.name ?? p.node_id)} (${esc(p.country ?? "")})`);
      marker.bindPopup(() => this.placePopup(p));
      marker.addTo(this.nodeLayer);
    }
  }

  placePopup(props) {
    const pick = (role) => () => {
      this.onPlace?.(props, role);
      this.map.closePopup();
    };
    return h(
      "div",
      { class: "place-popup" },
      h("strong", {}, props.name ?? props.node_id),
      h("div", { class: "muted" }, `${props.country ?? ""} · ${(props.kind ?? "").replace(/_/g, " ")}`),
      h(
        "div",
        { class: "popup-actions" },
        h("button", { type: "button", onclick: pick("origin") }, "Ship from here"),
        h("button", { type: "button", onclick: pick("destination") }, "Ship to here"),
      ),
    );
  }

  /** Remove every result (routes, flows, comparison) from the map. */
  clearResults() {
    this.resultLayer.clearLayers();
    this.routeLayers = [];
    this.selected = -1;
    this.networkLayer.eachLayer((g) => g.setStyle?.({ opacity: 0.75 }));
  }

  dimNetwork() {
    this.networkLayer.eachLayer((g) => g.setStyle?.((f) => ({ ...linkStyle(f.properties), opacity: 0.3 })));
  }

  /**
   * Draw routes: the selected one by leg with its modes, the others as grey alternatives.
   *
   * @param {object[]} routes API routes, each with a `geojson` FeatureCollection
   * @param {(i: number) => void} onSelect called when a route is clicked on the map
   */
  showRoutes(routes, onSelect) {
    const Leaflet = L();
    this.clearResults();
    this.dimNetwork();
    this.routeLayers = routes.map((route, i) => {
      const group = Leaflet.featureGroup();
      const casing = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        style: { color: "#1b1f24", weight: 9, opacity: 0.95, lineCap: "round" },
        interactive: false,
      });
      const legs = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        style: (f) => ({
          color: MODE_COLOURS[f.properties.mode] ?? ROUTE_COLOUR,
          weight: 5,
          opacity: 1,
          lineCap: "round",
          className: `route-leg route-${i}`,
        }),
        onEachFeature: (f, layer) => {
          const p = f.properties;
          layer.bindTooltip(
            `${esc(p.from_name)} → ${esc(p.to_name)}<br>${esc(modeName(p.mode))}, ` +
              `${num(p.distance_km)} km, ${days(p.time_h)} d, ${num(p.cost_usd)} USD`,
            { sticky: true },
          );
          layer.on("click", () => onSelect?.(i));
        },
      });
      const ghost = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        style: {
          color: colourOf(i),
          weight: 4,
          opacity: 0.9,
          dashArray: "3 7",
          className: `route-alt route-${i}`,
        },
        onEachFeature: (f, layer) => {
          layer.bindTooltip(`Route ${i + 1}: ${esc(route.corridor)} (click to select)`, {
            sticky: true,
          });
          layer.on("click", () => onSelect?.(i));
        },
      });
      return { group, casing, legs, ghost, route };
    });
    for (const r of this.routeLayers) r.group.addTo(this.resultLayer);
    this.selectRoute(0, { fit: true });
  }

  /** Make route i the highlighted one. */
  selectRoute(i, { fit = false } = {}) {
    if (!this.routeLayers[i]) return;
    this.selected = i;
    // Draw alternatives first so the selected route is on top.
    this.routeLayers.forEach((r, j) => {
      r.group.clearLayers();
      if (j !== i) r.group.addLayer(r.ghost);
    });
    const chosen = this.routeLayers[i];
    chosen.group.addLayer(chosen.casing);
    chosen.group.addLayer(chosen.legs);
    this.addEnds(chosen.group, chosen.route);
    chosen.group.eachLayer((l) => l.bringToFront?.());
    if (fit) {
      const bounds = chosen.legs.getBounds();
      if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [60, 60] });
    }
  }

  addEnds(group, route) {
    const feats = route.geojson?.features ?? [];
    if (feats.length === 0) return;
    const first = feats[0].geometry.coordinates[0];
    const lastLine = feats[feats.length - 1].geometry.coordinates;
    const last = lastLine[lastLine.length - 1];
    const Leaflet = L();
    const names = route.geojson.properties ?? {};
    for (const [coord, label, cls] of [
      [first, feats[0].properties.from_name ?? names.origin, "route-origin"],
      [last, feats[feats.length - 1].properties.to_name ?? names.destination, "route-destination"],
    ]) {
      Leaflet.circleMarker([coord[1], coord[0]], {
        pane: "places",
        radius: 7,
        color: "#111",
        weight: 2,
        fillColor: cls === "route-origin" ? "#ffffff" : "#111111",
        fillOpacity: 1,
        className: cls,
      })
        .bindTooltip(esc(label ?? ""), { permanent: true, direction: "auto", offset: [8, 0] })
        .addTo(group);
    }
  }

  /** Draw two routes in two colours for a comparison. */
  showComparison(base, other) {
    const Leaflet = L();
    this.clearResults();
    this.dimNetwork();
    const bounds = Leaflet.latLngBounds([]);
    for (const [route, key, offset] of [
      [base, "base", 0],
      [other, "other", 1],
    ]) {
      if (!route?.geojson) continue;
      const layer = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        style: {
          color: COMPARE_COLOURS[key],
          weight: offset ? 4 : 8,
          opacity: offset ? 1 : 0.6,
          dashArray: offset ? "8 6" : null,
          className: `compare-${key}`,
        },
        onEachFeature: (f, l) =>
          l.bindTooltip(`${key}: ${esc(f.properties.from_name)} → ${esc(f.properties.to_name)}`, {
            sticky: true,
          }),
      }).addTo(this.resultLayer);
      bounds.extend(layer.getBounds());
    }
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [60, 60] });
  }

  /**
   * Draw assigned flows: line width by flow, colour by utilisation.
   *
   * @param {object} collection GeoJSON with `flow_t_per_year` per link
   * @param {Map<string, number>} utilisation link id -> share of capacity used
   */
  showFlows(collection, utilisation) {
    const Leaflet = L();
    this.clearResults();
    this.dimNetwork();
    const flows = (collection?.features ?? []).filter(
      (f) => (f.properties?.flow_t_per_year ?? 0) > 0,
    );
    const max = Math.max(1, ...flows.map((f) => f.properties.flow_t_per_year));
    const layer = Leaflet.geoJSON(
      { type: "FeatureCollection", features: flows },
      {
        pane: "flows",
        style: (f) => {
          const p = f.properties;
          const share = p.utilisation ?? utilisation.get(p.link_id);
          return {
            color: utilisationColour(share),
            weight: 2 + 14 * Math.sqrt(p.flow_t_per_year / max),
            opacity: 0.9,
            lineCap: "round",
            className: "flow-link",
          };
        },
        onEachFeature: (f, l) => {
          const p = f.properties;
          const share = p.utilisation ?? utilisation.get(p.link_id);
          l.bindTooltip(
            `${esc(p.link_id)}<br>${num(p.flow_t_per_year / 1e6, 2)} Mt/yr` +
              (share != null ? `, ${pct(share)} of capacity` : ""),
            { sticky: true },
          );
        },
      },
    ).addTo(this.resultLayer);
    const bounds = layer.getBounds();
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [20, 20] });
  }
}

/** Fill the legend element: modes, statuses and (when flows are shown) utilisation. */
export function renderLegend(el, { flows = false } = {}) {
  const swatch = (colour, dash) => lineSwatch(colour, dash);
  const modes = [
    ["rail_1520", "Rail 1520 mm"],
    ["rail_1435", "Rail 1435 mm"],
    ["caspian_ferry", "Caspian / lake ship"],
    ["sea", "Sea"],
    ["pipeline", "Pipeline"],
  ];
  const items = modes.map(([m, label]) => h("li", {}, swatch(MODE_COLOURS[m]), label));
  items.push(h("li", {}, swatch("#333", "6 5"), "Planned"));
  items.push(h("li", {}, swatch("#333", "1 4"), "Closed"));
  const lists = [h("ul", { class: "legend-list", "aria-label": "Modes and status" }, items)];
  if (flows) {
    lists.push(
      h(
        "ul",
        { class: "legend-list", "aria-label": "Capacity used" },
        h("li", { class: "legend-head" }, "Capacity used"),
        UTILISATION_STEPS.map(([share, label]) =>
          h("li", {}, lineSwatch(utilisationColour(share + 1e-6), null, 5), label),
        ),
        h("li", {}, lineSwatch(utilisationColour(null), null, 5), "no capacity figure"),
      ),
    );
  }
  el.replaceChildren(...lists);
}

function lineSwatch(colour, dash, width = 3) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", "10");
  svg.setAttribute("aria-hidden", "true");
  const line = document.createElementNS(ns, "line");
  for (const [k, v] of Object.entries({ x1: 1, y1: 5, x2: 27, y2: 5, stroke: colour })) {
    line.setAttribute(k, String(v));
  }
  line.setAttribute("stroke-width", String(width));
  if (dash) line.setAttribute("stroke-dasharray", dash);
  svg.append(line);
  return svg;
}
