// Charts (Chart.js from npm): transit time distributions, Pareto trade-offs, outlook fans.
import { colourOf, h, num } from "./dom.js";

export { colourOf };

const charts = new WeakMap();

/** A canvas for a chart, with a text alternative for screen readers. */
export function chartCanvas(label, { height = 220 } = {}) {
  const canvas = h("canvas", { role: "img", "aria-label": label });
  const box = h("div", { class: "chart-box", style: `height:${height}px` }, canvas);
  return { box, canvas };
}

function draw(canvas, config) {
  charts.get(canvas)?.destroy();
  const chart = new window.Chart(canvas, config);
  charts.set(canvas, chart);
  return chart;
}

/**
 * Normalise a histogram from the API to bins {from_h, to_h, count}.
 * Accepts {edges_h|bin_edges_h|edges, counts}, a list of bins, or {bins: [...]}.
 */
export function histogramBins(hist) {
  if (!hist) return [];
  if (Array.isArray(hist)) {
    return hist.map((b) => ({
      from_h: b.from_h ?? b.lo_h ?? b.start_h ?? b[0],
      to_h: b.to_h ?? b.hi_h ?? b.end_h ?? b[1],
      count: b.count ?? b.n ?? b.share ?? b[2],
    }));
  }
  if (hist.bins) return histogramBins(hist.bins);
  const edges = hist.edges_h ?? hist.bin_edges_h ?? hist.edges ?? [];
  const counts = hist.counts ?? hist.count ?? hist.shares ?? [];
  return counts.map((count, i) => ({ from_h: edges[i], to_h: edges[i + 1], count }));
}

/**
 * Transit time distributions of several routes as cumulative step lines: the share of
 * shipments that have arrived by each day (P50 and P90 read off at 50% and 90%).
 *
 * @param {HTMLCanvasElement} canvas
 * @param {{label: string, histogram: object}[]} series
 * @param {{deadline_h?: number|null}} options
 */
