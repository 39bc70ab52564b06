// hosting/staticwebapp.config.json against the JSON Schema the Static Web Apps CLI ships
// (schema/staticwebapp.config.json in npm @azure/static-web-apps-cli, a draft-04 schema:
// validated with ajv's draft-04 build, both pinned in package.json).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { ROOT } from './server.mjs';
import { SWA_SCHEMA } from './swa-cli.mjs';

const config = JSON.parse(readFileSync(join(ROOT, 'hosting', 'staticwebapp.config.json'), 'utf8'));
const schema = JSON.parse(readFileSync(SWA_SCHEMA, 'utf8'));
// strict: false: the schema uses keywords ajv does not know (e.g. `markdownDescription`).
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

test('staticwebapp.config.json is valid under the schema the Static Web Apps CLI ships', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
  const ok = validate(config);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
});

test('the schema check is live: a misspelt key or a wrong value fails it', () => {
  const misspelt = structuredClone(config);
  misspelt.routes[0].header = misspelt.routes[0].headers;
  delete misspelt.routes[0].headers;
  assert.equal(validate(misspelt), false, 'a route with "header" instead of "headers"');

  const badFallback = structuredClone(config);
  badFallback.navigationFallback.exclude = '/*.js';
  assert.equal(validate(badFallback), false, 'navigationFallback.exclude must be a list');

  const unknown = { ...structuredClone(config), globalheaders: {} };
  assert.equal(validate(unknown), false, 'an unknown top-level key');
});
