import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { ClearingError } from '../../core/index.js';
import type { Schema } from './schema/index.js';

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * One typed layer over either backend. Queries go through `db` (Kysely) and are
 * the same SQL on both; only running multi-statement migration scripts and
 * serialising migrators differ, so those live here.
 */
export interface Database {
  kind: DatabaseKind;
  db: Kysely<Schema>;
  /** Runs `fn` while holding the migration lock (an advisory lock on PostgreSQL). */
  withMigrationLock<T>(fn: (run: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Runs one migration script and records it, atomically. */
export type ScriptRunner = (script: string, record: { version: number; name: string; checksum: string }) => Promise<void>;

const MIGRATION_LOCK_ID = 0x436c6561; // "Clea"
const recordSql = 'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)';

export async function openPglite(dir: string | undefined): Promise<Database> {
  let pglite: PGlite;
  try {
    pglite = dir === undefined ? new PGlite() : new PGlite(dir);
    await pglite.waitReady;
  } catch (cause) {
    throw new ClearingError('DATABASE_UNAVAILABLE', {
      status: 503,
      cause,
      detail: `the embedded database in ${dir ?? 'memory'} could not be opened`,
    });
  }
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    async withMigrationLock(fn) {
      // PGlite lives inside this process and the data-directory lock keeps other
      // processes out, so there is no concurrent migrator to exclude.
      return fn(async (script, record) => {
        await pglite.transaction(async (tx) => {
          await tx.exec(script);
          await tx.query(recordSql, [record.version, record.name, record.checksum]);
        });
      });
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Readiness reports outages.
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new ClearingError('DATABASE_UNAVAILABLE', {
      status: 503,
      cause,
      detail: `PostgreSQL: ${(cause as Error).message}`,
    });
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async withMigrationLock(fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        try {
          return await fn(async (script, record) => {
            await client.query('BEGIN');
            try {
              await client.query(script);
              await client.query(recordSql, [record.version, record.name, record.checksum]);
              await client.query('COMMIT');
            } catch (e) {
              await client.query('ROLLBACK');
              throw e;
            }
          });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

export async function openDatabase(options: { databaseUrl: string | null; pgliteDir: string | undefined }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.pgliteDir);
}

/** Throws when the database cannot answer a trivial query (the readiness probe). */
export async function pingDatabase(database: Database): Promise<void> {
  await sql`SELECT 1`.execute(database.db);
}