export function timeDistributionChart(canvas, series, { deadline_h = null } = {}) {
  const datasets = series.map((s, i) => {
    const bins = histogramBins(s.histogram);
    const total = bins.reduce((a, b) => a + b.count, 0) || 1;
    let seen = 0;
    const points = bins.length > 0 ? [{ x: bins[0].from_h / 24, y: 0 }] : [];
    for (const b of bins) {
      seen += b.count;
      points.push({ x: b.to_h / 24, y: (100 * seen) / total });
    }
    return {
      label: s.label,
      data: points,
      borderColor: colourOf(i),
      backgroundColor: colourOf(i),
      fill: false,
      pointRadius: 0,
      borderWidth: 2,
      tension: 0,
    };
  });
  // Cut the long thin tail: stop where every route has 99.5% of its shipments in.
  const lastX = Math.max(
    ...datasets.map((d) => (d.data.find((p) => p.y >= 99.5) ?? d.data.at(-1) ?? { x: 1 }).x),
    deadline_h != null ? deadline_h / 24 : 0,
  );
  if (deadline_h != null) {
    datasets.push({
      label: `deadline ${num(deadline_h / 24, 1)} d`,
      data: [
        { x: deadline_h / 24, y: 0 },
        { x: deadline_h / 24, y: 100 },
      ],
      borderColor: "#333",
      borderDash: [4, 4],
      borderWidth: 1.5,
      pointRadius: 0,
    });
  }
  return draw(canvas, {
    type: "line",
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: "nearest", intersect: false },
      scales: {
        x: {
          type: "linear",
          min: Math.floor(Math.min(...datasets.flatMap((d) => d.data.map((p) => p.x)))),
          max: Math.ceil(lastX),
          title: { display: true, text: "transit time (days)" },
        },
        y: {
          min: 0,
          max: 100,
          ticks: { stepSize: 25, callback: (v) => `${v}%` },
          title: { display: true, text: "shipments arrived" },
        },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label}: ${num(ctx.raw.y, 0)}% by day ${num(ctx.raw.x, 1)}` },
        },
      },
    },
  });
}

/**
 * Pareto trade-offs: time against money, front routes in colour, dominated in grey.
 *
 * @param {HTMLCanvasElement} canvas
 * @param {object[]} front routes on the front
 * @param {object[]} dominated other routes found
 * @param {(i: number) => void} onPick called with the index of a front route clicked
 */
export function paretoChart(canvas, front, dominated, onPick, { selected = 0, unit = "unit" } = {}) {
  const point = (item, i) => {
    const r = item.route ?? item;
    return {
    x: r.totals.time_h / 24,
    y: r.totals.cost_usd,
    i,
    corridor: r.corridor,
  };
  };
  const chart = draw(canvas, {
    type: "scatter",
    data: {
      datasets: [
        {
          label: "Pareto front",
          data: front.map(point),
          backgroundColor: front.map((_r, i) => colourOf(i)),
          borderColor: front.map((_r, i) => (i === selected ? "#000" : "#fff")),
          borderWidth: front.map((_r, i) => (i === selected ? 3 : 1)),
          pointRadius: front.map((_r, i) => (i === selected ? 9 : 6)),
          pointHoverRadius: 9,
        },
        {
          label: "Dominated",
          data: dominated.map(point),
          backgroundColor: "#9a9a9a",
          pointRadius: 3,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { title: { display: true, text: "transit time (days)" } },
        y: { title: { display: true, text: `USD per ${unit}` } },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              `${ctx.raw.corridor}: ${num(ctx.raw.x, 1)} d, ${num(ctx.raw.y)} USD`,
          },
        },
      },
      onClick: (_event, elements) => {
        const hit = elements.find((e) => e.datasetIndex === 0);
        if (hit) onPick?.(hit.index);
      },
    },
  });
  return chart;
}

/**
 * A fan chart of an outlook: median line and shaded quantile bands per year.
 *
 * Accepts {years|year: [...], p10: [...], p50: [...], ...} or a list of rows with `year`.
 */
export function fanChart(canvas, outlook, { label = "value", unit = "" } = {}) {
  let rows = Array.isArray(outlook) ? outlook : outlook?.rows ?? outlook?.series;
  if (!rows && outlook) {
    const years = outlook.years ?? outlook.year ?? [];
    rows = years.map((year, i) => {
      const row = { year };
      for (const [k, v] of Object.entries(outlook)) if (Array.isArray(v)) row[k] = v[i];
      return row;
    });
  }
  rows = rows ?? [];
  const keys = Object.keys(rows[0] ?? {})
    .filter((k) => /^p\d+/.test(k))
    .sort((a, b) => parseInt(a.slice(1), 10) - parseInt(b.slice(1), 10));
  const datasets = [];
  const n = keys.length;
  for (let i = 0; i < Math.floor(n / 2); i++) {
    const lo = keys[i];
    const hi = keys[n - 1 - i];
    datasets.push({
      label: `${lo}–${hi}`,
      data: rows.map((r) => ({ x: r.year, y: r[hi] })),
      borderWidth: 0,
      pointRadius: 0,
      // Slate, not a mode's or a route's colour (those belong to the map's lines).
      backgroundColor: `rgba(84,91,100,${0.15 + 0.12 * i})`,
      fill: "+1",
    });
    datasets.push({
      label: `_${lo}`,
      data: rows.map((r) => ({ x: r.year, y: r[lo] })),
      borderWidth: 0,
      pointRadius: 0,
      fill: false,
    });
  }
  const mid = keys.find((k) => k === "p50") ?? keys[Math.floor(n / 2)];
  if (mid) {
    datasets.push({
      label: "median",
      data: rows.map((r) => ({ x: r.year, y: r[mid] })),
      borderColor: "#12324f",
      borderWidth: 2,
      pointRadius: 2,
      fill: false,
    });
  }
  return draw(canvas, {
    type: "line",
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: "linear", ticks: { precision: 0 }, title: { display: true, text: "year" } },
        y: { title: { display: true, text: unit ? `${label} (${unit})` : label } },
      },
      plugins: {
        legend: {
          position: "bottom",
          labels: { boxWidth: 12, filter: (item) => !item.text.startsWith("_") },
        },
      },
    },
  });
}
