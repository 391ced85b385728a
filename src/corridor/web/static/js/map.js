// The map: an offline country-outline basemap with place, sea and country names, the network
// by mode and status, and results.
//
// Leaflet rather than MapLibre: Leaflet draws with SVG/canvas and needs no WebGL (which
// headless Chromium often lacks) and no style or glyph server, so the page works offline and
// in browser tests. The default basemap is Natural Earth 1:110m countries (public domain) from
// the npm package world-atlas; OpenStreetMap tiles are an opt-in online layer. Every name on
// the map is drawn by the page from the network's own places and a short list of seas.
import { colourOf, corridorName, h, days, modeName, num, pct } from "./dom.js";

const L = () => window.L;

/** The map's backgrounds: every line colour has at least 3:1 contrast on both. */
export const MAP_BACKGROUNDS = { sea: "#cfe3f2", land: "#f4f1ea" };

// Mode colours (of the network). Dark enough for 3:1 on land and sea; route colours
// (dom.js ROUTE_PALETTE) and utilisation colours never reuse them.
export const MODE_COLOURS = {
  rail_1520: "#0072B2",
  rail_1435: "#a8447a",
  road: "#6b6b6b",
  caspian_ferry: "#00795c",
  caspian_ship: "#00795c",
  lake_ferry: "#00795c",
  sea: "#27466e",
  pipeline: "#a86400",
};
const OTHER_COLOUR = "#444444";
export const COMPARE_COLOURS = { base: colourOf(0), other: colourOf(1) };

/**
 * Colours of a difference map by sign: links the other scenario's route starts using, links
 * it stops using, and links both use. Neither route nor mode colours, and 3:1 on land and sea.
 */
export const DIFFERENCE_COLOURS = { added: "#1a6b2f", removed: "#9c2a00", same: "#6e6e6e" };

/** Colour of a utilisation share (0..1+), from blue (spare capacity) to dark red (full). */
export function utilisationColour(share) {
  if (share == null || Number.isNaN(share)) return NO_CAPACITY.colour;
  if (share >= 0.999) return "#7f0000";
  if (share >= 0.9) return "#d7301f";
  if (share >= 0.7) return "#b35806";
  if (share >= 0.4) return "#2d7f77";
  return "#2166ac";
}
/** A link without a capacity figure: grey and dashed, never a "spare capacity" colour. */
export const NO_CAPACITY = { colour: "#595959", dash: "2 6" };
export const UTILISATION_STEPS = [
  [0, "under 40%"],
  [0.4, "40–70%"],
  [0.7, "70–90%"],
  [0.9, "90–100%"],
  [1, "full (binding)"],
];

/** The Caspian–Black Sea region the map opens on (south-west, north-east). */
export const OPENING_BOUNDS = [
  [36.5, 26],
  [53, 74],
];

// Seas and gulfs the network crosses, named where their open water is.
const SEAS = [
  ["Caspian Sea", 42.3, 50.6],
  ["Black Sea", 43.1, 34.2],
  ["Mediterranean Sea", 34.2, 19.5],
  ["Aral Sea", 45.2, 59.8],
  ["Persian Gulf", 27, 51.5],
  ["Arabian Sea", 16, 63],
  ["Red Sea", 20, 38.6],
  ["Baltic Sea", 56.5, 19],
  ["North Sea", 56, 3.5],
  ["Indian Ocean", -5, 75],
  ["Atlantic Ocean", 35, -30],
];

// Natural Earth's names where the project writes them otherwise.
const COUNTRY_NAMES = { Turkey: "Türkiye", "Czech Rep.": "Czechia" };

// Which places are named first when names would overlap (lower first).
const KIND_RANK = {
  city: 0,
  caspian_port: 1,
  sea_port: 1,
  dry_port: 1,
  market: 1,
  gauge_change: 2,
  pipeline_terminal: 2,
  border_crossing: 3,
  grain_region: 3,
  oil_field: 3,
  refinery: 3,
  rail_junction: 4,
  rail_station: 5,
  waypoint: 9,
};

const KIND_BONUS = { 0: 3, 1: 3, 2: 2, 3: 1 };

