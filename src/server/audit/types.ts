/**
 * What the audit log records: one entry per security-relevant action, with
 * pseudonymous ids and never any case content (docs/security.md; decision 0007).
 */
import type { AuditAction } from '../../core/index.js';

export { auditActions, type AuditAction } from '../../core/index.js';

export interface AuditEntryInput {
  action: AuditAction;
  /** The member who acted; null when nobody is logged in (e.g. a failed login for an unknown name). */
  actorId: string | null;
  /** The member, invitation or other object acted upon, by id. */
  subjectId?: string | null;
  /** Small, non-identifying facts: a role, a count, a reason code. Never names or content. */
  detail?: Record<string, string | number | boolean | null>;
}
