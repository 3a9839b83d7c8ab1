/**
 * The committed contract matches the code: server-ts/openapi.json is what the routes' schemas generate, and
 * src/api/schema.d.ts (the frontend's types) is what openapi-typescript makes of it. Regenerate both with
 * `npm run api-types` at the top level.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openApiText } from '../../src/http/openapi.js';
import { serverRoot } from '../paths.js';

const repoRoot = join(serverRoot, '..');
const committed = join(serverRoot, 'openapi.json');

test('server-ts/openapi.json is the document the routes generate (run `npm run api-types` after changing them)', async () => {
  assert.equal(await openApiText(), readFileSync(committed, 'utf8'));
});

test('the document lists every route of the contract', async () => {
  const document = JSON.parse(await openApiText());
  const routes = Object.entries(document.paths as Record<string, object>).flatMap(([path, methods]) =>
    Object.keys(methods).map(method => `${method.toUpperCase()} ${path}`)
  );
  for (const route of [
    'GET /api/health',
    'POST /api/analyze',
    'POST /api/compile',
    'POST /api/annotate',
    'POST /api/runs',
    'GET /api/runs',
    'GET /api/runs/{id}',
    'GET /api/runs/{id}/events',
    'POST /api/runs/{id}/cancel',
    'GET /api/runs/{id}/logs/{step}',
    'GET /api/runs/{id}/artifacts/{*}'
  ])
    assert.ok(routes.includes(route), `${route} in ${routes.join(', ')}`);
  assert.ok(document.components.schemas.PipelineIR && document.components.schemas.RunView);
});

test("src/api/schema.d.ts is openapi-typescript's output for the committed document", () => {
  const dir = mkdtempSync(join(tmpdir(), 'cellflow-api-types-'));
  try {
    const out = join(dir, 'schema.d.ts');
    const bin = join(repoRoot, 'node_modules', '.bin');
    execFileSync(join(bin, 'openapi-typescript'), [committed, '-o', out], { stdio: 'pipe' });
    // Formatted as the repository formats it (its prettier settings), as `npm run api-types` does.
    const formatted = execFileSync(join(bin, 'prettier'), ['--stdin-filepath', join(repoRoot, 'src/api/schema.d.ts')], {
      input: readFileSync(out),
      cwd: repoRoot,
      encoding: 'utf8'
    });
    assert.equal(formatted, readFileSync(join(repoRoot, 'src/api/schema.d.ts'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
