#!/usr/bin/env node
// Runs one benchmark: `npm run bench -- <name>` executes bench/<name>/index.ts
// under tsx. Each benchmark prints, last, one JSON line per figure
// (see bench/report.ts and the figure table in the README).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'index.ts')))
  .map((d) => d.name)
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\nbenchmarks: ${available.join(', ')}`);
  process.exit(name ? 1 : 2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, name, 'index.ts'), ...rest], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
