// scripts/deploy-s3.sh against a local S3 API server (moto, with the pip AWS CLI; both in
// target/hosting-venv, installed by `scripts/tools.sh hosting`), dummy credentials, 127.0.0.1:
// - every object gets the Content-Type and Cache-Control that Azure's own emulator (the Static
//   Web Apps CLI under hosting/staticwebapp.config.json) sends for the same file;
// - a rebuilt dist (new hashed names) replaces the old one and the stale files go;
// - two overlapping deploys: the live index.html never names a file that is not in the bucket;
// - moto's request recording: no object is ever uploaded without both headers.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './server.mjs';
import {
  IMMUTABLE,
  SWA_CONFIG_NAME,
  expectedFor,
  freePort,
  mediaType,
  namedFiles,
  siteFiles,
  startProcess,
  startSwa,
  waitForHttp,
} from './swa-cli.mjs';

const DIST = join(ROOT, 'dist');
const VENV = join(ROOT, 'target', 'hosting-venv', 'bin');
const DEPLOY = join(ROOT, 'scripts', 'deploy-s3.sh');
const BUCKET = 'predictor-site';
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

let work;
let moto;
let s3; // http://127.0.0.1:PORT
let swa; // the Static Web Apps CLI over every build of this test: Azure's answer for any name
let awsEnv;
const builds = {};
let filesDeployed = 0; // by the deploys that succeeded: each uploads every file once

/** The environment of every AWS CLI run: dummy credentials, no user config, the local server. */
function makeAwsEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  return {
    ...env,
    PATH: `${VENV}:${env.PATH}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    AWS_ENDPOINT_URL: s3,
  };
}

const aws = (...args) => promisify(execFile)(join(VENV, 'aws'), args, { env: awsEnv });

/**
 * A copy of `src` as another build: every hashed file (immutable kind) gets a new name and new
 * bytes, and every text file names the new names, as a real rebuild with changed code would.
 */
function rebuild(src, name) {
  const dir = join(work, name);
  cpSync(src, dir, { recursive: true });
  const renames = new Map();
  for (const file of siteFiles(dir)) {
    if (expectedFor(file).cache !== IMMUTABLE) continue;
    const base = basename(file);
    const hash = base.match(/[0-9a-f]{12,16}(?=(_bg)?\.)/)?.[0];
    const fresh = (h) => createHash('sha256').update(`${name}:${h}`).digest('hex').slice(0, 16);
    const renamed = hash ? base.replace(hash, fresh(hash)) : base.replace(/(\.[a-z]+)$/, `-${name}$1`);
    renameSync(join(dir, file), join(dir, dirname(file), renamed));
    renames.set(base, renamed);
    const path = join(dir, dirname(file), renamed);
    if (renamed.endsWith('.wasm')) {
      // A custom section: still a valid module, different bytes.
      const payload = Buffer.concat([Buffer.from([name.length]), Buffer.from(name)]);
      appendFileSync(path, Buffer.concat([Buffer.from([0, payload.length]), payload]));
    } else {
      appendFileSync(path, `\n/* ${name} */\n`);
    }
  }
  for (const file of siteFiles(dir)) {
    if (!/\.(html|js|json|webmanifest|css)$/.test(file) || file === SWA_CONFIG_NAME) continue;
    const path = join(dir, file);
    let text = readFileSync(path, 'utf8');
    for (const [from, to] of renames) text = text.split(from).join(to);
    writeFileSync(path, text);
  }
  return dir;
}

before(async () => {
  for (const tool of ['moto_server', 'aws']) {
    if (!existsSync(join(VENV, tool))) throw new Error(`${join(VENV, tool)} is missing: run \`scripts/tools.sh hosting\``);
  }
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/index.html is missing: run `make build` first');
  work = mkdtempSync(join(tmpdir(), 'predictor-deploy-s3-'));
  builds.a = join(work, 'a');
  cpSync(DIST, builds.a, { recursive: true });
  builds.b = rebuild(builds.a, 'b');
  builds.c = rebuild(builds.a, 'c');
  builds.d = rebuild(builds.a, 'd');
  // One folder with every build's files: the CLI's rules depend on the name only.
  const union = join(work, 'union');
  for (const dir of Object.values(builds)) cpSync(dir, union, { recursive: true });

  const port = await freePort();
  s3 = `http://127.0.0.1:${port}`;
  awsEnv = makeAwsEnv();
  // cwd: moto writes its recording there.
  moto = startProcess(join(VENV, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    cwd: work,
    env: { ...awsEnv, MOTO_ENABLE_RECORDING: 'true' },
  });
  await waitForHttp(`${s3}/moto-api/`, moto);
  swa = await startSwa(union);
  await aws('s3api', 'create-bucket', '--bucket', BUCKET);
  // What an earlier deploy may have left: a stale hashed file uploaded with no headers, and the
  // Azure config (the old script uploaded it).
  const junk = join(work, 'junk.txt');
  writeFileSync(junk, 'left by an earlier deploy\n');
  await aws('s3', 'cp', junk, `s3://${BUCKET}/app-00000000000000ff.js`, '--only-show-errors');
  await aws('s3', 'cp', join(ROOT, 'hosting', SWA_CONFIG_NAME), `s3://${BUCKET}/${SWA_CONFIG_NAME}`, '--only-show-errors');
  await sleep(1100); // S3 keeps whole seconds: the deploys below begin after these were written
  // From here on, every request the S3 server gets is recorded.
  for (const step of ['reset-recording', 'start-recording']) {
    const res = await fetch(`${s3}/moto-api/recorder/${step}`, { method: 'POST' });
    assert.equal(res.status, 200, step);
  }
});

