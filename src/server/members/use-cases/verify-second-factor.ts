import { ClearingError, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { AuthContext } from '../context.js';
import { completeSession, type SessionStage } from '../repository/sessions.js';
import { claimAttempt, clearFailures } from '../repository/throttle.js';
import { auditAlone, spendSecondFactor, totpInvalid, type CompletedLogin } from './login-shared.js';

export interface VerifySecondFactorProps {
  actor: { memberId: MemberId; sessionHash: string; stage: SessionStage };
  code?: string;
  recoveryCode?: string;
}

/** Second factor: a TOTP code or a single-use recovery code; the session gets new tokens. */
export async function verifySecondFactor(ctx: AuthContext, props: VerifySecondFactorProps): Promise<CompletedLogin> {
  const { actor, ...input } = props;
  if (actor.stage !== 'second_factor') throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
  const { db } = ctx.database;
  const throttleKey = `totp:${actor.memberId}`;
  await claimAttempt(db, throttleKey);
  const completed = await db.transaction().execute(async (tx) => {
    const factor = await spendSecondFactor(ctx, tx, actor.memberId, input);
    if (factor === null) return null;
    const session = await completeSession(tx, actor.sessionHash);
    await appendAuditEntry(tx, { action: 'auth.login', actorId: actor.memberId, subjectId: actor.memberId, detail: { factor } });
    await clearFailures(tx, throttleKey);
    return session;
  });
  if (!completed) {
    await auditAlone(ctx, { action: 'auth.second_factor_failed', actorId: actor.memberId, subjectId: actor.memberId });
    throw totpInvalid();
  }
  return completed;
}
