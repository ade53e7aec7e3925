import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AuthenticatorSummary, MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import type { WebauthnChallengesTable } from '../../db/schema/index.js';

/** Registered authenticators and their single-use challenges (stored hashed, bound to member and session). */

export type WebauthnPurpose = WebauthnChallengesTable['purpose'];

const challengeLifetimeMs = 5 * 60 * 1000;

function hashChallenge(challenge: string): string {
  return createHash('sha256').update(challenge).digest('base64url');
}

/** Stores a challenge; one outstanding per session and purpose, so asking again voids the previous one. Expired ones go first. */
export async function storeWebauthnChallenge(
  db: Executor,
  owner: { memberId: MemberId; sessionHash: string },
  purpose: WebauthnPurpose,
  challenge: string,
): Promise<void> {
  await db.deleteFrom('webauthn_challenges').where('expires_at', '<', sql<Date>`now()`).execute();
  await db.deleteFrom('webauthn_challenges').where('session_hash', '=', owner.sessionHash).where('purpose', '=', purpose).execute();
  await db
    .insertInto('webauthn_challenges')
    .values({
      challenge_hash: hashChallenge(challenge),
      member_id: owner.memberId,
      session_hash: owner.sessionHash,
      purpose,
      expires_at: new Date(Date.now() + challengeLifetimeMs),
    })
    .execute();
}

/** Deletes the challenge if this member's session was issued it for this purpose and it is unexpired; true when exactly one row went. */
export async function deleteWebauthnChallenge(
  db: Executor,
  owner: { memberId: MemberId; sessionHash: string },
  purpose: WebauthnPurpose,
  challenge: string,
): Promise<boolean> {
  const deleted = await db
    .deleteFrom('webauthn_challenges')
    .where('challenge_hash', '=', hashChallenge(challenge))
    .where('member_id', '=', owner.memberId)
    .where('session_hash', '=', owner.sessionHash)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1;
}

/** Spent-or-not, expired WebAuthn challenges and expired pending TOTP secrets: nothing can use them any more. */
export async function purgeExpiredSecondFactorState(db: Executor): Promise<number> {
  const challenges = await db.deleteFrom('webauthn_challenges').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  const pending = await db
    .updateTable('members')
    .set({ totp_pending_secret: null, totp_pending_expires_at: null })
    .where('totp_pending_expires_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(challenges.numDeletedRows) + Number(pending.numUpdatedRows);
}

export interface CredentialRow {
  id: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

type StoredCredential = { id: string; credential_id: string; public_key: string; counter: string | number; transports: string[] };
const credentialRow = (r: StoredCredential): CredentialRow => ({
  id: r.id,
  credentialId: r.credential_id,
  publicKey: r.public_key,
  counter: Number(r.counter),
  transports: r.transports,
});

export async function listCredentials(db: Executor, memberId: MemberId): Promise<CredentialRow[]> {
  const rows = await db
    .selectFrom('webauthn_credentials')
    .select(['id', 'credential_id', 'public_key', 'counter', 'transports'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .execute();
  return rows.map(credentialRow);
}

/** One of the member's credentials by the id the authenticator answered with, locked for the counter update. */
export async function lockCredential(db: Executor, memberId: MemberId, credentialId: string): Promise<CredentialRow | null> {
  const row = await db
    .selectFrom('webauthn_credentials')
    .select(['id', 'credential_id', 'public_key', 'counter', 'transports'])
    .where('credential_id', '=', credentialId)
    .where('member_id', '=', memberId)
    .forUpdate()
    .executeTakeFirst();
  return row ? credentialRow(row) : null;
}

/** Moves the signature counter forward, only from the value that was read: true when it moved. */
export async function advanceCredentialCounter(db: Executor, id: string, from: number, to: number): Promise<boolean> {
  const updated = await db
    .updateTable('webauthn_credentials')
    .set({ counter: to, last_used_at: sql`now()` })
    .where('id', '=', id)
    .where('counter', '=', from)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function listAuthenticators(db: Executor, memberId: MemberId): Promise<AuthenticatorSummary[]> {
  const rows = await db
    .selectFrom('webauthn_credentials')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  }));
}

export async function countAuthenticators(db: Executor, memberId: MemberId): Promise<number> {
  const row = await db
    .selectFrom('webauthn_credentials')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Stores a credential; false when this credential id is registered already. */
export async function insertCredential(
  db: Executor,
  credential: { id: string; memberId: MemberId; credentialId: string; publicKey: string; counter: number; transports: string[]; name: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('webauthn_credentials')
    .values({
      id: credential.id,
      member_id: credential.memberId,
      credential_id: credential.credentialId,
      public_key: credential.publicKey,
      counter: credential.counter,
      transports: JSON.stringify(credential.transports),
      name: credential.name,
    })
    .onConflict((oc) => oc.column('credential_id').doNothing())
    .executeTakeFirst();
  return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function renameCredential(db: Executor, memberId: MemberId, id: string, name: string): Promise<boolean> {
  const updated = await db.updateTable('webauthn_credentials').set({ name }).where('id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function hasCredential(db: Executor, memberId: MemberId, id: string): Promise<boolean> {
  const found = await db.selectFrom('webauthn_credentials').select('id').where('id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
  return found !== undefined;
}

export async function deleteCredential(db: Executor, memberId: MemberId, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('webauthn_credentials').where('id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1;
}
