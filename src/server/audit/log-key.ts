import { ed25519 } from '@noble/curves/ed25519.js';
import { fromBase64url, toBase64url } from '../../core/index.js';
import type { Executor } from '../db/executor.js';
import { findAuditLogKeyRow, findAuditLogPublicKey, insertAuditLogKeyRow } from './repository/index.js';

export interface AuditLogKey {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/**
 * The key that signs tree heads, made once per database. Several servers may
 * start at once on a new database: the first insert wins and everyone reads it back.
 */
export async function loadOrCreateAuditLogKey(db: Executor): Promise<AuditLogKey> {
  let row = await findAuditLogKeyRow(db);
  if (!row) {
    const privateKey = ed25519.utils.randomSecretKey();
    await insertAuditLogKeyRow(db, { publicKey: toBase64url(ed25519.getPublicKey(privateKey)), privateKey: toBase64url(privateKey) });
    privateKey.fill(0);
    row = await findAuditLogKeyRow(db);
    if (!row) throw new Error('the audit log key vanished after it was inserted');
  }
  return { publicKey: fromBase64url(row.publicKey, 32), privateKey: fromBase64url(row.privateKey, 32) };
}

/** Only the public half, for the offline check; never creates a key. */
export async function readAuditLogPublicKey(db: Executor): Promise<Uint8Array | null> {
  const publicKey = await findAuditLogPublicKey(db);
  return publicKey === null ? null : fromBase64url(publicKey, 32);
}
