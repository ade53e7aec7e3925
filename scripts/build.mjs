#!/usr/bin/env node
// Builds everything `npm start` runs: the server and CLI (tsc → dist/), their SQL
// migrations, and the web app (Vite → dist/web). Runs on `npm install` (prepare).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, command, args) {
  process.stderr.write(`build: ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${label} failed\n`);
    process.exit(result.status ?? 1);
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('server and CLI (tsc)', bin('tsc'), ['-p', 'tsconfig.build.json']);
const migrations = join(root, 'dist/server/db/migrations');
mkdirSync(migrations, { recursive: true });
cpSync(join(root, 'src/server/db/migrations'), migrations, { recursive: true });
run('web app (vite)', bin('vite'), ['build', '--config', 'src/web/vite.config.ts', '--logLevel', 'error']);
// `npx clearing` looks in node_modules/.bin; npm links only dependencies' bins there, not the project's own.
const cli = join(root, 'dist/cli/main.js');
chmodSync(cli, 0o755);
const link = join(root, 'node_modules/.bin/clearing');
if (existsSync(join(root, 'node_modules/.bin'))) {
  rmSync(link, { force: true });
  symlinkSync('../../dist/cli/main.js', link);
}
process.stderr.write('build: done\n');
