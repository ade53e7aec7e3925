import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The database backends an integration suite runs against: always PGlite, and
 * a PostgreSQL server when TEST_DATABASE_URL names one. Under CI the server is
 * required: a missing one fails the run instead of silently skipping half of it.
 */
export type Backend = { name: 'pglite' } | { name: 'postgres'; adminUrl: string };

export function backends(): Backend[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    if (process.env.CI === 'true') {
      throw new Error('TEST_DATABASE_URL is not set: under CI the integration suite must run against a PostgreSQL server too');
    }
    process.stderr.write('\n*** PostgreSQL suite SKIPPED: set TEST_DATABASE_URL=postgres://… to run it (required under CI) ***\n\n');
    return [{ name: 'pglite' }];
  }
  return [{ name: 'pglite' }, { name: 'postgres', adminUrl: url }];
}

/** A fresh, empty database on the PostgreSQL server for one test; dropped by the returned function. */
export async function freshPostgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `clearing_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
