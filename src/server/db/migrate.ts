import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The numbered SQL files in ./migrations (`0001_name.sql`), in order. Released files are never edited. */
export function loadMigrations(dir: string = migrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration numbering has a gap or duplicate at ${m.version}_${m.name}`);
  });
  return migrations;
}

const createLedger = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export interface MigrationStatus {
  applied: { version: number; name: string; checksum: string }[];
  pending: Migration[];
  /** Applied migrations whose file changed since; a released migration must never be edited. */
  modified: number[];
  /** Applied versions this build does not know: the database is newer than the code. */
  unknown: number[];
}

export async function migrationStatus(database: Database, migrations: Migration[] = loadMigrations()): Promise<MigrationStatus> {
  const exists = await sql<{ exists: boolean }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`.execute(database.db);
  const applied = exists.rows[0]?.exists
    ? await database.db.selectFrom('schema_migrations').select(['version', 'name', 'checksum']).orderBy('version').execute()
    : [];
  const known = new Map(migrations.map((m) => [m.version, m]));
  const appliedVersions = new Set(applied.map((a) => a.version));
  return {
    applied,
    pending: migrations.filter((m) => !appliedVersions.has(m.version)),
    modified: applied.filter((a) => known.has(a.version) && known.get(a.version)!.checksum !== a.checksum).map((a) => a.version),
    unknown: applied.filter((a) => !known.has(a.version)).map((a) => a.version),
  };
}

/**
 * Applies pending migrations, each in its own transaction together with its
 * ledger row, so a crash leaves the database at a migration boundary.
 * Concurrent migrators (two servers on one PostgreSQL) serialise on a lock.
 */
export async function migrate(database: Database, migrations: Migration[] = loadMigrations()): Promise<Migration[]> {
  return database.withMigrationLock(async (run) => {
    await sql.raw(createLedger).execute(database.db);
    const status = await migrationStatus(database, migrations);
    if (status.unknown.length > 0) {
      throw new Error(`the database has migrations this version of Clearing does not know (${status.unknown.join(', ')}); upgrade Clearing`);
    }
    for (const m of status.pending) {
      await run(m.sql, { version: m.version, name: m.name, checksum: m.checksum });
    }
    return status.pending;
  });
}