function importance(place) {
  return (place.degree ?? 0) + (KIND_BONUS[KIND_RANK[place.kind] ?? 6] ?? 0);
}

/** A place's name on the map: short, "Port of Aktau" -> "Aktau", "Istanbul ports" -> "Istanbul". */
export function labelName(name) {
  return shortName(name).replace(/^Port of /, "").replace(/ ports?$/, "");
}

/** A place name without its parenthesised detail: "Xi'an (dry port)" -> "Xi'an". */
export function shortName(name) {
  const head = String(name ?? "").split(" (")[0].trim();
  return head || String(name ?? "");
}

function statusOf(props) {
  return props.status ? String(props.status) : "open";
}

function linkStyle(props) {
  const status = statusOf(props);
  return {
    color: MODE_COLOURS[props.mode] ?? OTHER_COLOUR,
    weight: status === "open" ? 2 : 1.5,
    opacity: status === "closed" ? 0.35 : 0.85,
    dashArray: status === "planned" ? "6 5" : status === "closed" ? "1 4" : null,
    className: `net-link mode-${props.mode} status-${status}`,
  };
}

/** Escape text for Leaflet tooltips (which take HTML). */
function esc(text) {
  return String(text ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

/**
 * Make longitudes of a ring continuous: a ring crossing the antimeridian jumps from +180 to
 * -180, which Leaflet draws as a line across the whole map. Shifting by 360° keeps it whole.
 */
function unwrapRing(ring) {
  let shift = 0;
  let prev = null;
  return ring.map(([lon, lat]) => {
    if (prev !== null) {
      const d = lon + shift - prev;
      if (d > 180) shift -= 360;
      else if (d < -180) shift += 360;
    }
    prev = lon + shift;
    return [lon + shift, lat];
  });
}

function unwrapGeometry(geometry) {
  if (!geometry) return geometry;
  if (geometry.type === "Polygon") {
    return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
  }
  if (geometry.type === "MultiPolygon") {
    return {
      ...geometry,
      coordinates: geometry.coordinates.map((poly) => poly.map(unwrapRing)),
    };
  }
  return geometry;
}

/** Signed area and centroid of a ring (planar, in degrees: good enough to place a name). */
function ringCentroid(ring) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (a === 0) return { area: 0, lon: ring[0][0], lat: ring[0][1] };
  return { area: Math.abs(a / 2), lon: cx / (3 * a), lat: cy / (3 * a) };
}

function labelPoint(geometry) {
  const polys =
    geometry?.type === "Polygon"
      ? [geometry.coordinates]
      : geometry?.type === "MultiPolygon"
        ? geometry.coordinates
        : [];
  let best = null;
  for (const poly of polys) {
    const c = ringCentroid(poly[0]);
    if (!best || c.area > best.area) best = c;
  }
  return best;
}

/** Keep every drawn element out of the Tab order: the map is one Tab stop (arrow keys pan). */
function untab(root) {
  const apply = (el) => {
    if (el.getAttribute?.("tabindex") !== "-1") el.setAttribute("tabindex", "-1");
  };
  const selector = "path, .leaflet-marker-icon, a.leaflet-popup-close-button";
  root.querySelectorAll(selector).forEach(apply);
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.matches?.(selector)) apply(node);
        node.querySelectorAll?.(selector).forEach(apply);
      }
    }
  }).observe(root, { childList: true, subtree: true });
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
      minZoom: 2,
      maxZoom: 12,
      keyboard: true,
      zoomSnap: 0.25,
      preferCanvas: false,
    });
    this.map.fitBounds(OPENING_BOUNDS);
    this.map.attributionControl.setPrefix(false);
    for (const [name, z] of [
      ["basemap", 200],
      ["areaLabels", 250],
      ["network", 400],
      ["flows", 420],
      ["routes", 450],
      ["places", 620],
      ["placeLabels", 630],
    ]) {
      const pane = this.map.createPane(name);
      pane.style.zIndex = String(z);
      if (name.endsWith("Labels")) pane.style.pointerEvents = "none";
    }
    untab(el);
    this.outlines = null;
    this.osm = Leaflet.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      pane: "basemap",
      attribution:
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    });
    this.areaLabels = Leaflet.layerGroup().addTo(this.map);
    this.networkLayer = Leaflet.layerGroup().addTo(this.map);
    this.nodeLayer = Leaflet.layerGroup().addTo(this.map);
    this.labelLayer = Leaflet.layerGroup().addTo(this.map);
    this.resultLayer = Leaflet.layerGroup().addTo(this.map);
    this.routeLayers = [];
    this.selected = -1;
    this.nodes = new Map();
    this.countryLabels = [];
    // The map's column changes width when the results column opens or closes.
    new ResizeObserver(() => this.map.invalidateSize({ pan: false })).observe(el);
    this.map.on("zoomend", () => this.scheduleLabels());
    this.map.on("moveend", () => {
      const b = this.map.getBounds();
      // What is in view, for tests and the URL: [west, south, east, north].
      el.dataset.bounds = JSON.stringify(
        [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Math.round(v * 100) / 100),
      );
      this.scheduleLabels();
    });
  }

  /** Load the bundled country outlines (TopoJSON) as the offline basemap. */
  async loadOutlines(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`country outlines: ${response.status}`);
    const topology = await response.json();
    const countries = window.topojson.feature(topology, topology.objects.countries);
    countries.features = countries.features.map((f) => ({
      ...f,
      geometry: unwrapGeometry(f.geometry),
    }));
    this.outlines = L()
      .geoJSON(countries, {
        pane: "basemap",
        interactive: false,
        style: { color: "#8a8f98", weight: 0.8, fillColor: MAP_BACKGROUNDS.land, fillOpacity: 1 },
      })
      .addTo(this.map);
    this.countryLabels = countries.features
      .map((f) => {
        const at = labelPoint(f.geometry);
        const name = f.properties?.name;
        return at && name
          ? { name: COUNTRY_NAMES[name] ?? name, lat: at.lat, lon: at.lon, area: at.area }
          : null;
      })
      .filter(Boolean)
      .sort((a, b) => b.area - a.area);
    this.map.attributionControl.addAttribution("Countries: Natural Earth (public domain)");
    this.drawLabels();
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
    this.scheduleLabels();
  }

  /** Name the map once in the next frame, however many changes ask for it before then. */
  scheduleLabels() {
    if (this.labelsPending) return;
    this.labelsPending = true;
    requestAnimationFrame(() => {
      this.labelsPending = false;
      this.drawLabels();
    });
  }

  /**
   * Name places, countries and seas: the most important first, skipping any name that would
   * overlap one already placed (so zooming in names more places).
   */
  drawLabels() {
    const Leaflet = L();
    this.labelLayer.clearLayers();
    this.areaLabels.clearLayers();
    const size = this.map.getSize();
    const taken = [];
    const fits = (x, y, w, hgt) => {
      if (x < 0 || y < 0 || x + w > size.x || y + hgt > size.y) return false;
      for (const b of taken) {
        if (x < b.x + b.w && x + w > b.x && y < b.y + b.h && y + hgt > b.y) return false;
      }
      taken.push({ x, y, w, h: hgt });
      return true;
    };
    const zoom = this.map.getZoom();
    const place = (latlng, text, cls, layer, { dx = 0, anchor = "middle" } = {}) => {
      const p = this.map.latLngToContainerPoint(latlng);
      const big = cls !== "place-label";
      const w = text.length * (big ? 7.4 : 6.6) + 6;
      const hgt = big ? 16 : 15;
      const x = anchor === "start" ? p.x + dx : anchor === "end" ? p.x - dx - w : p.x - w / 2;
      const y =
        anchor === "above" ? p.y - 6 - hgt : anchor === "below" ? p.y + 6 : p.y - hgt / 2;
      if (!fits(x, y, w, hgt)) return false;
      Leaflet.marker(latlng, {
        pane: layer === this.labelLayer ? "placeLabels" : "areaLabels",
        interactive: false,
        keyboard: false,
        icon: Leaflet.divIcon({
          className: `map-label ${cls}`,
          html: `<span>${esc(text)}</span>`,
          iconSize: [w, hgt],
          iconAnchor: {
            start: [-dx, hgt / 2],
            end: [w + dx, hgt / 2],
            above: [w / 2, hgt + 6],
            below: [w / 2, -6],
          }[anchor] ?? [w / 2, hgt / 2],
        }),
      }).addTo(layer);
      return true;
    };
    // Route ends and bottlenecks carry their own names; keep clear of them.
    for (const el of this.map.getContainer().querySelectorAll(".leaflet-tooltip-permanent")) {
      const box = el.getBoundingClientRect();
      const origin = this.map.getContainer().getBoundingClientRect();
      taken.push({ x: box.left - origin.left, y: box.top - origin.top, w: box.width, h: box.height });
    }
    // Importance: links at the place plus a bonus for cities and ports; zoomed out, only
    // cities, ports and the best-connected other places are candidates, and the most
    // important are named first.
    const least = zoom < 4.5 ? 4 : zoom < 5.5 ? 2 : 0;
    const places = [...this.nodes.values()]
      .filter(
        (p) => p.kind !== "waypoint" && ((KIND_RANK[p.kind] ?? 6) <= 1 || importance(p) >= least),
      )
      .sort((a, b) => importance(b) - importance(a));
    for (const [name, lat, lon] of SEAS) place([lat, lon], name, "sea-label", this.areaLabels);
    // Right of each place first; then, for those still unnamed, left of, above or below it
    // (so a place named elsewhere never takes the spot of a more important place's name).
    const unnamed = places.filter(
      (p) =>
        !place([p.lat, p.lon], labelName(p.name), "place-label", this.labelLayer, {
          dx: 6,
          anchor: "start",
        }),
    );
    for (const p of unnamed) {
      for (const anchor of ["end", "above", "below"]) {
        if (place([p.lat, p.lon], labelName(p.name), "place-label", this.labelLayer, { dx: 6, anchor })) {
          break;
        }
      }
    }
    // A country's name goes at its centre or, when a place is named there, nearby.
    const nudges = [
      [0, 0], [0, -20], [0, 20], [0, -40], [0, 40], [-60, 0], [60, 0],
      [-60, -30], [60, -30], [-60, 30], [60, 30], [0, -60], [0, 60],
    ];
    for (const c of this.countryLabels) {
      const at = this.map.latLngToContainerPoint([c.lat, c.lon]);
      for (const [dx, dy] of nudges) {
        const spot = this.map.containerPointToLatLng([at.x + dx, at.y + dy]);
        if (place(spot, c.name, "country-label", this.areaLabels)) break;
      }
    }
  }

  /** Draw the network: links styled by mode and status, nodes as small circles. */
  setNetwork(collection) {
    const Leaflet = L();
    this.networkLayer.clearLayers();
    this.nodeLayer.clearLayers();
    const links = collection.features.filter((f) => f.geometry?.type === "LineString");
    const nodes = collection.features.filter((f) => f.geometry?.type === "Point");
    this.nodes = new Map(
      nodes.map((f) => [
        f.properties.node_id,
        { ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] },
      ]),
    );
    // Places with more links are named first among places of a kind.
    for (const f of links) {
      for (const end of [f.properties.from_node, f.properties.to_node]) {
        const node = this.nodes.get(end);
        if (node) node.degree = (node.degree ?? 0) + 1;
      }
    }
    const nameOf = (id) => this.nodes.get(id)?.name ?? id;
    Leaflet.geoJSON(
      { type: "FeatureCollection", features: links },
      {
        pane: "network",
        style: (f) => linkStyle(f.properties),
        onEachFeature: (f, layer) =>
          layer.bindTooltip(this.linkTooltip(f.properties, nameOf), { sticky: true }),
      },
    ).addTo(this.networkLayer);
    for (const f of nodes) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const important = (KIND_RANK[p.kind] ?? 6) <= 2;
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
    this.drawLabels();
  }

  linkTooltip(props, nameOf) {
    const status = statusOf(props);
    const when =
      status === "planned" && props.opening_year ? ` (opens ${props.opening_year})` : "";
    const parts = [
      `${shortName(nameOf(props.from_node))} – ${shortName(nameOf(props.to_node))}`,
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

  placePopup(props) {
    const pick = (role) => () => {
      this.onPlace?.(props, role);
      this.map.closePopup();
    };
    return h(
      "div",
      { class: "place-popup" },
      h("strong", {}, props.name ?? props.node_id),
      h(
        "div",
        { class: "muted" },
        `${props.country ?? ""} · ${(props.kind ?? "").replace(/_/g, " ")}`,
      ),
      h(
        "div",
        { class: "popup-actions" },
        h("button", { type: "button", onclick: pick("origin") }, "Ship from here"),
        h("button", { type: "button", onclick: pick("destination") }, "Ship to here"),
      ),
    );
  }

  /** Remove every result (routes, flows, comparison) from the map. */
  clearResults({ restyle = true } = {}) {
    this.resultLayer.clearLayers();
    this.routeLayers = [];
    this.selected = -1;
    if (restyle) this.networkLayer.eachLayer((g) => g.setStyle?.((f) => linkStyle(f.properties)));
    this.scheduleLabels();
  }

  dimNetwork() {
    this.networkLayer.eachLayer((g) =>
      g.setStyle?.((f) => ({ ...linkStyle(f.properties), opacity: 0.3 })),
    );
  }

  /**
   * Draw routes, each in its card's colour: the selected one solid on a white casing with
   * its border crossings, gauge changes and transshipments, the others dashed.
   *
   * @param {object[]} routes API routes, each with a `geojson` FeatureCollection
   * @param {(i: number) => void} onSelect called when a route is clicked on the map
   */
  showRoutes(routes, onSelect) {
    const Leaflet = L();
    this.clearResults({ restyle: false });
    this.dimNetwork();
    this.routeLayers = routes.map((route, i) => {
      const colour = colourOf(i);
      const group = Leaflet.featureGroup();
      const casing = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        style: { color: "#ffffff", weight: 9, opacity: 0.95, lineCap: "round" },
        interactive: false,
      });
      const legs = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        style: () => ({
          color: colour,
          weight: 5,
          opacity: 1,
          lineCap: "round",
          className: `route-leg route-${i}`,
        }),
        onEachFeature: (f, layer) => {
          const p = f.properties;
          layer.bindTooltip(
            `Route ${i + 1}: ${esc(shortName(p.from_name))} → ${esc(shortName(p.to_name))}` +
              `<br>${esc(modeName(p.mode))}, ${num(p.distance_km)} km, ${days(p.time_h)} d, ` +
              `${num(p.cost_usd)} USD`,
            { sticky: true },
          );
          layer.on("click", () => onSelect?.(i));
        },
      });
      const ghost = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        style: {
          color: colour,
          weight: 4,
          opacity: 0.9,
          dashArray: "3 7",
          className: `route-alt route-${i}`,
        },
        onEachFeature: (f, layer) => {
          layer.bindTooltip(
            `Route ${i + 1}: ${esc(corridorName(route.corridor))} (click to select)`,
            { sticky: true },
          );
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
    this.addStops(chosen.group, chosen.route);
    this.addEnds(chosen.group, chosen.route);
    chosen.group.eachLayer((l) => l.bringToFront?.());
    if (fit) {
      const bounds = chosen.legs.getBounds();
      if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [60, 60], animate: false });
    }
    this.scheduleLabels();
  }

  /** Symbols where a route changes: border crossings, gauge changes and transshipments. */
  addStops(group, route) {
    const Leaflet = L();
    for (const stop of routeStops(route)) {
      const at = this.nodes.get(stop.node);
      if (!at) continue;
      Leaflet.marker([at.lat, at.lon], {
        pane: "places",
        keyboard: false,
        icon: Leaflet.divIcon({
          className: `route-stop stop-${stop.kind}`,
          html: `<span aria-hidden="true">${STOP_SYMBOLS[stop.kind]}</span>`,
          iconSize: [16, 16],
          iconAnchor: [8, 8],
        }),
      })
        .bindTooltip(esc(stop.text))
        .addTo(group);
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
        .bindTooltip(esc(shortName(label)), {
          permanent: true,
          direction: "auto",
          offset: [8, 0],
        })
        .addTo(group);
    }
  }

  /** Draw two routes in two colours for a comparison. */
  showComparison(base, other) {
    const Leaflet = L();
    this.clearResults({ restyle: false });
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
          opacity: offset ? 1 : 0.7,
          dashArray: offset ? "8 6" : null,
          className: `compare-${key}`,
        },
        onEachFeature: (f, l) =>
          l.bindTooltip(
            `${key}: ${esc(shortName(f.properties.from_name))} → ` +
              `${esc(shortName(f.properties.to_name))}`,
            { sticky: true },
          ),
      }).addTo(this.resultLayer);
      bounds.extend(layer.getBounds());
    }
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [60, 60], animate: false });
    this.scheduleLabels();
  }

  /**
   * Draw what changes between two routes, link by link: the links only the other route uses
   * (added), those only the base route uses (removed) and those both use, coloured by sign.
   *
   * @returns {{added: number, removed: number, same: number}} links of each kind
   */
  showDifference(base, other) {
    const Leaflet = L();
    this.clearResults({ restyle: false });
    this.dimNetwork();
    const ids = (route) => new Set((route?.geojson?.features ?? []).map((f) => f.id ?? f.properties?.item_id));
    const inBase = ids(base);
    const inOther = ids(other);
    const counts = { added: 0, removed: 0, same: 0 };
    const bounds = Leaflet.latLngBounds([]);
    const draw = (route, kindOf) => {
      if (!route?.geojson) return;
      const layer = Leaflet.geoJSON(route.geojson, {
        pane: "routes",
        filter: (f) => kindOf(f.id ?? f.properties?.item_id) !== null,
        style: (f) => {
          const kind = kindOf(f.id ?? f.properties?.item_id);
          counts[kind] += 1;
          return {
            color: DIFFERENCE_COLOURS[kind],
            weight: kind === "same" ? 3 : 6,
            opacity: 1,
            dashArray: kind === "removed" ? "8 6" : null,
            className: `difference-${kind}`,
          };
        },
        onEachFeature: (f, l) => {
          const kind = kindOf(f.id ?? f.properties?.item_id);
          const what = { added: "used only under the other scenario", removed: "used only under the base", same: "used under both" }[kind];
          l.bindTooltip(
            `${esc(shortName(f.properties.from_name))} → ${esc(shortName(f.properties.to_name))}: ${what}`,
            { sticky: true },
          );
        },
      }).addTo(this.resultLayer);
      if (layer.getLayers().length > 0) bounds.extend(layer.getBounds());
    };
    draw(base, (id) => (inOther.has(id) ? "same" : "removed"));
    draw(other, (id) => (inBase.has(id) ? null : "added"));
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [60, 60], animate: false });
    this.scheduleLabels();
    return counts;
  }

  /**
   * Draw assigned flows: line width by flow, colour by utilisation (grey dashes where the
   * network has no capacity figure), and every capacitated place the flows use as a circle
   * sized by its shadow price, binding ones named.
   *
   * @param {object} result the assignment result of the API
   * @returns {{maxFlow: number}} what the width key needs
   */
  showFlows(result) {
    const Leaflet = L();
    this.clearResults({ restyle: false });
    this.dimNetwork();
    const flows = (result.link_flows?.features ?? []).filter(
      (f) => (f.properties?.flow_t_per_year ?? 0) > 0,
    );
    const maxFlow = Math.max(1, ...flows.map((f) => f.properties.flow_t_per_year));
    const layer = Leaflet.geoJSON(
      { type: "FeatureCollection", features: flows },
      {
        pane: "flows",
        style: (f) => {
          const p = f.properties;
          const known = p.utilisation != null;
          return {
            color: utilisationColour(p.utilisation),
            weight: flowWidth(p.flow_t_per_year, maxFlow),
            opacity: 0.9,
            lineCap: known ? "round" : "butt",
            dashArray: known ? null : NO_CAPACITY.dash,
            className: `flow-link ${known ? "flow-known" : "flow-no-capacity"}`,
          };
        },
        onEachFeature: (f, l) => {
          const p = f.properties;
          l.bindTooltip(
            `${esc(shortName(p.from_name))} – ${esc(shortName(p.to_name))} ` +
              `(${esc(modeName(p.mode))})<br>${num(p.flow_t_per_year / 1e6, 2)} Mt/yr` +
              (p.utilisation != null
                ? `, ${pct(p.utilisation)} of capacity`
                : ", no capacity figure in the network"),
            { sticky: true },
          );
        },
      },
    ).addTo(this.resultLayer);
    const maxPrice = Math.max(
      1,
      ...(result.capacities ?? []).map((c) => c.shadow_price_usd_per_unit ?? 0),
    );
    const seen = new Set();
    const places = [...(result.capacities ?? [])]
      .filter((c) => c.lat != null && c.lon != null)
      .sort((a, b) => (b.shadow_price_usd_per_unit ?? 0) - (a.shadow_price_usd_per_unit ?? 0));
    for (const c of places) {
      const key = `${c.kind}:${c.item_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const price = c.shadow_price_usd_per_unit ?? 0;
      const binding = Boolean(c.binding);
      const unit = c.unit === "teu" ? "TEU" : "t";
      const text =
        `${shortName(c.name)}: ${pct(c.utilisation)} of ${num(c.capacity_per_year)} ${unit}/yr` +
        (binding ? `, shadow price ${num(price)} USD/${unit}` : "");
      Leaflet.circleMarker([c.lat, c.lon], {
        pane: "places",
        radius: binding ? 8 + 10 * Math.sqrt(price / maxPrice) : 5,
        color: "#111",
        weight: binding ? 2.5 : 1.5,
        fillColor: utilisationColour(c.utilisation),
        fillOpacity: 0.9,
        className: `capacity-node${binding ? " binding-node" : ""}`,
      })
        .bindTooltip(esc(text), binding ? { permanent: true, direction: "auto", offset: [10, 0], className: "binding-label" } : {})
        .addTo(this.resultLayer);
    }
    const bounds = layer.getBounds();
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [20, 20], animate: false });
    this.scheduleLabels();
    return { maxFlow };
  }
}

/** Line width of a flow: square-root scale from 2 px to 16 px at the largest flow. */
export function flowWidth(flow, maxFlow) {
  return 2 + 14 * Math.sqrt(flow / maxFlow);
}

const STOP_SYMBOLS = { border: "⊘", gauge: "⇹", transshipment: "⇄" };

/**
 * Where a route changes: border crossings (a leg entering another country), gauge changes
 * and transshipments (transfer legs).
 *
 * @returns {{kind: "border"|"gauge"|"transshipment", node: string, text: string}[]}
 */
export function routeStops(route) {
  const stops = [];
  for (const leg of route.legs ?? []) {
    if (leg.kind === "transfer") {
      const [a, b] = String(leg.mode ?? "").split(">");
      const gauge = a?.startsWith("rail_") && b?.startsWith("rail_");
      stops.push({
        kind: gauge ? "gauge" : "transshipment",
        node: leg.from_node,
        text:
          `${shortName(leg.from_name)}: ${gauge ? "gauge change" : "transshipment"} ` +
          `${modeName(a)} → ${modeName(b)}, ${days(leg.time_h)} d`,
      });
    } else if ((leg.countries ?? []).length > 1) {
      const [from, to] = [leg.countries[0], leg.countries.at(-1)];
      stops.push({
        kind: "border",
        node: leg.to_node,
        text:
          `Border ${from} → ${to} on ${shortName(leg.from_name)} – ${shortName(leg.to_name)}` +
          (leg.border_h ? `, ${num(leg.border_h)} h at the border` : ""),
      });
    }
  }
  return stops;
}

/**
 * Fill the legend for what the map shows: the network (modes and status), routes (each
 * route's colour), a comparison (base against other) or flows (utilisation and width).
 *
 * @param {HTMLElement} el
 * @param {{view?: string, routes?: object[], names?: object, maxFlow?: number}} options
 */
export function renderLegend(el, { view = "network", routes = [], names = {}, maxFlow = 0 } = {}) {
  const lists = [];
  if (view === "routes") {
    lists.push(
      h(
        "ul",
        { class: "legend-list", "aria-label": "Routes" },
        h("li", { class: "legend-head" }, "Routes"),
        routes.slice(0, 6).map((r, i) =>
          h("li", {}, lineSwatch(colourOf(i), null, 4), `${i + 1} ${shortCorridor(r.corridor)}`),
        ),
        routes.length > 6
          ? h("li", {}, lineSwatch(colourOf(6), null, 4), `${7}–${routes.length}`)
          : null,
        h("li", {}, h("span", { class: "stop-key", "aria-hidden": "true" }, STOP_SYMBOLS.border), "border"),
        h("li", {}, h("span", { class: "stop-key", "aria-hidden": "true" }, STOP_SYMBOLS.gauge), "gauge change"),
        h("li", {}, h("span", { class: "stop-key", "aria-hidden": "true" }, STOP_SYMBOLS.transshipment), "transshipment"),
      ),
    );
  } else if (view === "compare") {
    lists.push(
      h(
        "ul",
        { class: "legend-list", "aria-label": "Comparison" },
        h("li", { class: "legend-head" }, "Best route"),
        h("li", {}, lineSwatch(COMPARE_COLOURS.base, null, 6), names.base || "Base network"),
        h("li", {}, lineSwatch(COMPARE_COLOURS.other, "8 6", 4), names.other || "Base network"),
      ),
    );
  } else if (view === "difference") {
    lists.push(
      h(
        "ul",
        { class: "legend-list", "aria-label": "What changes" },
        h("li", { class: "legend-head" }, "Links, other against base"),
        h("li", {}, lineSwatch(DIFFERENCE_COLOURS.added, null, 5), "starts using (+)"),
        h("li", {}, lineSwatch(DIFFERENCE_COLOURS.removed, "8 6", 5), "stops using (−)"),
        h("li", {}, lineSwatch(DIFFERENCE_COLOURS.same, null, 3), "both use"),
      ),
    );
  } else if (view === "flows") {
    lists.push(
      h(
        "ul",
        { class: "legend-list", "aria-label": "Capacity used" },
        h("li", { class: "legend-head" }, "Capacity used"),
        UTILISATION_STEPS.map(([share, label]) =>
          h("li", {}, lineSwatch(utilisationColour(share + 1e-6), null, 5), label),
        ),
        h("li", {}, lineSwatch(NO_CAPACITY.colour, NO_CAPACITY.dash, 5), "no capacity figure"),
        h("li", {}, h("span", { class: "node-key", "aria-hidden": "true" }), "capacity at a place"),
      ),
      h(
        "ul",
        { class: "legend-list", "aria-label": "Flow per year" },
        h("li", { class: "legend-head" }, "Flow per year"),
        [1, 0.25, 0.04].map((f) =>
          h(
            "li",
            {},
            lineSwatch("#555", null, flowWidth(f * maxFlow, maxFlow), 20),
            `${num((f * maxFlow) / 1e6, 2)} Mt`,
          ),
        ),
      ),
    );
  }
  if (view === "network") {
    const modes = [
      ["rail_1520", "Rail 1520 mm"],
      ["rail_1435", "Rail 1435 mm"],
      ["caspian_ferry", "Caspian / lake ship"],
      ["sea", "Sea"],
      ["pipeline", "Pipeline"],
      ["road", "Road"],
    ];
    const items = modes.map(([m, label]) =>
      h("li", {}, lineSwatch(MODE_COLOURS[m]), label),
    );
    items.push(h("li", {}, lineSwatch("#333", "6 5"), "Planned"));
    items.push(h("li", {}, lineSwatch("#333", "1 4"), "Closed"));
    lists.push(
      h(
        "ul",
        { class: "legend-list", "aria-label": "Network modes and status" },
        items,
      ),
    );
  }
  el.dataset.view = view;
  el.replaceChildren(...lists);
}

function shortCorridor(label) {
  const text = corridorName(label);
  return text.length > 34 ? `${text.slice(0, 33)}…` : text;
}

function lineSwatch(colour, dash, width = 3, height = 10) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", String(Math.max(height, Math.ceil(width) + 2)));
  svg.setAttribute("aria-hidden", "true");
  const line = document.createElementNS(ns, "line");
  const y = Math.max(height, Math.ceil(width) + 2) / 2;
  for (const [k, v] of Object.entries({ x1: 1, y1: y, x2: 27, y2: y, stroke: colour })) {
    line.setAttribute(k, String(v));
  }
  line.setAttribute("stroke-width", String(width));
  line.setAttribute("class", "swatch-line");
  if (dash) line.setAttribute("stroke-dasharray", dash);
  svg.append(line);
  return svg;
}
