import { ClearingError, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { AuthContext } from '../context.js';
import { findMemberById, spendTotpStep, updateMember } from '../repository/index.js';
import { completeSession } from '../repository/sessions.js';
import { claimAttempt, clearFailures } from '../repository/throttle.js';
import { matchTotp, newRecoveryCodes } from '../totp.js';
import { auditAlone, openTotpSecret, totpInvalid, type CompletedLogin } from './login-shared.js';

export interface ConfirmTotpEnrollmentProps {
  actor: { memberId: MemberId; sessionHash: string };
  code: string;
}

/** Finishes TOTP setup with a first code: recovery codes (shown once), and the session gets new tokens. */

export async function confirmTotpEnrollment(ctx: AuthContext, props: ConfirmTotpEnrollmentProps): Promise<CompletedLogin & { recoveryCodes: string[] }> {
  const { actor, code } = props;
  const { db } = ctx.database;
  const throttleKey = `totp:${actor.memberId}`;
  await claimAttempt(db, throttleKey);
  const member = await findMemberById(db, actor.memberId);
  const secret = member ? openTotpSecret(ctx, member) : null;
  if (!member || !secret || member.totpEnabledAt) throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
  const step = matchTotp(secret, code.trim(), null);
  if (step === null) {
    await auditAlone(ctx, { action: 'auth.second_factor_failed', actorId: member.id, subjectId: member.id });
    throw totpInvalid();
  }
  const { codes, hashes } = newRecoveryCodes();
  const session = await db.transaction().execute(async (tx) => {
    // Only the first confirmation counts, should two race.
    if (!(await spendTotpStep(tx, member.id, step, true))) throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
    await updateMember(tx, member.id, { recoveryCodes: hashes });
    const completed = await completeSession(tx, actor.sessionHash);
    await clearFailures(tx, throttleKey);
    await appendAuditEntry(tx, { action: 'auth.totp_enrolled', actorId: member.id, subjectId: member.id });
    await appendAuditEntry(tx, { action: 'auth.login', actorId: member.id, subjectId: member.id, detail: { factor: 'totp' } });
    return completed;
  });
  return { ...session, recoveryCodes: codes };
}
