import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../db/schema.js';

export interface Organization {
  name: string;
  defaultLanguage: 'en' | 'ru';
  createdAt: Date;
}

type Executor = Kysely<Schema> | Transaction<Schema>;

export async function findOrganization(db: Executor): Promise<Organization | null> {
  const row = await db.selectFrom('organization').select(['name', 'default_language', 'created_at']).executeTakeFirst();
  if (!row) return null;
  return { name: row.name, defaultLanguage: row.default_language === 'ru' ? 'ru' : 'en', createdAt: row.created_at };
}

/** Inserts the single organization row; returns false when one already exists. */
export async function insertOrganization(db: Executor, org: { name: string; defaultLanguage: 'en' | 'ru' }): Promise<boolean> {
  const result = await db
    .insertInto('organization')
    .values({ id: 1, name: org.name, default_language: org.defaultLanguage })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}
