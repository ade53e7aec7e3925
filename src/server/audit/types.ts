/**
 * What the audit log records: one entry per security-relevant action, with
 * pseudonymous ids and never any case content (DESIGN.md §5).
 */
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

export interface AuditEntryInput {
  action: AuditAction;
  /** The member who acted; null when nobody is logged in (e.g. a failed login for an unknown name). */
  actorId: string | null;
  /** The member, invitation or other object acted upon, by id. */
  subjectId?: string | null;
  /** Small, non-identifying facts: a role, a count, a reason code. Never names or content. */
  detail?: Record<string, string | number | boolean | null>;
}
