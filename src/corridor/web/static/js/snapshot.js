// The map as a picture: its drawn layers, names and legend painted onto a canvas as a PNG.
//
// The map is vector (SVG layers, HTML names); each layer is serialised with the styles it is
// drawn with and painted where it is on screen, so the picture is what the user sees. Online
// tiles are left out (their images come from another site and would taint the canvas).

const STYLE_KEYS = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "opacity",
];

/** Paint an SVG element onto the canvas at its place on screen. */
async function paintSvg(ctx, svg, origin) {
  const box = svg.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return;
  const clone = svg.cloneNode(true);
  const source = svg.querySelectorAll("*");
  const copies = clone.querySelectorAll("*");
  source.forEach((el, i) => {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") {
      copies[i].setAttribute("display", "none");
      return;
    }
    copies[i].setAttribute(
      "style",
      STYLE_KEYS.map((k) => `${k}:${style.getPropertyValue(k)}`).join(";"),
    );
  });
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(box.width));
  clone.setAttribute("height", String(box.height));
  clone.style.transform = "";
  const text = new XMLSerializer().serializeToString(clone);
  // A data: address, which the page's content security policy allows for images.
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  ctx.drawImage(img, box.left - origin.left, box.top - origin.top, box.width, box.height);
}

/** Paint the text of an element (names, legend, attribution) with its own font and colour. */
function paintText(ctx, root, origin) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\s+/g, " ").trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest(".visually-hidden, [hidden], svg")) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0) continue;
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    ctx.textBaseline = "middle";
    const x = box.left - origin.left;
    const y = box.top - origin.top + box.height / 2;
    if (parent.closest(".map-label")) {
      // Names carry a light halo on the map, drawn the same way here.
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.strokeText(text, x, y);
    }
    ctx.fillStyle = style.color;
    ctx.fillText(text, x, y);
  }
}

/** Paint an HTML box (legend, tooltip) as its background and border. */
function paintBox(ctx, el, origin) {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  if (box.width === 0) return;
  ctx.fillStyle = style.backgroundColor;
  ctx.fillRect(box.left - origin.left, box.top - origin.top, box.width, box.height);
  if (parseFloat(style.borderTopWidth) > 0) {
    ctx.strokeStyle = style.borderTopColor;
    ctx.lineWidth = 1;
    ctx.strokeRect(box.left - origin.left + 0.5, box.top - origin.top + 0.5, box.width - 1, box.height - 1);
  }
}

/**
 * The map area (map, its names and its legend) as a PNG.
 *
 * @param {HTMLElement} wrap the element holding the map and its legend
 * @returns {Promise<Blob>}
 */
export async function mapPng(wrap) {
  const origin = wrap.getBoundingClientRect();
  const scale = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(origin.width * scale);
  canvas.height = Math.round(origin.height * scale);
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  const map = wrap.querySelector(".leaflet-container");
  ctx.fillStyle = map ? getComputedStyle(map).backgroundColor : "#ffffff";
  ctx.fillRect(0, 0, origin.width, origin.height);
  // Panes in the order they are stacked; within a pane, in document order.
  const panes = [...wrap.querySelectorAll(".leaflet-pane")]
    .filter((p) => p.querySelector(":scope > svg, :scope > .leaflet-marker-icon, :scope > .leaflet-tooltip"))
    .map((p, i) => ({ p, z: Number(getComputedStyle(p).zIndex) || 0, i }))
    .sort((a, b) => a.z - b.z || a.i - b.i);
  for (const { p } of panes) {
    for (const child of p.children) {
      if (child instanceof SVGSVGElement) await paintSvg(ctx, child, origin);
      else if (child.classList.contains("leaflet-tooltip")) {
        paintBox(ctx, child, origin);
        paintText(ctx, child, origin);
      } else if (child.classList.contains("leaflet-marker-icon")) {
        for (const svg of child.querySelectorAll("svg")) await paintSvg(ctx, svg, origin);
        paintText(ctx, child, origin);
      }
    }
  }
  for (const el of wrap.querySelectorAll(".leaflet-control-attribution, .legend")) {
    if (el.closest("[hidden]") || el.childElementCount + el.textContent.trim().length === 0) continue;
    paintBox(ctx, el, origin);
    for (const svg of el.querySelectorAll("svg")) await paintSvg(ctx, svg, origin);
    paintText(ctx, el, origin);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"),
  );
}
