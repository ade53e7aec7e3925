import { ClearingError } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Actor } from '../../http/authorize.js';
import type { AuthContext } from '../context.js';
import { confirmPendingTotpSecret, findPendingTotpSecret } from '../repository/index.js';
import { claimAttempt, clearFailures } from '../repository/throttle.js';
import { matchTotp } from '../totp.js';
import { secondFactorThrottleKey } from '../webauthn.js';

/** Confirms the new TOTP secret with a code from it; the old one stops working in the same statement. */
export async function confirmTotpReenrollment(ctx: AuthContext, props: { actor: Actor; code: string }): Promise<void> {
  const { actor, code } = props;
  const { database } = ctx;
  const throttleKey = secondFactorThrottleKey(actor.memberId);
  await claimAttempt(database.db, throttleKey);
  const row = await findPendingTotpSecret(database.db, actor.memberId);
  const pending = row?.sealed ?? null;
  if (!pending || !row?.expiresAt || new Date(row.expiresAt).getTime() < Date.now()) {
    throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
  }
  const secret = ctx.secrets.openTotpSecret(actor.memberId, pending);
  const step = secret === null ? null : matchTotp(secret, code.replace(/\s/g, ''), null);
  if (step === null) {
    throw new ClearingError('TOTP_INVALID', { status: 401 });
  }
  await database.db.transaction().execute(async (tx) => {
    // Only the secret that was shown is confirmed: a second start in between voids this one.
    if (!(await confirmPendingTotpSecret(tx, actor.memberId, pending, step))) throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
    await appendAuditEntry(tx, { action: 'auth.totp_reenrolled', actorId: actor.memberId, subjectId: actor.memberId });
    await clearFailures(tx, throttleKey);
  });
}
