/**
 * `npm run bench -- crypto [--only file,keys,merkle]`: file throughput against the
 * `age` tool and the openssl ceiling, Argon2id time, compartment and record
 * operations per second, and the Merkle log at one million leaves.
 */
import { existsSync } from 'node:fs';
import { type Figure, printFigures, note } from '../report.js';

const parts = ['keys', 'merkle', 'file'] as const;
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : [...parts];

const figures: Figure[] = [];
for (const part of parts) {
  if (!only.includes(part)) continue;
  const path = new URL(`./${part}.ts`, import.meta.url);
  if (!existsSync(path)) {
    note(`bench crypto: ${part}.ts is missing`);
    process.exitCode = 1;
    continue;
  }
  const mod = (await import(path.href)) as { run: (args: string[]) => Promise<Figure[]> };
  figures.push(...(await mod.run(process.argv.slice(2))));
}
printFigures(figures);
