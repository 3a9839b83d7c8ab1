#!/usr/bin/env node
/**
 * Puts the backend that `cellflow serve` runs into the Python package
 * (cellflow/backend/), so `pip install .` carries it and an installed cellflow
 * never reads the source checkout: server-ts is packed with `npm pack` (its
 * `files`: bin/ and dist/src/), then installed with its production
 * dependencies into that folder. The wheel is then self-contained and installs
 * offline. Run after `npm run build -w server-ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const target = join(repo, 'cellflow', 'backend');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!existsSync(join(repo, 'server-ts', 'dist', 'src', 'cli', 'main.js'))) {
  console.error('cellflow: server-ts is not built; run `npm run build -w server-ts` first.');
  process.exit(1);
}

const staging = mkdtempSync(join(tmpdir(), 'cellflow-backend-'));
try {
  const packed = execFileSync(npm, ['pack', '--workspace', 'server-ts', '--pack-destination', staging, '--json'], {
    cwd: repo,
    encoding: 'utf8'
  });
  const tarball = JSON.parse(packed)[0].filename.replace(/^@cellflow\//, 'cellflow-');
  const app = join(staging, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'cellflow-backend',
        private: true,
        description: 'The cellflow backend as the Python package runs it (made by scripts/bundle-backend.mjs).',
        dependencies: { '@cellflow/server': `file:../${tarball}` },
        // deno's postinstall only checks that its platform binary is there.
        allowScripts: { deno: true }
      },
      null,
      2
    ) + '\n'
  );
  // --prefer-offline: the packages are in npm's cache after `npm ci`.
  execFileSync(npm, ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--install-links'], {
    cwd: app,
    stdio: 'inherit'
  });
  removeBinLinks(join(app, 'node_modules'));
  rmSync(target, { recursive: true, force: true });
  renameSync(app, target);
  console.log(`cellflow: backend bundled into ${target}`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}

/** Wheels cannot hold symbolic links; the .bin folders are only links. */
function removeBinLinks(modules) {
  if (!existsSync(modules)) return;
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    const path = join(modules, entry.name);
    if (entry.name === '.bin') rmSync(path, { recursive: true, force: true });
    else if (entry.name.startsWith('@') && entry.isDirectory()) removeBinLinks(path);
    else if (entry.isDirectory()) removeBinLinks(join(path, 'node_modules'));
  }
}
