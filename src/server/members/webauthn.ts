import { generateRegistrationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { ClearingError, type MemberId } from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Executor } from '../db/executor.js';
import type { Actor } from '../http/authorize.js';
import { findOrganization } from '../organization/repository.js';
import {
  advanceCredentialCounter,
  countAuthenticators,
  deleteWebauthnChallenge,
  findMemberById,
  listAuthenticators,
  listCredentials,
  lockCredential,
  storeWebauthnChallenge,
  type WebauthnPurpose,
} from './repository/index.js';
import { completeSession } from './repository/sessions.js';

/**
 * WebAuthn (security keys, platform passkeys) as a second factor beside TOTP.
 *
 * The browser's answers are checked by @simplewebauthn/server against the
 * origin and RP ID of the request (so a phishing site's answers do not
 * verify), a single-use challenge (stored hashed, bound to the member and the
 * session that asked, consumed by a DELETE that must remove exactly one row),
 * and the stored public key and signature counter. Authenticator names are the
 * member's own words: never logged, never in audit entries.
 */

/** Where the browser talks to us: the origin its answers must name, and the RP ID credentials are scoped to. */
export interface RelyingParty {
  origin: string;
  rpID: string;
}

export const webauthnTimeoutMs = 2 * 60 * 1000;
/** Enough for a few keys and phones; stops one session from filling the table. */
export const maxAuthenticators = 10;
/** The name's limit is part of the request schema (src/core/api/account.ts). */
export { maxAuthenticatorNameLength };
import { maxAuthenticatorNameLength } from '../../core/api/account.js';

/** One brake for every second-factor guess (TOTP and WebAuthn, at login and on the account page). */
export function secondFactorThrottleKey(memberId: string): string {
  return `totp:${memberId}`;
}

const hostPattern = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/i;

/** The relying party of a request, from its Host header (the authorization hook already refused a foreign Origin). */
export function relyingPartyOf(host: string | undefined, https: boolean): RelyingParty {
  if (!host || host.length > 260 || !hostPattern.test(host)) {
    throw new ClearingError('WEBAUTHN_UNAVAILABLE', { status: 400 });
  }
  const lower = host.toLowerCase();
  return { origin: `${https ? 'https' : 'http'}://${lower}`, rpID: lower.replace(/:\d+$/, '') };
}

export function checkAuthenticatorName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
  if (name.length < 1 || name.length > maxAuthenticatorNameLength || /\p{C}/u.test(name)) {
    throw new ClearingError('AUTHENTICATOR_NAME_INVALID', { status: 400, params: { max: maxAuthenticatorNameLength } });
  }
  return name;
}

export const webauthnInvalid = () => new ClearingError('WEBAUTHN_INVALID', { status: 401 });
const challengeInvalid = () => new ClearingError('WEBAUTHN_CHALLENGE_INVALID', { status: 400 });

/** The challenge a browser answer claims to answer, read from its client data (verified properly later). */
function claimedChallenge(clientDataJSON: unknown): string {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) throw challengeInvalid();
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (data as { challenge?: unknown } | null)?.challenge;
    if (typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 128) return challenge;
  } catch {
    // fall through
  }
  throw challengeInvalid();
}

type Purpose = WebauthnPurpose;

/**
 * Spends the challenge an answer names; exactly one row must go, so a replayed
 * or concurrent second answer finds nothing. Committed on its own: a failed
 * verification burns the challenge too.
 */
export async function consumeWebauthnChallenge(
  db: Executor,
  actor: Pick<Actor, 'memberId' | 'sessionHash'>,
  purpose: Purpose,
  clientDataJSON: unknown,
): Promise<string> {
  const challenge = claimedChallenge(clientDataJSON);
  if (!(await deleteWebauthnChallenge(db, actor, purpose, challenge))) throw challengeInvalid();
  return challenge;
}

/** Re-exported: the account page lists them. */
export { countAuthenticators, listAuthenticators };

// ── Assertions: the second factor of a login, or a fresh confirmation on the account page ──

export type AssertionCheck = { ok: true } | { ok: false; reason: 'unknown' | 'signature' | 'counter' };

/**
 * Verifies an assertion for one of the member's own credentials and moves its
 * counter forward, inside the caller's transaction. A counter that does not
 * grow (for an authenticator that counts) means a cloned key: refused.
 */
export async function checkAssertion(
  tx: Executor,
  memberId: MemberId,
  rp: RelyingParty,
  challenge: string,
  response: AuthenticationResponseJSON,
): Promise<AssertionCheck> {
  const row = await lockCredential(tx, memberId, response.id);
  if (!row || response.rawId !== response.id) return { ok: false, reason: 'unknown' };
  const stored = row.counter;
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: row.credentialId, publicKey: new Uint8Array(Buffer.from(row.publicKey, 'base64url')), counter: stored, transports: row.transports },
      requireUserVerification: false,
    });
    if (!result.verified) return { ok: false, reason: 'signature' };
    newCounter = result.authenticationInfo.newCounter;
  } catch (error) {
    return { ok: false, reason: /counter/i.test(error instanceof Error ? error.message : '') ? 'counter' : 'signature' };
  }
  return (await advanceCredentialCounter(tx, row.id, stored, newCounter)) ? { ok: true } : { ok: false, reason: 'counter' };
}

/** Reads the challenge an assertion answers and spends it. */
export async function spendAssertionChallenge(
  db: Executor,
  actor: Actor,
  purpose: 'login' | 'confirmation',
  assertion: unknown,
): Promise<{ challenge: string; response: AuthenticationResponseJSON }> {
  const response = assertion as AuthenticationResponseJSON;
  const challenge = await consumeWebauthnChallenge(db, actor, purpose, response?.response?.clientDataJSON);
  return { challenge, response };
}

/**
 * The end of a login by a second factor, inside its transaction. One call, so
 * that it can be swapped for a version that also re-issues the session token.
 */
export async function completeSecondFactorLogin(
  tx: Executor,
  actor: Pick<Actor, 'memberId' | 'sessionHash'>,
  factor: 'webauthn',
): Promise<{ token: string; csrfToken: string }> {
  const session = await completeSession(tx, actor.sessionHash);
  await appendAuditEntry(tx, { action: 'auth.login', actorId: actor.memberId, subjectId: actor.memberId, detail: { factor } });
  return session;
}

// ── Registration and management (full session) ──

/** Options for registering one more authenticator; the caller has already checked a fresh second factor. */
export async function registrationOptions(tx: Executor, actor: Actor, rp: RelyingParty): Promise<{ options: unknown }> {
  const member = await findMemberById(tx, actor.memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  const existing = await listCredentials(tx, member.id);
  if (existing.length >= maxAuthenticators) throw new ClearingError('AUTHENTICATOR_LIMIT', { status: 409, params: { max: maxAuthenticators } });
  const org = await findOrganization(tx);
  const options = await generateRegistrationOptions({
    rpName: `Clearing ${org?.name ?? ''}`.trim().slice(0, 60),
    rpID: rp.rpID,
    userName: member.name,
    // The pseudonymous member id: registering the same authenticator again replaces its credential instead of adding one.
    userID: new Uint8Array(Buffer.from(member.id, 'utf8')),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
    // A second factor, not a passkey login: nothing need be stored on the key, so a seized key lists no accounts.
    authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
    timeout: webauthnTimeoutMs,
  });
  await storeWebauthnChallenge(tx, actor, 'registration', options.challenge);
  return { options };
}
