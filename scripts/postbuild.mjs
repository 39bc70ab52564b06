// Trunk post_build hook (Trunk.toml): writes sw.js into the staging folder with the list of
// every file this build emits (hashed names) to precache, and a cache version derived from
// their contents, so a new deploy installs a new cache and removes the old one.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("postbuild: TRUNK_STAGING_DIR is not set (run by trunk's post_build hook)");
  process.exit(1);
}

// The pages module (index.html's worker-type rust link) comes out as pages.js and
// pages_bg.wasm: give both a content hash, as Trunk gives the app's files, so hosts may cache
// them forever; and tell boot.js their names on the script tag that starts the app.
const pagesJs = join(staging, "pages.js");
const pagesWasm = join(staging, "pages_bg.wasm");
const indexPath = join(staging, "index.html");
const index = readFileSync(indexPath, "utf8");
if (existsSync(pagesJs) && existsSync(pagesWasm)) {
  const pagesHash = createHash("sha256")
    .update(readFileSync(pagesJs))
    .update(readFileSync(pagesWasm))
    .digest("hex")
    .slice(0, 16);
  renameSync(pagesJs, join(staging, `pages-${pagesHash}.js`));
  renameSync(pagesWasm, join(staging, `pages-${pagesHash}_bg.wasm`));
  // The tag as Trunk wrote it, minified or not (quotes may be gone).
  const withPages = index.replace(
    /<script(?=[^>]*\bsrc=["']?\/boot\.js)/,
    `<script data-pages-js="/pages-${pagesHash}.js" data-pages-wasm="/pages-${pagesHash}_bg.wasm"`,
  );
  if (withPages === index) {
    console.error("postbuild: index.html has no boot.js script tag to name the pages module on");
    process.exit(1);
  }
  writeFileSync(indexPath, withPages);
} else if (!index.includes("data-pages-js=")) {
  // (Run again on a finished build, as the offline test does, the names are already there.)
  console.error("postbuild: the pages module (pages.js, pages_bg.wasm) is missing from the build");
  process.exit(1);
}

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
for (const name of emitted) {
  hash.update(name);
  hash.update(readFileSync(join(staging, name)));
}
const version = hash.digest("hex").slice(0, 16);
const urls = emitted.map((name) => (name === "index.html" ? "/" : `/${name}`));

const template = readFileSync(new URL("../assets/sw.template.js", import.meta.url), "utf8");
const sw = template
  .replace("__VERSION__", JSON.stringify(version))
  .replace("__PRECACHE__", JSON.stringify(urls, null, 2));
writeFileSync(join(staging, "sw.js"), sw);
console.log(`postbuild: sw.js precaches ${urls.length} files, cache version ${version}`);
