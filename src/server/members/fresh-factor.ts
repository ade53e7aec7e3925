import { ClearingError, type FreshFactor } from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Executor } from '../db/executor.js';
import type { Actor } from '../http/authorize.js';
import type { AuthContext } from './context.js';
import { spendTotpCode } from './use-cases/login-shared.js';
import { lockMember } from './repository/index.js';
import { claimAttempt, clearFailures } from './repository/throttle.js';
import { checkAssertion, secondFactorThrottleKey, spendAssertionChallenge, type RelyingParty } from './webauthn.js';

/**
 * A fresh second factor before a change that a stolen session alone must not
 * make (a new authenticator, new recovery codes, a new TOTP secret, a new
 * passphrase): a TOTP code never used before, or a WebAuthn assertion over a
 * confirmation challenge of this session.
 */

/**
 * Runs `work` in one transaction with the check of the fresh factor, so the
 * change happens only if the factor was good and the factor is spent only if
 * the change happened. Failures count against the member's second-factor brake
 * and are audited (without anything the member typed).
 */
export async function withFreshFactor<T>(
  ctx: AuthContext,
  actor: Actor,
  rp: RelyingParty | null,
  fresh: FreshFactor,
  work: (tx: Executor) => Promise<T>,
): Promise<T> {
  const { database } = ctx;
  const throttleKey = secondFactorThrottleKey(actor.memberId);
  await claimAttempt(database.db, throttleKey);
  let factor: 'totp' | 'webauthn';
  let attempt: (tx: Executor) => Promise<boolean>;
  if (typeof fresh.code === 'string') {
    const code = fresh.code;
    factor = 'totp';
    attempt = async (tx) => {
      const member = await lockMember(tx, actor.memberId);
      return member !== null && (await spendTotpCode(ctx, tx, member, code));
    };
  } else if (fresh.assertion !== undefined && rp) {
    factor = 'webauthn';
    const { challenge, response } = await spendAssertionChallenge(database.db, actor, 'confirmation', fresh.assertion);
    attempt = async (tx) => (await checkAssertion(tx, actor.memberId, rp, challenge, response)).ok;
  } else {
    throw new ClearingError('FRESH_FACTOR_REQUIRED', { status: 400 });
  }
  const outcome = await database.db.transaction().execute(async (tx) => {
    if (!(await attempt(tx))) return { ok: false as const };
    return { ok: true as const, value: await work(tx) };
  });
  if (!outcome.ok) {
    await database.db.transaction().execute(async (tx) => {
      await appendAuditEntry(tx, {
        action: 'auth.second_factor_failed',
        actorId: actor.memberId,
        subjectId: actor.memberId,
        detail: { factor, context: 'confirmation' },
      });
    });
    throw factor === 'totp' ? new ClearingError('TOTP_INVALID', { status: 401 }) : new ClearingError('WEBAUTHN_INVALID', { status: 401 });
  }
  await clearFailures(database.db, throttleKey);
  return outcome.value;
}
