import { randomUUID } from 'node:crypto';
import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { ClearingError, type AuthenticatorSummary } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../http/authorize.js';
import { countAuthenticators, insertCredential, listAuthenticators, lockMember } from '../repository/index.js';
import { checkAuthenticatorName, consumeWebauthnChallenge, maxAuthenticators, type RelyingParty } from '../webauthn.js';

const knownTransports = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/** Verifies the browser's answer to the registration options and stores the authenticator under the member's name for it. */
export async function addAuthenticator(
  database: Database,
  props: { actor: Actor; rp: RelyingParty; name: string; registration: unknown },
): Promise<AuthenticatorSummary> {
  const { actor, rp, ...input } = props;
  const name = checkAuthenticatorName(input.name);
  const response = input.registration as RegistrationResponseJSON;
  const challenge = await consumeWebauthnChallenge(database.db, actor, 'registration', response?.response?.clientDataJSON);
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    throw new ClearingError('WEBAUTHN_INVALID', { status: 400 });
  }
  if (!verification.verified) throw new ClearingError('WEBAUTHN_INVALID', { status: 400 });
  const { credential } = verification.registrationInfo;
  const transports = (response.response.transports ?? []).filter((t) => knownTransports.has(t)).slice(0, 8);
  const publicKey = Buffer.from(credential.publicKey).toString('base64url');
  if (credential.id.length > 1400 || publicKey.length > 4096) throw new ClearingError('WEBAUTHN_INVALID', { status: 400 });
  const id = randomUUID();
  return database.db.transaction().execute(async (tx) => {
    await lockMember(tx, actor.memberId);
    const count = await countAuthenticators(tx, actor.memberId);
    if (count >= maxAuthenticators) throw new ClearingError('AUTHENTICATOR_LIMIT', { status: 409, params: { max: maxAuthenticators } });
    const inserted = await insertCredential(tx, {
      id,
      memberId: actor.memberId,
      credentialId: credential.id,
      publicKey,
      counter: credential.counter,
      transports,
      name,
    });
    if (!inserted) throw new ClearingError('AUTHENTICATOR_EXISTS', { status: 409 });
    await appendAuditEntry(tx, {
      action: 'auth.authenticator_added',
      actorId: actor.memberId,
      subjectId: actor.memberId,
      detail: { authenticators: count + 1 },
    });
    const [summary] = (await listAuthenticators(tx, actor.memberId)).filter((a) => a.id === id);
    return summary!;
  });
}
