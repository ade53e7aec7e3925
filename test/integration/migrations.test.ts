import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, migrationStatus, openDatabase, type Database } from '../../src/server/index.js';
import { backends, freshPostgresDatabase } from '../support/databases.js';
import { copyPgliteTemplate } from '../support/pglite-template.js';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'clearing-migrations-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe.each(backends())('migrations on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function fresh(): Promise<{ open: () => Promise<Database> }> {
    if (backend.name === 'postgres') {
      const pg = await freshPostgresDatabase(backend.adminUrl);
      cleanups.push(pg.drop);
      return { open: () => openDatabase({ databaseUrl: pg.url, pgliteDir: undefined }) };
    }
    const dir = join(mkdtempSync(join(tmpdir(), 'clearing-mig-')), 'pglite');
    await copyPgliteTemplate(dir);
    return { open: () => openDatabase({ databaseUrl: null, pgliteDir: dir }) };
  }

  it('applies every numbered migration once, in order', async () => {
    const target = await fresh();
    const db = await target.open();
    try {
      const all = loadMigrations();
      expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
      const applied = await migrate(db);
      expect(applied.map((m) => m.version)).toEqual(all.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const status = await migrationStatus(db);
      expect(status.pending).toEqual([]);
      expect(status.applied.map((a) => a.version)).toEqual(all.map((m) => m.version));
    } finally {
      await db.close();
    }
  });

  it('rolls a failing migration back whole and keeps the ones before it', async () => {
    const dir = migrationsDir({
      '0001_first.sql': 'CREATE TABLE first_table (id int);',
      '0002_broken.sql': 'CREATE TABLE half_made (id int);\nINSERT INTO first_table VALUES (1);\nTHIS IS NOT SQL;',
    });
    const target = await fresh();
    const db = await target.open();
    try {
      await expect(migrate(db, loadMigrations(dir))).rejects.toThrow();
      const status = await migrationStatus(db, loadMigrations(dir));
      expect(status.applied.map((a) => a.version)).toEqual([1]);
      expect(status.pending.map((m) => m.version)).toEqual([2]);
      const half = await sql<{ t: string | null }>`SELECT to_regclass('half_made')::text AS t`.execute(db.db);
      expect(half.rows[0]?.t).toBeNull();
      const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM first_table`.execute(db.db);
      expect(rows.rows[0]?.n).toBe(0);
      // Fixed, it can be retried.
      writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE half_made (id int);');
      expect((await migrate(db, loadMigrations(dir))).map((m) => m.version)).toEqual([2]);
    } finally {
      await db.close();
    }
  });

  it('reports an edited released migration and a database newer than the code', async () => {
    const dir = migrationsDir({ '0001_first.sql': 'CREATE TABLE a (id int);', '0002_second.sql': 'CREATE TABLE b (id int);' });
    const target = await fresh();
    const db = await target.open();
    try {
      await migrate(db, loadMigrations(dir));
      writeFileSync(join(dir, '0001_first.sql'), 'CREATE TABLE a (id bigint);');
      const status = await migrationStatus(db, loadMigrations(dir).slice(0, 1));
      expect(status.modified).toEqual([1]);
      expect(status.unknown).toEqual([2]);
      await expect(migrate(db, loadMigrations(dir).slice(0, 1))).rejects.toThrow(/upgrade Clearing/);
    } finally {
      await db.close();
    }
  });

  it('refuses migration files with gaps in their numbering', () => {
    const dir = migrationsDir({ '0001_a.sql': 'SELECT 1;', '0003_c.sql': 'SELECT 1;' });
    expect(() => loadMigrations(dir)).toThrow(/gap or duplicate/);
  });

  if (backend.name === 'postgres') {
    it('serialises two servers migrating the same database at once', async () => {
      const target = await fresh();
      const [a, b] = await Promise.all([target.open(), target.open()]);
      try {
        const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
        expect(ra.length + rb.length).toBe(loadMigrations().length);
        expect((await migrationStatus(a)).pending).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});
