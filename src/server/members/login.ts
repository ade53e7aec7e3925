import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ClearingError, newKdfParams, parseKeyBundle, toBase64url, type KdfParams, type LoginResponse, type PreloginResponse } from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Database } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import { findOrganization } from '../organization/repository.js';
import { findMemberById, findMemberByName, nameKey, updateMember } from './repository.js';
import { createSession, promoteSession, revokeMemberSessions, type SessionStage } from './sessions.js';
import { burnEquivalentTime, hashAuthKey, verifyAuthKey } from './slow-hash.js';
import { assertAccountMayTry, clearFailures, recordFailure } from './throttle.js';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from './totp.js';
import { checkAuthKey, checkKeyBundle } from './validate.js';
import { consumeTotpCode } from './fresh-factor.js';
import { secondFactorThrottleKey } from './webauthn.js';

const challengeLifetimeMs = 2 * 60 * 1000;
const loginFailed = () => new ClearingError('LOGIN_FAILED', 'The name or passphrase is wrong.', { status: 401 });

async function serverSecret(db: Executor, name: string): Promise<Buffer> {
  const existing = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'base64url');
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}

/**
 * Unknown names get parameters that look like a member's and never change,
 * so prelogin cannot be used to learn who is a member.
 */
async function decoyKdf(db: Executor, key: string): Promise<KdfParams> {
  const secret = await serverSecret(db, 'decoy-kdf');
  const salt = createHmac('sha256', secret).update(key).digest().subarray(0, 16);
  return { ...newKdfParams(), salt: toBase64url(new Uint8Array(salt)) };
}

function hashChallenge(challenge: string): string {
  return createHash('sha256').update(challenge).digest('base64url');
}

export async function prelogin(database: Database, name: string): Promise<PreloginResponse> {
  const key = nameKey(name);
  const member = await findMemberByName(database.db, name);
  const kdf = member ? parseKeyBundle(member.keyBundle).kdf : await decoyKdf(database.db, key);
  const challenge = randomBytes(32).toString('base64url');
  await database.db.deleteFrom('login_challenges').where('expires_at', '<', sql<Date>`now()`).execute();
  await database.db
    .insertInto('login_challenges')
    .values({ challenge_hash: hashChallenge(challenge), name_key: key, expires_at: new Date(Date.now() + challengeLifetimeMs) })
    .execute();
  return { kdf, challenge };
}

/** First factor: the authentication key derived in the browser, with a single-use challenge. */
export async function login(
  database: Database,
  input: { name: string; authKey: string; challenge: string },
): Promise<LoginResponse & { token: string }> {
  const key = nameKey(input.name);
  const authKey = checkAuthKey(input.authKey);
  const consumed = await database.db
    .deleteFrom('login_challenges')
    .where('challenge_hash', '=', hashChallenge(input.challenge))
    .where('name_key', '=', key)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (Number(consumed.numDeletedRows) !== 1) {
    throw new ClearingError('LOGIN_CHALLENGE_INVALID', 'The login form expired or was already used; try again.', { status: 400 });
  }
  const throttleKey = `login:${key}`;
  await assertAccountMayTry(database.db, throttleKey);
  const member = await findMemberByName(database.db, input.name);
  if (!member) {
    await burnEquivalentTime(authKey);
    await database.db.transaction().execute(async (tx) => {
      await recordFailure(tx, throttleKey);
      await appendAuditEntry(tx, { action: 'auth.login_failed', actorId: null, detail: { reason: 'credentials' } });
    });
    throw loginFailed();
  }
  if (!(await verifyAuthKey(authKey, member.authHash))) {
    await database.db.transaction().execute(async (tx) => {
      await recordFailure(tx, throttleKey);
      await appendAuditEntry(tx, { action: 'auth.login_failed', actorId: null, subjectId: member.id, detail: { reason: 'credentials' } });
    });
    throw loginFailed();
  }
  if (member.status !== 'active') {
    await database.db.transaction().execute(async (tx) => {
      await appendAuditEntry(tx, { action: 'auth.login_failed', actorId: member.id, subjectId: member.id, detail: { reason: member.status } });
    });
    throw new ClearingError('MEMBER_SUSPENDED', 'This account is suspended.', { status: 403 });
  }
  await clearFailures(database.db, throttleKey);
  const stage: SessionStage = member.totpEnabledAt ? 'second_factor' : 'totp_enrollment';
  const session = await createSession(database.db, member.id, stage);
  return { stage, csrfToken: session.csrfToken, token: session.token };
}

