// Copy the browser files the web page needs from node_modules into the Python package.
//
//   npm ci && npm run build      -> src/corridor/web/static/vendor/ (gitignored)
//   npm run clean                -> removes that folder
//
// The page is plain ES modules and loads these files from the app itself, never from a CDN,
// so it works offline. Every package's licence file is copied next to its code, and
// vendor/manifest.json lists what was copied with versions and licences.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const target = join(here, "..", "src", "corridor", "web", "static", "vendor");

// package -> [source path inside the package, destination path inside vendor/<package>]
const FILES = {
  leaflet: [
    ["dist/leaflet.js", "leaflet.js"],
    ["dist/leaflet.css", "leaflet.css"],
    ["dist/images", "images"],
    ["LICENSE", "LICENSE"],
  ],
  "chart.js": [
    ["dist/chart.umd.min.js", "chart.umd.min.js"],
    ["LICENSE.md", "LICENSE.md"],
  ],
  "topojson-client": [
    ["dist/topojson-client.min.js", "topojson-client.min.js"],
    ["LICENSE", "LICENSE"],
  ],
  // Natural Earth 1:110m admin-0 countries (public domain) as TopoJSON; packaging is ISC.
  "world-atlas": [
    ["countries-110m.json", "countries-110m.json"],
    ["LICENSE", "LICENSE"],
  ],
};

const NOTES = {
  "world-atlas":
    "Country outlines: Natural Earth 1:110m Admin 0 countries (public domain), " +
    "https://www.naturalearthdata.com/",
};

function build() {
  const missing = [];
  for (const [pkg, files] of Object.entries(FILES)) {
    for (const [src] of files) {
      const path = join(modules, pkg, src);
      if (!existsSync(path)) missing.push(path);
    }
  }
  if (missing.length > 0) {
    console.error("Missing files (run `npm ci` in web/ first):\n  " + missing.join("\n  "));
    process.exit(1);
  }
  rmSync(target, { recursive: true, force: true });
  const manifest = { packages: {} };
  for (const [pkg, files] of Object.entries(FILES)) {
    const meta = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8"));
    const dest = join(target, pkg);
    mkdirSync(dest, { recursive: true });
    for (const [src, out] of files) {
      cpSync(join(modules, pkg, src), join(dest, out), { recursive: true });
    }
    manifest.packages[pkg] = {
      version: meta.version,
      license: meta.license,
      files: files.map(([, out]) => `${pkg}/${out}`),
      ...(NOTES[pkg] ? { note: NOTES[pkg] } : {}),
    };
  }
  writeFileSync(join(target, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  const count = Object.values(FILES).reduce((n, files) => n + files.length, 0);
  console.log(`copied ${count} vendor files into ${relative(process.cwd(), target)}`);
}

if (process.argv.includes("--clean")) {
  rmSync(target, { recursive: true, force: true });
  console.log(`removed ${relative(process.cwd(), target)}`);
} else {
  build();
}