after(async () => {
  await swa?.close();
  await moto?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Runs scripts/deploy-s3.sh DIR BUCKET. `keep` sets DEPLOY_S3_KEEP_SECONDS; `holdIndex` is a
 * file whose existence releases the upload of index.html (a slow deploy). Resolves to
 * `{ code, log, ms }`; `running()` tells whether it is still going.
 */
function deploy(dir, { keep, holdIndex } = {}) {
  const env = { ...awsEnv };
  if (keep !== undefined) env.DEPLOY_S3_KEEP_SECONDS = String(keep);
  if (holdIndex) {
    const shim = join(work, 'slow-aws');
    mkdirSync(shim, { recursive: true });
    writeFileSync(
      join(shim, 'aws'),
      [
        '#!/bin/sh',
        '# The AWS CLI, but the upload of index.html waits (at most 60 s) for a release file.',
        'case " $* " in *" --include index.html "*)',
        '  i=0; while [ ! -e "$HOLD_INDEX" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done ;;',
        'esac',
        `exec "${join(VENV, 'aws')}" "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(join(shim, 'aws'), 0o755);
    env.PATH = `${shim}:${env.PATH}`;
    env.HOLD_INDEX = holdIndex;
  }
  const started = Date.now();
  const proc = startProcess('bash', [DEPLOY, dir, BUCKET], { cwd: ROOT, env });
  const done = proc.exited.then(({ code }) => {
    if (code === 0) filesDeployed += siteFiles(dir).length;
    return { code, log: proc.output.join(''), ms: Date.now() - started };
  });
  done.running = proc.isRunning;
  return done;
}

async function deployed(dir, options) {
  const result = await deploy(dir, options);
  assert.equal(result.code, 0, result.log);
  return result;
}

// moto refuses anonymous reads of objects but does not check signatures: any SigV4-shaped
// Authorization header reads the bucket (the AWS CLI would take a second per request).
const AUTH = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
};

/** The bucket's keys (one page: a build has far fewer than 1,000 files). */
async function keys() {
  const xml = await (await fetch(`${s3}/${BUCKET}?list-type=2`, { headers: AUTH })).text();
  assert.doesNotMatch(xml, /<IsTruncated>true</);
  const unescape = (s) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescape(m[1])).sort();
}

const objectUrl = (key) => `${s3}/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;

async function object(key, method = 'GET') {
  const res = await fetch(objectUrl(key), { method, headers: AUTH });
  const body = method === 'GET' ? Buffer.from(await res.arrayBuffer()) : undefined;
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body };
}

/** Azure's answer (the CLI's) for the same file: media type and Cache-Control. */
async function azure(key) {
  const res = await fetch(new URL(key, swa.url));
  await res.arrayBuffer();
  assert.equal(res.status, 200, `the CLI serves ${key}`);
  return { type: mediaType(res.headers.get('content-type')), cache: res.headers.get('cache-control') };
}

/** Every object of the bucket has exactly the bytes of `dir`'s file and Azure's headers. */
async function assertBucketIs(dir, t) {
  const want = siteFiles(dir);
  assert.deepEqual(await keys(), want, 'the bucket holds exactly the site files of the build');
  for (const key of want) {
    const got = await object(key);
    const az = await azure(key);
    assert.equal(mediaType(got.type), az.type, `${key}: Content-Type ${got.type}, Azure ${az.type}`);
    assert.equal(got.cache, az.cache, `${key}: Cache-Control`);
    assert.equal(got.cache, expectedFor(key).cache, `${key}: Cache-Control`);
    assert.ok(got.body.equals(readFileSync(join(dir, key))), `${key}: the bytes of the build`);
  }
  t.diagnostic(`${want.length} objects checked against swa start`);
}

test('a deploy gives every object the Content-Type and Cache-Control Azure gives its file', async (t) => {
  const { ms } = await deployed(builds.a, { keep: 0 });
  t.diagnostic(`deploy took ${ms} ms`);
  await assertBucketIs(builds.a, t);
  assert.equal((await object(SWA_CONFIG_NAME, 'HEAD')).status, 404, 'the Azure config is not in the bucket');
});

test('a rebuilt dist replaces the old one: new hashed names in, stale files gone', async (t) => {
  await sleep(1100); // the first build's files were all written before this deploy begins
  const { ms, log } = await deployed(builds.b, { keep: 0 });
  t.diagnostic(`deploy took ${ms} ms`);
  await assertBucketIs(builds.b, t);
  const stale = siteFiles(builds.a).filter((f) => !siteFiles(builds.b).includes(f));
  assert.ok(stale.length >= 2, `the rebuild renamed the hashed files (${stale.join()})`);
  for (const key of stale) assert.match(log, new RegExp(`deleting ${key.replace(/[.]/g, '\\.')}`));
});

test('the script refuses a folder that is not a build (it would delete the whole site)', async () => {
  const empty = join(work, 'empty');
  mkdirSync(empty);
  const { code, log } = await deploy(empty);
  assert.equal(code, 2, log);
  assert.deepEqual(await keys(), siteFiles(builds.b));
});

/**
 * Polls the bucket while `running()`: the live index.html and sw.js must name only files in the
 * bucket, and every object must carry both headers. Resolves to the problems seen.
 */
async function watchBucket(running) {
  const problems = new Set();
  let rounds = 0;
  while (running()) {
    rounds += 1;
    const present = new Set(await keys());
    const index = await object('index.html');
    const named = index.status === 200 ? namedFiles(index.body.toString('utf8')) : [];
    const sw = await object('sw.js');
    const precached = sw.status === 200 ? JSON.parse(sw.body.toString('utf8').match(/const PRECACHE = (\[[\s\S]*?\]);/)?.[1] ?? '[]') : [];
    for (const url of precached) named.push(url === '/' ? 'index.html' : url.slice(1));
    for (const name of named) if (!present.has(name)) problems.add(`the live site names ${name}, not in the bucket`);
    for (const key of present) {
      const head = await object(key, 'HEAD');
      if (head.status === 200 && (!head.type || !head.cache)) problems.add(`${key} has no Content-Type or Cache-Control`);
    }
    await sleep(100);
  }
  return { problems: [...problems], rounds };
}

/**
 * Two overlapping deploys: `slow` starts first and holds its index.html back until `fast` (started
 * once slow's hashed files are in) has finished, so each runs its delete step while the other's
 * files are live or about to be.
 */
async function overlap(slow, fast, options) {
  const hold = join(work, `release-${basename(slow)}-${Date.now()}`);
  const first = deploy(slow, { ...options, holdIndex: hold });
  const wasm = siteFiles(slow).find((f) => /^app-[0-9a-f]+_bg\.wasm$/.test(f));
  for (let i = 0; i < 600 && !(await keys()).includes(wasm); i += 1) await sleep(100);
  await sleep(1100); // the second deploy begins a whole second after the first one's files
  const second = deploy(fast, options);
  const watching = watchBucket(() => first.running() || second.running());
  const fastResult = await second;
  writeFileSync(hold, '');
  const slowResult = await first;
  const seen = await watching;
  assert.equal(slowResult.code, 0, slowResult.log);
  assert.equal(fastResult.code, 0, fastResult.log);
  return seen;
}

test('two overlapping deploys: the live index.html never names a missing file, and no object lacks its headers', async (t) => {
  const { problems, rounds } = await overlap(builds.c, builds.d);
  t.diagnostic(`${rounds} polls of the bucket during the overlap`);
  assert.ok(rounds >= 5, `the bucket was watched during the overlap (${rounds} polls)`);
  assert.deepEqual(problems, []);
  // The slower deploy published last: its build is live and whole; the other's files are kept.
  const live = (await object('index.html')).body;
  assert.ok(live.equals(readFileSync(join(builds.c, 'index.html'))));
  const present = new Set(await keys());
  for (const f of [...siteFiles(builds.c), ...siteFiles(builds.d)]) assert.ok(present.has(f), f);
  // A later deploy removes what the overlap left.
  await sleep(1100);
  await deployed(builds.c, { keep: 0 });
  await assertBucketIs(builds.c, t);
});

test('the keep window is what makes that safe: with DEPLOY_S3_KEEP_SECONDS=0 the same overlap breaks the site', async () => {
  await sleep(1100);
  const { problems } = await overlap(builds.a, builds.b, { keep: 0 });
  assert.ok(
    problems.some((p) => /the live site names .* not in the bucket/.test(p)),
    `the watcher sees the broken site: ${problems.join('; ')}`,
  );
});

/**
 * moto's recording: one JSON object per request, each followed by a newline in a second write,
 * so concurrent requests can leave two objects on one line. Splits at every top-level object.
 */
function recordedRequests(text) {
  const requests = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth === 0) requests.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  assert.equal(depth, 0, 'the recording ends with a whole request');
  return requests;
}

test('no object was ever uploaded without its Content-Type and Cache-Control (every request recorded)', async (t) => {
  const recorded = recordedRequests(await (await fetch(`${s3}/moto-api/recorder/download-recording`)).text());
  const uploads = [];
  for (const request of recorded) {
    const url = new URL(request.url);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(headers['x-amz-copy-source'], undefined, `no object is copied (${request.method} ${url.pathname})`);
    const key = decodeURIComponent(url.pathname.replace(`/${BUCKET}/`, ''));
    const isUpload =
      url.pathname.startsWith(`/${BUCKET}/`) &&
      ((request.method === 'PUT' && !url.searchParams.has('partNumber')) ||
        (request.method === 'POST' && url.searchParams.has('uploads')));
    if (!isUpload) continue;
    uploads.push(key);
    const want = expectedFor(key);
    assert.equal(mediaType(headers['content-type']), want.type, `${key} uploaded with Content-Type ${headers['content-type']}`);
    assert.equal(headers['cache-control'], want.cache, `${key} uploaded with Cache-Control ${headers['cache-control']}`);
  }
  assert.ok(filesDeployed > 0);
  assert.equal(uploads.length, filesDeployed, 'each deploy uploaded each file of its build once, and nothing else');
  assert.ok(!uploads.includes(SWA_CONFIG_NAME), 'the Azure config was never uploaded');
  t.diagnostic(`${uploads.length} uploads in ${recorded.length} recorded requests`);
});
