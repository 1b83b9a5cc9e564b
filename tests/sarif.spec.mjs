// `podstep lint --format sarif` against the SARIF 2.1.0 schema (the OASIS schema as
// @microsoft/jest-sarif ships it, validated with its ajv): GitHub code scanning refuses a log that
// does not validate. The CLI binary is the one `cargo test --workspace` built.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const binary = [path.join(root, 'target/debug/podstep'), path.join(root, 'target/release/podstep')].find((p) =>
  fs.existsSync(p),
);

test('lint --format sarif is a valid SARIF 2.1.0 log, fixes included', () => {
  expect(binary, 'build the CLI first (cargo test --workspace does)').toBeTruthy();
  const Ajv = require('ajv');
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
  const validate = ajv.compile(schema);
  const files = ['web/gallery/03-job-classic-sidecar.yaml', 'web/gallery/08-pid1-sigterm.yaml', 'web/gallery/12-mistakes.yaml'];
  let out;
  try {
    out = execFileSync(binary, ['lint', '--format', 'sarif', ...files], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    // Exit 1: findings were reported, which is what this test wants.
    expect(e.status).toBe(1);
    out = e.stdout;
  }
  const log = JSON.parse(out);
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
  const results = log.runs[0].results;
  expect(results.some((r) => r.ruleId === 'PS001' && r.fixes?.length === 1)).toBe(true);
  expect(results.some((r) => r.ruleId === 'check' && r.level === 'error')).toBe(true);
  const ids = log.runs[0].tool.driver.rules.map((r) => r.id);
  for (const r of results) expect(ids[r.ruleIndex]).toBe(r.ruleId);
});
