// Trunk pre_build hook (Trunk.toml): builds the app's wasm split into modules and writes it into
// Trunk's staging folder. Trunk 0.21 runs wasm-bindgen straight after cargo, and the split must
// come between the two, so this hook does the whole chain itself instead of a `rel="rust"` link:
//
//   1. cargo builds app's `app` binary for wasm32 with the `split` feature (the pages other than
//      Predict become split points, app/src/lazy_pages.rs) and the linker's relocations kept
//      (`--emit-relocs`: what wasm-split-cli reads to tell which code and data each page needs);
//      release builds use the wasm-release profile (Cargo.toml), `trunk serve` the dev profile.
//   2. wasm-split-cli (crate wasm_split_cli_support, installed by scripts/tools.sh) writes the
//      main module, one module per page (split_<page>.wasm), modules of code two or more pages
//      share (chunk_*.wasm), and __wasm_split.js, which fetches and links them.
//   3. wasm-bindgen (--target web) makes the main module's JS glue, keeping the exports the
//      page modules link to (--keep-lld-exports).
//   4. wasm-opt -Oz (npm binaryen 132, as Trunk.toml's [tools] pins) on every module, release only.
//   5. Every file gets this build's content hash in its name (app-<hash>.js, app-<hash>_bg.wasm,
//      split-<hash>.js, split_<page>-<hash>.wasm, ...) and the names inside the JS follow, so
//      hosts can keep them forever (immutable) like Trunk's own hashed files.
//
// scripts/postbuild.mjs then puts the two first-load names into index.html (boot.js imports
// them), minifies the JS and lists every file, the page modules included, for the service
// worker to precache.
//
//   node scripts/build-wasm.mjs [OUT_DIR]   OUT_DIR defaults to $TRUNK_STAGING_DIR;
//                                           TRUNK_PROFILE=release|debug as Trunk sets it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!out) {
  console.error('build-wasm: no output folder (run by trunk\'s pre_build hook, or give one)');
  process.exit(1);
}
const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';
const profile = release ? 'wasm-release' : 'dev';
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
// The profile's folder: cargo names the dev profile's `debug`.
const built = join(targetDir, 'wasm32-unknown-unknown', release ? profile : 'debug', 'app.wasm');
// A folder per output, so two sites built at once (dist/, make site-uci) do not share one.
const work = join(targetDir, 'wasm-split', createHash('sha256').update(resolve(out)).digest('hex').slice(0, 12));
const PATH = [join(ROOT, 'node_modules/.bin'), join(process.env.HOME ?? '', '.cargo/bin'), process.env.PATH].join(':');

// The two tools whose version matters: wasm-bindgen must equal the crate in Cargo.lock, and
// Debian's binaryen 108 builds a wasm that fails in the browser (../shared/TOOLCHAIN.md).
function version(tool) {
  return execFileSync(tool, ['--version'], { env: { ...process.env, PATH } }).toString().trim();
}
const lock = readFileSync(join(ROOT, 'Cargo.lock'), 'utf8');
const bindgenWanted = lock.match(/\nname = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1];
if (!bindgenWanted || !version('wasm-bindgen').endsWith(` ${bindgenWanted}`)) {
  console.error(`build-wasm: wasm-bindgen is not ${bindgenWanted} (Cargo.lock): run scripts/tools.sh web`);
  process.exit(1);
}
if (release && !/ version 132\b/.test(version('wasm-opt'))) {
  console.error('build-wasm: wasm-opt is not binaryen 132 (npm, node_modules/.bin): run scripts/tools.sh web');
  process.exit(1);
}

function run(tool, args) {
  console.log(`build-wasm: ${tool} ${args.join(' ')}`);
  execFileSync(tool, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PATH } });
}

// 1. The wasm. `cargo rustc` gives the link argument to the binary alone, so the dependencies
// keep the flags of every other build (.cargo/config.toml) and are not rebuilt for it. Offline
// and locked, as Trunk.toml runs cargo: scripts/tools.sh fetches the crates first.
run('cargo', [
  'rustc', '--profile', profile, '--target', 'wasm32-unknown-unknown', '-p', 'app', '--bin', 'app',
  '--features', 'split', '--locked', '--offline', '--', '-C', 'link-arg=--emit-relocs',
]);

// 2. The split.
const split = join(work, 'split');
const bindgen = join(work, 'bindgen');
rmSync(work, { recursive: true, force: true });
mkdirSync(split, { recursive: true });
run('wasm-split-cli', ['--target', 'web', '--out-name', 'app', built, split]);

// 3. The glue for the main module (split/app.wasm).
run('wasm-bindgen', [
  '--target', 'web', '--no-typescript', '--keep-lld-exports',
  '--out-dir', bindgen, '--out-name', 'app', join(split, 'app.wasm'),
]);

// The files as they are served, under their unhashed names.
const files = new Map();
files.set('app.js', readFileSync(join(bindgen, 'app.js')));
files.set('app_bg.wasm', join(bindgen, 'app_bg.wasm'));
for (const name of readdirSync(split)) {
  if (name === '__wasm_split.js') files.set(name, readFileSync(join(split, name)));
  else if (name.endsWith('.wasm') && name !== 'app.wasm') files.set(name, join(split, name));
}

// 4. Size: wasm-opt on every module (in place).
for (const [name, path] of files) {
  if (!name.endsWith('.wasm')) continue;
  if (release) run('wasm-opt', ['-Oz', '--output', path, path]);
  files.set(name, readFileSync(path));
}

// 5. One hash of every file for every name: a changed page changes them all, which keeps the
// renaming a plain substitution (no file names another by a hash of its own content).
const hash = createHash('sha256');
for (const name of [...files.keys()].sort()) hash.update(name).update(files.get(name));
const digest = hash.digest('hex').slice(0, 16);
const rename = (name) => {
  if (name === '__wasm_split.js') return `split-${digest}.js`;
  if (name === 'app_bg.wasm') return `app-${digest}_bg.wasm`;
  return name.replace(/(\.[a-z]+)$/, `-${digest}$1`);
};
const text = (name) => files.get(name).toString('utf8');
const replaceOnce = (source, from, to, where) => {
  if (!source.includes(from)) throw new Error(`build-wasm: ${where} does not contain ${from}`);
  return source.split(from).join(to);
};
// The glue imports the link module by the module name the main wasm's imports carry: only the
// import's specifier changes, the name in the imports object stays the wasm's own.
let glue = text('app.js');
glue = replaceOnce(glue, 'from "./__wasm_split.js"', `from "./${rename('__wasm_split.js')}"`, 'app.js');
files.set('app.js', glue);
// The link module imports the glue and fetches the modules next to itself.
let link = text('__wasm_split.js');
link = replaceOnce(link, '"./app.js"', `"./${rename('app.js')}"`, '__wasm_split.js');
for (const name of files.keys()) {
  if (name.endsWith('.wasm') && name !== 'app_bg.wasm') {
    link = replaceOnce(link, `"./${name}"`, `"./${rename(name)}"`, '__wasm_split.js');
  }
}
files.set('__wasm_split.js', link);

mkdirSync(out, { recursive: true });
for (const [name, body] of files) writeFileSync(join(out, rename(name)), body);
const summary = [...files.keys()].map(rename).sort().join(', ');
console.log(`build-wasm: ${files.size} files into ${out}: ${summary}`);
