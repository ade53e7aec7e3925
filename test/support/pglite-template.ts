import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Creating a PGlite cluster runs initdb in WebAssembly (seconds); opening an
 * existing one is fast. Tests copy one freshly initialised, empty cluster
 * instead of running initdb for every server they start.
 */
let ready: Promise<string> | null = null;

function pgliteVersion(): string {
  const pkg = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export function pgliteTemplate(): Promise<string> {
  ready ??= (async () => {
    const final = join(tmpdir(), `clearing-pglite-template-${pgliteVersion()}`);
    if (existsSync(join(final, 'PG_VERSION'))) return final;
    const work = mkdtempSync(join(tmpdir(), 'clearing-pglite-init-'));
    const db = new PGlite(join(work, 'pg'));
    await db.waitReady;
    await db.close();
    try {
      renameSync(join(work, 'pg'), final);
    } catch {
      // Another test process made it first; theirs is as good as ours.
    }
    rmSync(work, { recursive: true, force: true });
    return final;
  })();
  return ready;
}

export async function copyPgliteTemplate(target: string): Promise<void> {
  cpSync(await pgliteTemplate(), target, { recursive: true });
}
