import { fromBase64url, toBase64url } from '../crypto/primitives/bytes.js';
import { hashesEqual } from '../crypto/merkle/hash.js';
import { treeHeadRoot, verifyTreeHead, type SignedTreeHead } from '../crypto/merkle/tree-head.js';
import { verifyConsistency, verifyInclusion } from '../crypto/merkle/verify.js';
import { auditLeafHash, auditLogId, type AuditEntry } from './entry.js';

export type HistoryCheck =
  /** Nothing seen before: the head is signed, and becomes the reference. */
  | { status: 'first'; head: SignedTreeHead }
  | { status: 'consistent'; head: SignedTreeHead }
  | { status: 'bad_signature' }
  | { status: 'rewritten'; reason: 'shrunk' | 'proof' | 'root_changed' };

/** A head is only as good as its signature; malformed heads count as unsigned rather than crashing the caller. */
export function auditHeadSigned(logPublicKey: Uint8Array, head: SignedTreeHead): boolean {
  try {
    return verifyTreeHead(logPublicKey, head, { logId: auditLogId });
  } catch {
    return false;
  }
}

/**
 * What a client does on every visit: the new head must be signed by the log key
 * it pinned, must not be smaller than the last head it saw, and must extend it
 * (a consistency proof from the old size to the new). Only then does the client
 * keep the new head as its reference. `lastSeen` must itself have passed this
 * check earlier: a proof checks shape, not sizes, so sizes come from heads.
 */
export function checkHistory(input: {
  logPublicKey: Uint8Array;
  lastSeen: SignedTreeHead | null;
  latest: SignedTreeHead;
  consistencyProof: readonly string[];
}): HistoryCheck {
  const { latest, lastSeen } = input;
  if (!auditHeadSigned(input.logPublicKey, latest)) return { status: 'bad_signature' };
  if (!lastSeen) return { status: 'first', head: latest };
  if (latest.size < lastSeen.size) return { status: 'rewritten', reason: 'shrunk' };
  let ok = false;
  try {
    const oldRoot = treeHeadRoot(lastSeen);
    const newRoot = treeHeadRoot(latest);
    if (latest.size === lastSeen.size) {
      return hashesEqual(oldRoot, newRoot) ? { status: 'consistent', head: latest } : { status: 'rewritten', reason: 'root_changed' };
    }
    ok = verifyConsistency(
      lastSeen.size,
      latest.size,
      oldRoot,
      newRoot,
      input.consistencyProof.map((p) => fromBase64url(p, 32)),
    );
  } catch {
    ok = false;
  }
  return ok ? { status: 'consistent', head: latest } : { status: 'rewritten', reason: 'proof' };
}

export type VisitCheck = HistoryCheck | { status: 'log_key_changed' };

/** What a client keeps between visits: the log key it pinned at first use and the last head it verified. */
export interface AuditPin {
  logKey: string;
  head: SignedTreeHead;
}

/**
 * One visit of a client that pins the log key at first use (like the
 * organization key): a different key is refused outright, since a new key can
 * sign any history. Returns the check, and the pin to store — null when the
 * visit did not verify, so a warning persists until someone looks into it.
 */
export function checkAuditVisit(input: { pin: AuditPin | null; presentedLogKey: string; latest: SignedTreeHead; consistencyProof: readonly string[] }): {
  check: VisitCheck;
  pin: AuditPin | null;
} {
  if (input.pin && input.pin.logKey !== input.presentedLogKey) return { check: { status: 'log_key_changed' }, pin: null };
  let key: Uint8Array;
  try {
    key = fromBase64url(input.presentedLogKey, 32);
  } catch {
    return { check: { status: 'bad_signature' }, pin: null };
  }
  const check = checkHistory({ logPublicKey: key, lastSeen: input.pin?.head ?? null, latest: input.latest, consistencyProof: input.consistencyProof });
  const verified = check.status === 'first' || check.status === 'consistent';
  return { check, pin: verified ? { logKey: toBase64url(key), head: input.latest } : null };
}

/**
 * Whether an entry as served is the one the signed head commits to: the leaf
 * is recomputed from the entry's fields (the server's stored hash is not
 * trusted) and its inclusion proof must lead to the head's root.
 */
export function entryInHead(entry: AuditEntry, proof: readonly string[], head: SignedTreeHead): boolean {
  try {
    return verifyInclusion(
      fromBase64url(auditLeafHash(entry), 32),
      entry.seq,
      head.size,
      proof.map((p) => fromBase64url(p, 32)),
      treeHeadRoot(head),
    );
  } catch {
    return false;
  }
}
