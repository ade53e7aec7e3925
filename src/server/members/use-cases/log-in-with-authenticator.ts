import { ClearingError } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../http/authorize.js';
import { claimAttempt, clearFailures } from '../repository/throttle.js';
import {
  checkAssertion,
  completeSecondFactorLogin,
  secondFactorThrottleKey,
  spendAssertionChallenge,
  webauthnInvalid,
  type RelyingParty,
} from '../webauthn.js';

/** Second factor by security key or passkey, instead of a TOTP code. */
export async function logInWithAuthenticator(
  database: Database,
  props: { actor: Actor; rp: RelyingParty; assertion: unknown },
): Promise<{ token: string; csrfToken: string }> {
  const { actor, rp, assertion } = props;
  if (actor.stage !== 'second_factor') throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
  const throttleKey = secondFactorThrottleKey(actor.memberId);
  await claimAttempt(database.db, throttleKey);
  const { challenge, response } = await spendAssertionChallenge(database.db, actor, 'login', assertion);
  const check = await database.db.transaction().execute(async (tx) => {
    const result = await checkAssertion(tx, actor.memberId, rp, challenge, response);
    if (!result.ok) return result;
    const session = await completeSecondFactorLogin(tx, actor, 'webauthn');
    await clearFailures(tx, throttleKey);
    return { ...result, session };
  });
  if (!check.ok || !('session' in check)) {
    const reason = check.ok ? 'unknown' : check.reason;
    await database.db.transaction().execute(async (tx) => {
      await appendAuditEntry(tx, {
        action: 'auth.second_factor_failed',
        actorId: actor.memberId,
        subjectId: actor.memberId,
        detail: { factor: 'webauthn', reason },
      });
    });
    throw webauthnInvalid();
  }
  return check.session;
}
