import { ed25519 } from '@noble/curves/ed25519.js';
import { fromBase64url, toBase64url } from '../../core/index.js';
import type { Executor } from '../db/executor.js';

export interface AuditLogKey {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/**
 * The key that signs tree heads, made once per database. Several servers may
 * start at once on a new database: the first insert wins and everyone reads it back.
 */
export async function loadOrCreateAuditLogKey(db: Executor): Promise<AuditLogKey> {
  let row = await db.selectFrom('audit_log_key').select(['public_key', 'private_key']).executeTakeFirst();
  if (!row) {
    const privateKey = ed25519.utils.randomSecretKey();
    await db
      .insertInto('audit_log_key')
      .values({ id: 1, public_key: toBase64url(ed25519.getPublicKey(privateKey)), private_key: toBase64url(privateKey) })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    privateKey.fill(0);
    row = await db.selectFrom('audit_log_key').select(['public_key', 'private_key']).executeTakeFirstOrThrow();
  }
  return { publicKey: fromBase64url(row.public_key, 32), privateKey: fromBase64url(row.private_key, 32) };
}

/** Only the public half, for the offline check; never creates a key. */
export async function readAuditLogPublicKey(db: Executor): Promise<Uint8Array | null> {
  const row = await db.selectFrom('audit_log_key').select('public_key').executeTakeFirst();
  return row ? fromBase64url(row.public_key, 32) : null;
}
