import { generateAuthenticationOptions } from '@simplewebauthn/server';
import { ClearingError } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../http/authorize.js';
import { listCredentials, storeWebauthnChallenge } from '../repository/index.js';
import { webauthnTimeoutMs, type RelyingParty } from '../webauthn.js';

/**
 * A challenge for the member's registered authenticators (null options when
 * there are none, so the page offers only the code). A pending login gets a
 * login challenge, a full session a confirmation one.
 */
export async function requestAssertionOptions(database: Database, props: { actor: Actor; rp: RelyingParty }): Promise<{ options: unknown }> {
  const { actor, rp } = props;
  if (actor.stage === 'totp_enrollment') throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
  const credentials = await listCredentials(database.db, actor.memberId);
  if (credentials.length === 0) return { options: null };
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: c.transports })),
    userVerification: 'preferred',
    timeout: webauthnTimeoutMs,
  });
  await storeWebauthnChallenge(database.db, actor, actor.stage === 'second_factor' ? 'login' : 'confirmation', options.challenge);
  return { options };
}
