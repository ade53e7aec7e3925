import { ClearingError, type LoginProofPurpose, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Executor } from '../../db/executor.js';
import type { AuthContext } from '../context.js';
import { deleteLoginChallenge, findMemberById, spendRecoveryCodeHash, spendTotpStep, type MemberRow } from '../repository/index.js';
import { hashRecoveryCode, matchTotp } from '../totp.js';

/**
 * What the login use cases share: their refusals, the single-use challenge
 * and the atomic spending of second factors. Every spend is one conditional
 * statement in the repository (src/server/members/repository/members.ts), so of
 * concurrent requests with one code exactly one wins.
 */

export const loginFailed = () => new ClearingError('LOGIN_FAILED', { status: 401 });
export const totpInvalid = () => new ClearingError('TOTP_INVALID', { status: 401 });

/** An audit entry of its own, for a refusal that writes nothing else. */
export async function auditAlone(ctx: AuthContext, entry: Parameters<typeof appendAuditEntry>[1]): Promise<void> {
  await ctx.database.db.transaction().execute((tx) => appendAuditEntry(tx, entry));
}

/** Spends a challenge: exactly one request can, and only for the subject and purpose it was issued for. */
export async function consumeChallenge(db: Executor, challenge: string, subjectTag: string, purpose: LoginProofPurpose): Promise<void> {
  if (!(await deleteLoginChallenge(db, challenge, subjectTag, purpose))) {
    throw new ClearingError('LOGIN_CHALLENGE_INVALID', { status: 400 });
  }
}

export function openTotpSecret(ctx: AuthContext, member: MemberRow): string | null {
  return member.totpSecret === null ? null : ctx.secrets.openTotpSecret(member.id, member.totpSecret);
}

/** Spends a recovery code: removed from the stored set by a conditional update that must change exactly one row. */
async function spendRecoveryCode(tx: Executor, memberId: MemberId, code: string): Promise<number | null> {
  return spendRecoveryCodeHash(tx, memberId, hashRecoveryCode(code));
}

export interface CompletedLogin {
  /** The session's new cookie value and anti-forgery token: the pending ones stop working. */
  token: string;
  csrfToken: string;
}

/**
 * Checks and spends a TOTP code inside the caller's transaction; false when it
 * is wrong, already used, or the secret cannot be opened (sealed under another
 * server secret: a database restored without its data directory).
 */
export async function spendTotpCode(ctx: AuthContext, tx: Executor, member: MemberRow, code: string): Promise<boolean> {
  if (!member.totpEnabledAt) return false;
  const secret = openTotpSecret(ctx, member);
  if (secret === null) return false;
  const step = matchTotp(secret, code.replace(/\s/g, ''), member.totpLastStep);
  return step !== null && (await spendTotpStep(tx, member.id, step, false));
}

/**
 * Checks and spends a second factor inside the caller's transaction: a TOTP
 * code (never the same step twice) or a single-use recovery code. Returns the
 * factor used, or null when it was wrong (nothing was spent).
 */
export async function spendSecondFactor(
  ctx: AuthContext,
  tx: Executor,
  memberId: MemberId,
  input: { code?: string; recoveryCode?: string },
): Promise<'totp' | 'recovery_code' | null> {
  const member = await findMemberById(tx, memberId);
  if (!member?.totpEnabledAt) return null;
  if (input.code !== undefined) return (await spendTotpCode(ctx, tx, member, input.code)) ? 'totp' : null;
  if (input.recoveryCode !== undefined) {
    const remaining = await spendRecoveryCode(tx, member.id, input.recoveryCode);
    if (remaining === null) return null;
    await appendAuditEntry(tx, { action: 'auth.recovery_code_used', actorId: member.id, subjectId: member.id, detail: { remaining } });
    return 'recovery_code';
  }
  return null;
}
