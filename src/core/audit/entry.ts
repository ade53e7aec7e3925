import { canonicalJson, toBase64url } from '../crypto/primitives/bytes.js';
import { leafHash } from '../crypto/merkle/hash.js';

/** Every kind of audit entry (docs/decisions/0007-audit-log.md): security-relevant actions only. */
export const auditActions = [
  'organization.setup',
  'auth.login',
  'auth.login_failed',
  'auth.second_factor_failed',
  'auth.totp_enrolled',
  'auth.recovery_code_used',
  'auth.logout',
  'auth.logout_everywhere',
  'auth.login_upgraded',
  'member.invited',
  'member.invitation_revoked',
  'member.joined',
  'member.certified',
  'member.role_changed',
  'member.suspended',
  'member.reinstated',
  'member.removed',
  'member.passphrase_changed',
  'member.passphrase_change_failed',
  'organization.key_granted',
  // Account page and WebAuthn.
  'auth.authenticator_added',
  'auth.authenticator_removed',
  'auth.recovery_codes_regenerated',
  'auth.totp_reenrolled',
  'auth.session_ended',
  // Trust: pseudonymous ids and counts only.
  'membership.list_published',
  'organization.key_rotated',
  // Casework: case, compartment and record ids, kinds and counts only; never content.
  'case.opened',
  'case.keys_read',
  'case.record_written',
  'case.granted',
  'case.revoked',
  'case.rotated',
  'case.status_changed',
  'case.closed',
  'case.reopened',
  'case.assigned',
  'case.escalated',
  'case.flag_set',
  'case.flag_removed',
  'case.handed_over',
  'case.access_requested',
  'case.exported',
  'case.task_created',
  'case.task_updated',
  'case.priority_changed',
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

/** An entry with the leaf hash the server stored for it, which a checker recomputes rather than trusts. */
export interface StoredAuditEntry extends AuditEntry {
  leafHash: string;
}

/**
 * The bytes a leaf commits to: every field of the entry, canonically encoded
 * (RFC 8785), so the same entry hashes the same in the server, the browser and
 * the CLI whatever order the database returns its JSON keys in.
 */
export function auditLeafBytes(entry: AuditEntry): Uint8Array {
  return canonicalJson({
    v: 1,
    seq: entry.seq,
    occurredAt: entry.occurredAt,
    action: entry.action,
    actorId: entry.actorId,
    subjectId: entry.subjectId,
    detail: entry.detail,
  });
}

/** The RFC 9162 leaf hash of an entry, base64url, as stored in `audit_entries.leaf_hash`. */
export function auditLeafHash(entry: AuditEntry): string {
  return toBase64url(leafHash(auditLeafBytes(entry)));
}
