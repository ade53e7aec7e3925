import type { Executor } from '../db/executor.js';

export interface Organization {
  name: string;
  defaultLanguage: 'en' | 'ru';
  publicKey: string | null;
  fingerprint: string | null;
  createdAt: Date;
}

export async function findOrganization(db: Executor): Promise<Organization | null> {
  const row = await db.selectFrom('organization').select(['name', 'default_language', 'public_key', 'fingerprint', 'created_at']).executeTakeFirst();
  if (!row) return null;
  return {
    name: row.name,
    defaultLanguage: row.default_language === 'ru' ? 'ru' : 'en',
    publicKey: row.public_key,
    fingerprint: row.fingerprint,
    createdAt: row.created_at,
  };
}

export function organizationInfo(org: Organization) {
  return { name: org.name, defaultLanguage: org.defaultLanguage, publicKey: org.publicKey, fingerprint: org.fingerprint };
}

/** Inserts the single organization row; returns false when one already exists. */
export async function insertOrganization(
  db: Executor,
  org: { name: string; defaultLanguage: 'en' | 'ru'; publicKey: string; fingerprint: string },
): Promise<boolean> {
  const result = await db
    .insertInto('organization')
    .values({ id: 1, name: org.name, default_language: org.defaultLanguage, public_key: org.publicKey, fingerprint: org.fingerprint })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}
