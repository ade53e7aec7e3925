import { canonicalJson, fromBase64url, toBase64url } from '../crypto/primitives/bytes.js';
import { leafHash } from '../crypto/merkle/hash.js';
import { MerkleTree } from '../crypto/merkle/tree.js';
import { treeHeadRoot, verifyTreeHead, type SignedTreeHead } from '../crypto/merkle/tree-head.js';
import { verifyConsistency } from '../crypto/merkle/verify.js';

/** Every kind of audit entry (DESIGN.md §5): security-relevant actions only. */
export const auditActions = [
  'organization.setup',
  'auth.login',
  'auth.login_failed',
  'auth.second_factor_failed',
  'auth.totp_enrolled',
  'auth.recovery_code_used',
  'auth.logout',
  'auth.logout_everywhere',
  'member.invited',
  'member.invitation_revoked',
  'member.joined',
  'member.certified',
  'member.role_changed',
  'member.suspended',
  'member.reinstated',
  'member.removed',
  'member.passphrase_changed',
  'organization.key_granted',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The label every audit tree head is signed under, so a head cannot be replayed as another log's. */
export const auditLogId = 'clearing-audit-log-v1';

/** One audit entry as stored and served: pseudonymous ids and an action, never content. */
export interface AuditEntry {
  seq: number;
  occurredAt: string;
  action: string;
  actorId: string | null;
  subjectId: string | null;
  detail: Record<string, string | number | boolean | null>;
}

/** The bytes a leaf commits to: every field of the entry, canonically encoded (RFC 8785). */
export function auditLeafBytes(entry: AuditEntry): Uint8Array {
  return canonicalJson({ v: 1, seq: entry.seq, occurredAt: entry.occurredAt, action: entry.action, actorId: entry.actorId, subjectId: entry.subjectId, detail: entry.detail });
}

export function auditLeafHash(entry: AuditEntry): string {
  return toBase64url(leafHash(auditLeafBytes(entry)));
}

export type HistoryCheck =
  | { status: 'first'; head: SignedTreeHead }
  | { status: 'consistent'; head: SignedTreeHead }
  | { status: 'bad_signature' }
  | { status: 'rewritten'; reason: 'shrunk' | 'proof' | 'root_changed' };

/**
 * What a client does on every visit: the new head must be signed by the log key
 * it pinned, must not be smaller than the last head it saw, and must extend it
 * (a consistency proof from the old size to the new). Only then does the client
 * keep the new head as its reference.
 */
export function checkHistory(input: {
  logPublicKey: Uint8Array;
  lastSeen: SignedTreeHead | null;
  latest: SignedTreeHead;
  consistencyProof: readonly string[];
}): HistoryCheck {
  const { latest, lastSeen } = input;
  let signed = false;
  try {
    signed = verifyTreeHead(input.logPublicKey, latest, { logId: auditLogId });
  } catch {
    signed = false;
  }
  if (!signed) return { status: 'bad_signature' };
  if (!lastSeen) return { status: 'first', head: latest };
  if (latest.size < lastSeen.size) return { status: 'rewritten', reason: 'shrunk' };
  const oldRoot = treeHeadRoot(lastSeen);
  const newRoot = treeHeadRoot(latest);
  if (latest.size === lastSeen.size) {
    return toBase64url(oldRoot) === toBase64url(newRoot) ? { status: 'consistent', head: latest } : { status: 'rewritten', reason: 'root_changed' };
  }
  let ok = false;
  try {
    ok = verifyConsistency(lastSeen.size, latest.size, oldRoot, newRoot, input.consistencyProof.map((p) => fromBase64url(p, 32)));
  } catch {
    ok = false;
  }
  return ok ? { status: 'consistent', head: latest } : { status: 'rewritten', reason: 'proof' };
}

export interface LogProblem {
  seq: number | null;
  problem: 'leaf_mismatch' | 'gap' | 'head_signature' | 'head_root' | 'head_beyond_log';
}

export interface LogVerification {
  ok: boolean;
  entries: number;
  heads: number;
  root: string;
  problems: LogProblem[];
}

/**
 * The offline check of a whole log (`clearing audit verify`): every entry's
 * leaf is recomputed from its fields, sequence numbers must run without gaps,
 * and every signed head ever issued must match the tree rebuilt from the
 * entries. A changed, deleted or reordered entry breaks at least one of these.
 */
export function verifyAuditLog(input: {
  logPublicKey: Uint8Array;
  entries: Iterable<AuditEntry & { leafHash: string }>;
  heads: readonly SignedTreeHead[];
  onProgress?: (done: number) => void;
}): LogVerification {
  const problems: LogProblem[] = [];
  const tree = new MerkleTree();
  let expected = 0;
  for (const entry of input.entries) {
    if (entry.seq !== expected) {
      problems.push({ seq: expected, problem: 'gap' });
      expected = entry.seq;
    }
    const recomputed = auditLeafHash(entry);
    if (recomputed !== entry.leafHash) problems.push({ seq: entry.seq, problem: 'leaf_mismatch' });
    tree.append(fromBase64url(recomputed, 32));
    expected++;
    if (input.onProgress && expected % 1000 === 0) input.onProgress(expected);
  }
  for (const head of input.heads) {
    let signed = false;
    try {
      signed = verifyTreeHead(input.logPublicKey, head, { logId: auditLogId });
    } catch {
      signed = false;
    }
    if (!signed) problems.push({ seq: null, problem: 'head_signature' });
    if (head.size > tree.size) {
      problems.push({ seq: head.size - 1, problem: 'head_beyond_log' });
      continue;
    }
    if (toBase64url(tree.root(head.size)) !== head.rootHash) problems.push({ seq: head.size - 1, problem: 'head_root' });
  }
  return { ok: problems.length === 0, entries: tree.size, heads: input.heads.length, root: toBase64url(tree.root()), problems };
}
