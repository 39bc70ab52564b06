// Trunk post_build hook (Trunk.toml): names the app's main module in index.html, minifies the
// app's JS, and writes sw.js into the staging folder with the list of every file this build
// emits (hashed names; the page modules of scripts/build-wasm.mjs too) to precache, each file's
// SHA-256 (the worker's precache checks it, so it never stores a mix of two deploys), and a
// cache version derived from their contents, so a new deploy installs a new cache and removes
// the old one.
import { createHash } from "node:crypto";
import { transformSync } from "esbuild";
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("postbuild: TRUNK_STAGING_DIR is not set (run by trunk's post_build hook)");
  process.exit(1);
}

// `make site` (scripts/site.sh): the reports of the model set the app embeds (APP_MODEL_JSON)
// replace the committed default's, before anything is hashed below.
const reports = process.env.APP_REPORT_JSON;
if (reports) {
  copyFileSync(reports, join(staging, "report.json"));
  console.log(`postbuild: report.json from ${reports}`);
}

// The wasm-bindgen glue (app-<hash>.js) and the split modules' loader (split-<hash>.js, both
// from scripts/build-wasm.mjs, the pre_build hook), minified with esbuild: about 5 KB gzip off
// the first load (Trunk's own minifier fails on the glue). Their names keep the hash of the
// unminified build, which is unique per build either way. Done before the file list is hashed
// below.
const names = readdirSync(staging);
for (const name of names) {
  if (/^(app|split)-[0-9a-f]+\.js$/.test(name)) {
    const path = join(staging, name);
    const { code } = transformSync(readFileSync(path, "utf8"), { minify: true, format: "esm", target: "es2022" });
    writeFileSync(path, code);
  }
}

// index.html names the main module's glue and wasm for boot.js (no inline script). A second run
// on a finished build (the tests make other deploys from dist/ that way) finds them named.
const only = (pattern) => {
  const found = names.filter((name) => pattern.test(name));
  if (found.length !== 1) {
    console.error(`postbuild: expected one file like ${pattern} in ${staging}, found ${found.length} (did scripts/build-wasm.mjs run?)`);
    process.exit(1);
  }
  return found[0];
};
const indexPath = join(staging, "index.html");
const page = readFileSync(indexPath, "utf8");
const placeholders = page.includes("/__APP_JS__") && page.includes("/__APP_WASM__");
const named = /data-app-js=["']?\/app-[0-9a-f]+\.js/.test(page) && /data-app-wasm=["']?\/app-[0-9a-f]+_bg\.wasm/.test(page);
if (!placeholders && !named) {
  console.error("postbuild: index.html has neither the /__APP_JS__ and /__APP_WASM__ placeholders nor the app's names");
  process.exit(1);
}
// Trunk leaves the skipped Rust link (index.html says why it is there) in the page: not served.
writeFileSync(
  indexPath,
  page
    .replace("/__APP_JS__", () => `/${only(/^app-[0-9a-f]+\.js$/)}`)
    .replace("/__APP_WASM__", () => `/${only(/^app-[0-9a-f]+_bg\.wasm$/)}`)
    .replace(/<link\b[^>]*\bdata-trunk-skip\b[^>]*>/, ""),
);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// Not precached: the worker itself and the hosting configuration.
const skip = new Set(["sw.js", "staticwebapp.config.json"]);
const emitted = files(staging)
  .map((path) => relative(staging, path).split(sep).join("/"))
  .filter((name) => !skip.has(name))
  .sort();

const hash = createHash("sha256");
const integrity = {};
const url = (name) => (name === "index.html" ? "/" : `/${name}`);
for (const name of emitted) {
  const bytes = readFileSync(join(staging, name));
  hash.update(name);
  hash.update(bytes);
  integrity[url(name)] = `sha256-${createHash("sha256").update(bytes).digest("base64")}`;
}
const version = hash.digest("hex").slice(0, 16);
const urls = emitted.map(url);

const template = readFileSync(new URL("../assets/sw.template.js", import.meta.url), "utf8");
const sw = template
  .replace("__VERSION__", () => JSON.stringify(version))
  .replace("__PRECACHE__", () => JSON.stringify(urls, null, 2))
  .replace("__INTEGRITY__", () => JSON.stringify(integrity, null, 2));
writeFileSync(join(staging, "sw.js"), sw);
console.log(`postbuild: sw.js precaches ${urls.length} files, cache version ${version}`);
