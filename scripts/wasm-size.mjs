// make wasm-size: the app's wasm by crate. twiggy reads the release build as cargo wrote it
// (target/wasm32-unknown-unknown/wasm-release/app.wasm, which still has its function names;
// wasm-bindgen and wasm-opt then strip them and shrink the code by about a third), and
// each function's bytes are counted for the crate its name starts with; it is the whole app,
// before scripts/build-wasm.mjs splits it). Prints the shares of the code, and the size of the
// shipped main module (dist/, the Predict page and what every page shares) raw and gzip -9.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = new URL('..', import.meta.url).pathname;
const RAW = join(ROOT, 'target/wasm32-unknown-unknown/wasm-release/app.wasm');
const csv = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', RAW], { maxBuffer: 1 << 28 }).toString();
const byCrate = new Map();
let code = 0;
for (const line of csv.split('\n').slice(1)) {
  const m = line.match(/^("(?:[^"]|"")*"|[^,]*),(\d+),/);
  if (!m) continue;
  const name = m[1].replace(/^"|"$/g, '').replace(/""/g, '"');
  const size = Number(m[2]);
  // Names, custom sections, exports and wasm-bindgen's describe shims never reach dist/.
  if (/^"|^custom section|^export |^__wbindgen_describe|^data section|^"function names"|subsection/.test(name)) continue;
  const crate = name.startsWith('data segment') ? '(data: strings, tables, model.json)' : (name.match(/([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/)?.[1] ?? '(other)');
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
  code += size;
}
const rows = [...byCrate].sort((a, b) => b[1] - a[1]);
console.log(`the release wasm before wasm-bindgen and wasm-opt: ${(code / 1024).toFixed(1)} KB of code and data`);
console.log(`${'crate'.padEnd(40)} ${'KB'.padStart(8)} ${'share'.padStart(7)}`);
for (const [crate, size] of rows.slice(0, 24)) {
  console.log(`${crate.padEnd(40)} ${(size / 1024).toFixed(1).padStart(8)} ${((size / code) * 100).toFixed(1).padStart(6)}%`);
}
const rest = rows.slice(24).reduce((s, [, v]) => s + v, 0);
console.log(`${`${rows.length - 24} other crates`.padEnd(40)} ${(rest / 1024).toFixed(1).padStart(8)} ${((rest / code) * 100).toFixed(1).padStart(6)}%`);
const shipped = readdirSync(join(ROOT, 'dist')).find((f) => f.endsWith('_bg.wasm'));
if (shipped) {
  const bytes = readFileSync(join(ROOT, 'dist', shipped));
  console.log(`shipped: dist/${shipped} ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
}
