import {
  ClearingError,
  decodeOrganizationPublicKey,
  isCryptoError,
  isUuid,
  verifyInvitationStatement,
  asInvitationId,
  type InvitationId,
  type Role,
} from '../../../core/index.js';

/** How far the expiry an administrator's browser signed may stray from now + expiresInHours (clock skew, a slow request). */
const expirySlackMs = 10 * 60_000;

/**
 * An administrator invitation must carry the organization key's signature
 * over its id, role and expiry (made in a certified administrator's
 * browser); the server cannot make one, nor can an administrator who never
 * received the key.
 */
export function checkInvitationStatement(
  organizationKey: string,
  input: { role: Role; expiresInHours: number; statement?: unknown },
): { id: InvitationId; expiresAt: Date } | null {
  if (input.statement === undefined || input.statement === null) {
    if (input.role === 'administrator') {
      throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 400, params: { reason: 'missing' } });
    }
    return null;
  }
  let body: ReturnType<typeof verifyInvitationStatement>;
  try {
    body = verifyInvitationStatement(decodeOrganizationPublicKey(organizationKey), input.statement);
  } catch (e) {
    if (isCryptoError(e)) throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 400, params: { reason: e.code }, cause: e });
    throw e;
  }
  const expiresAt = new Date(body.expiresAt);
  const intended = Date.now() + input.expiresInHours * 3600_000;
  if (body.role !== input.role || !isUuid(body.invitationId) || Math.abs(expiresAt.getTime() - intended) > expirySlackMs) {
    throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 400, params: { reason: 'mismatch' } });
  }
  return { id: asInvitationId(body.invitationId), expiresAt };
}
