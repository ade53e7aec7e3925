import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestServer } from './server.js';

/**
 * What a seizure of the server takes, as bytes (each held in a latin1
 * string): every table's rows as UTF-8 JSON, every file of the data
 * directory (PGlite's files, the blob store, the server secret), the logs,
 * and on PostgreSQL a `pg_dump`.
 */
export async function seizedCopy(server: TestServer, backend: { name: string }): Promise<[string, string][]> {
  const bytesOf = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
  const haystacks: [string, string][] = [['logs', bytesOf(server.logs())]];
  const tables = await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`.execute(server.database.db);
  for (const { t } of tables.rows) {
    haystacks.push([`table ${t}`, bytesOf(JSON.stringify((await sql`SELECT * FROM ${sql.table(t)}`.execute(server.database.db)).rows))]);
  }
  for (const file of filesUnder(server.config.dataDir)) haystacks.push([file, readFileSync(file).toString('latin1')]);
  if (backend.name === 'postgres') {
    const dump = pgDumpBinary();
    if (!dump && process.env.CI) throw new Error('pg_dump is needed for the seizure test under CI');
    if (dump)
      haystacks.push(['pg_dump', execFileSync(dump, ['--no-owner', server.config.databaseUrl as string], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1')]);
  }
  return haystacks;
}

/** The marker as bytes in UTF-8 and UTF-16, as written, upper and lower case. */
export function needles(text: string): string[] {
  const variants = [...new Set([text, text.toUpperCase(), text.toLowerCase()])];
  return variants.flatMap((v) => [Buffer.from(v, 'utf8').toString('latin1'), Buffer.from(v, 'utf16le').toString('latin1')]);
}

/** Where in the seized copy any form of the marker appears. */
export function foundIn(haystacks: readonly [string, string][], marker: string): string[] {
  const forms = needles(marker);
  return haystacks.filter(([, text]) => forms.some((n) => text.includes(n))).map(([where]) => where);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function pgDumpBinary(): string | null {
  for (const dir of existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : []) {
    const path = join('/usr/lib/postgresql', dir, 'bin', 'pg_dump');
    if (existsSync(path)) return path;
  }
  return null;
}