export async function beginTotpEnrollment(database: Database, memberId: string): Promise<{ secret: string; uri: string }> {
  const member = await findMemberById(database.db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', 'No such member.', { status: 404 });
  if (member.totpEnabledAt) throw new ClearingError('TOTP_NOT_ENROLLING', 'A second factor is already set up.', { status: 409 });
  const org = await findOrganization(database.db);
  const secret = newTotpSecret();
  await updateMember(database.db, memberId, { totpSecret: secret });
  return { secret, uri: totpUri(secret, org?.name ?? '', member.name) };
}

export async function confirmTotpEnrollment(
  database: Database,
  actor: { memberId: string; sessionHash: string },
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const throttleKey = `totp:${actor.memberId}`;
  await assertAccountMayTry(database.db, throttleKey);
  const member = await findMemberById(database.db, actor.memberId);
  if (!member?.totpSecret || member.totpEnabledAt) throw new ClearingError('TOTP_NOT_ENROLLING', 'Start setting up the second factor first.', { status: 409 });
  const step = matchTotp(member.totpSecret, code.trim(), null);
  if (step === null) {
    await recordFailure(database.db, throttleKey);
    throw new ClearingError('TOTP_INVALID', 'The code is wrong or expired.', { status: 401 });
  }
  const { codes, hashes } = newRecoveryCodes();
  await database.db.transaction().execute(async (tx) => {
    // Only the first confirmation counts, should two race.
    const updated = await tx
      .updateTable('members')
      .set({ totp_enabled_at: new Date(), totp_last_step: step, recovery_codes: JSON.stringify(hashes) })
      .where('id', '=', member.id)
      .where('totp_enabled_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new ClearingError('TOTP_NOT_ENROLLING', 'A second factor is already set up.', { status: 409 });
    await promoteSession(tx, actor.sessionHash);
    await clearFailures(tx, throttleKey);
    await appendAuditEntry(tx, { action: 'auth.totp_enrolled', actorId: member.id, subjectId: member.id });
    await appendAuditEntry(tx, { action: 'auth.login', actorId: member.id, subjectId: member.id, detail: { factor: 'totp' } });
  });
  return { recoveryCodes: codes };
}

/** Second factor: a TOTP code (never the same one twice) or a single-use recovery code. */
export async function verifySecondFactor(
  database: Database,
  actor: { memberId: string; sessionHash: string; stage: SessionStage },
  input: { code?: string; recoveryCode?: string },
): Promise<void> {
  if (actor.stage !== 'second_factor') throw new ClearingError('TOTP_NOT_ENROLLING', 'No second factor is pending.', { status: 409 });
  const throttleKey = `totp:${actor.memberId}`;
  await assertAccountMayTry(database.db, throttleKey);
  const ok = await database.db.transaction().execute(async (tx) => {
    const member = await findMemberById(tx, actor.memberId);
    if (!member?.totpSecret || !member.totpEnabledAt) return false;
    if (input.code !== undefined) {
      const step = matchTotp(member.totpSecret, input.code.trim(), member.totpLastStep);
      if (step === null) return false;
      await updateMember(tx, member.id, { totpLastStep: step });
      await appendAuditEntry(tx, { action: 'auth.login', actorId: member.id, subjectId: member.id, detail: { factor: 'totp' } });
    } else if (input.recoveryCode !== undefined) {
      const hash = hashRecoveryCode(input.recoveryCode);
      if (!member.recoveryCodes.includes(hash)) return false;
      await updateMember(tx, member.id, { recoveryCodes: member.recoveryCodes.filter((h) => h !== hash) });
      await appendAuditEntry(tx, { action: 'auth.recovery_code_used', actorId: member.id, subjectId: member.id, detail: { remaining: member.recoveryCodes.length - 1 } });
      await appendAuditEntry(tx, { action: 'auth.login', actorId: member.id, subjectId: member.id, detail: { factor: 'recovery_code' } });
    } else {
      return false;
    }
    await promoteSession(tx, actor.sessionHash);
    return true;
  });
  if (!ok) {
    await database.db.transaction().execute(async (tx) => {
      await recordFailure(tx, throttleKey);
      await appendAuditEntry(tx, { action: 'auth.second_factor_failed', actorId: actor.memberId, subjectId: actor.memberId });
    });
    throw new ClearingError('TOTP_INVALID', 'The code is wrong or expired.', { status: 401 });
  }
  await clearFailures(database.db, throttleKey);
}

/** A new passphrase: the browser re-wraps the same keys; the server swaps bundle and hash and ends other sessions. */
export async function changePassphrase(
  database: Database,
  actor: { memberId: string; sessionHash: string },
  input: { currentAuthKey: string; keyBundle: unknown; authKey: string; code?: string },
): Promise<void> {
  const current = checkAuthKey(input.currentAuthKey);
  const bundle = checkKeyBundle(input.keyBundle);
  const authHash = await hashAuthKey(checkAuthKey(input.authKey));
  const member = await findMemberById(database.db, actor.memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', 'No such member.', { status: 404 });
  const codeThrottle = secondFactorThrottleKey(member.id);
  if (input.code !== undefined) await assertAccountMayTry(database.db, codeThrottle);
  if (!(await verifyAuthKey(current, member.authHash))) throw loginFailed();
  if (bundle.encryptionPublicKey !== member.encryptionPublicKey || bundle.signingPublicKey !== member.signingPublicKey) {
    throw new ClearingError('KEY_BUNDLE_REJECTED', 'A new passphrase must keep the same keys.', { status: 400, params: { reason: 'keys changed' } });
  }
  const changed = await database.db.transaction().execute(async (tx) => {
    // A fresh TOTP code, when sent, is spent in the same transaction as the change.
    if (input.code !== undefined && !(await consumeTotpCode(tx, member.id, input.code))) return false;
    await updateMember(tx, member.id, { keyBundle: bundle, authHash });
    await tx.updateTable('sessions').set({ revoked_at: sql`now()` }).where('member_id', '=', member.id).where('id_hash', '!=', actor.sessionHash).where('revoked_at', 'is', null).execute();
    await appendAuditEntry(tx, { action: 'member.passphrase_changed', actorId: member.id, subjectId: member.id });
    return true;
  });
  if (!changed) {
    await recordFailure(database.db, codeThrottle);
    throw new ClearingError('TOTP_INVALID', 'The code is wrong or expired.', { status: 401 });
  }
  if (input.code !== undefined) await clearFailures(database.db, codeThrottle);
}

export async function logoutEverywhere(database: Database, memberId: string): Promise<number> {
  return database.db.transaction().execute(async (tx) => {
    const n = await revokeMemberSessions(tx, memberId);
    await appendAuditEntry(tx, { action: 'auth.logout_everywhere', actorId: memberId, subjectId: memberId, detail: { sessions: n } });
    return n;
  });
}
