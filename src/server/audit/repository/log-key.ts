import type { Executor } from '../../db/executor.js';

/** The single row of the tree-head signing key (base64url halves). */

export async function findAuditLogKeyRow(db: Executor): Promise<{ publicKey: string; privateKey: string } | null> {
  const row = await db.selectFrom('audit_log_key').select(['public_key', 'private_key']).executeTakeFirst();
  return row ? { publicKey: row.public_key, privateKey: row.private_key } : null;
}

export async function findAuditLogPublicKey(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('audit_log_key').select('public_key').executeTakeFirst();
  return row?.public_key ?? null;
}

/** Inserts the key unless one exists (several servers may start at once on a new database). */
export async function insertAuditLogKeyRow(db: Executor, key: { publicKey: string; privateKey: string }): Promise<void> {
  await db
    .insertInto('audit_log_key')
    .values({ id: 1, public_key: key.publicKey, private_key: key.privateKey })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
