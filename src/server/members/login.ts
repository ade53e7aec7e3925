import { ed25519 } from '@noble/curves/ed25519.js';
import {
  ClearingError,
  decodeAuthPublicKey,
  decodePublicKey,
  fromBase64url,
  newKdfParams,
  parseKeyBundle,
  passphraseChangeSignatureLabel,
  passphraseChangeStatement,
  toBase64url,
  verifyLoginProof,
  verifyMemberSignature,
  type LoginProofPurpose,
  type MemberId,
  type LoginResponse,
  type PreloginResponse,
} from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Executor } from '../db/executor.js';
import { findOrganization } from '../organization/repository.js';
import type { AuthContext } from './context.js';
import { deleteLoginChallenge, findMemberById, findMemberByName, issueLoginChallenge, moveToLoginProofs, spendRecoveryCodeHash, spendTotpStep, updateMember, type MemberRow } from './repository/index.js';
import { completeSession, createSession, revokeOtherSessions, type SessionStage } from './repository/sessions.js';
import { verifyAuthKey } from './slow-hash.js';
import { claimAttempt, clearFailures } from './repository/throttle.js';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from './totp.js';
import { checkAuthKey, checkAuthPublicKey, checkKeyBundle } from './validate.js';

const loginFailed = () => new ClearingError('LOGIN_FAILED', 'The name or passphrase is wrong.', { status: 401 });
const totpInvalid = () => new ClearingError('TOTP_INVALID', 'The code is wrong or expired.', { status: 401 });

/** An audit entry of its own, for a refusal that writes nothing else. */
async function auditAlone(ctx: AuthContext, entry: Parameters<typeof appendAuditEntry>[1]): Promise<void> {
  await ctx.database.db.transaction().execute((tx) => appendAuditEntry(tx, entry));
}


/** Spends a challenge: exactly one request can, and only for the subject and purpose it was issued for. */
async function consumeChallenge(db: Executor, challenge: string, subjectTag: string, purpose: LoginProofPurpose): Promise<void> {
  if (!(await deleteLoginChallenge(db, challenge, subjectTag, purpose))) {
    throw new ClearingError('LOGIN_CHALLENGE_INVALID', 'The login form expired or was already used; try again.', { status: 400 });
  }
}

/**
 * Parameters and a single-use challenge for a name. A name that is no member
 * gets a decoy made from the server secret (no database read beyond the one
 * lookup every name gets): the default parameters, a salt that changes now
 * and then as members' salts do, and an id shaped like a member's.
 */
export async function prelogin(ctx: AuthContext, name: string): Promise<PreloginResponse> {
  const member = await findMemberByName(ctx.database.db, name);
  const challenge = await issueLoginChallenge(ctx.database.db, ctx.secrets.nameTag(name), 'login');
  if (member) {
    const kdf = parseKeyBundle(member.keyBundle).kdf;
    return { kdf, challenge, memberId: member.id, ...(member.authPublicKey === null ? { upgrade: true as const } : {}) };
  }
  const kdf = { ...newKdfParams(), salt: toBase64url(new Uint8Array(ctx.secrets.decoySalt(name))) };
  return { kdf, challenge, memberId: ctx.secrets.decoyMemberId(name) };
}

export interface LoginInput {
  name: string;
  challenge: string;
  /** The authentication key's signature over challenge, member id, origin and purpose. */
  proof: string;
  /** Only from an account made before login proofs, once: the old login key and the new public key. */
  authKey?: string;
  authPublicKey?: string;
}

/** Does the work of a proof check for a name that is no member, so both answers take alike. */
function checkDecoyProof(ctx: AuthContext, input: LoginInput, origin: string): void {
  const publicKey = ed25519.getPublicKey(new Uint8Array(ctx.secrets.decoySeed(input.name)));
  verifyLoginProof(publicKey, { purpose: 'login', challenge: input.challenge, memberId: ctx.secrets.decoyMemberId(input.name), origin }, input.proof);
}

/** Whether the proof (and, for an account moving over, the old login key) is right. */
async function checkLoginProof(member: MemberRow, input: LoginInput, origin: string): Promise<{ ok: boolean; upgradeTo: string | null }> {
  const context = { purpose: 'login' as const, challenge: input.challenge, memberId: member.id, origin };
  if (member.authPublicKey !== null) return { ok: verifyLoginProof(decodeAuthPublicKey(member.authPublicKey), context, input.proof), upgradeTo: null };
  if (!member.authHash || input.authKey === undefined || input.authPublicKey === undefined) return { ok: false, upgradeTo: null };
  const authPublicKey = checkAuthPublicKey(input.authPublicKey);
  const ok = (await verifyAuthKey(checkAuthKey(input.authKey), member.authHash)) && verifyLoginProof(decodeAuthPublicKey(authPublicKey), context, input.proof);
  return { ok, upgradeTo: ok ? authPublicKey : null };
}

/**
 * First factor: a proof of possession of the authentication key over a
 * single-use challenge. A recorded request is useless: its challenge is spent,
 * and a fresh challenge needs a fresh signature only the passphrase can make.
 */
export async function login(ctx: AuthContext, input: LoginInput, origin: string): Promise<LoginResponse & { token: string }> {
  const { db } = ctx.database;
  const tag = ctx.secrets.nameTag(input.name);
  await consumeChallenge(db, input.challenge, tag, 'login');
  const throttleKey = `login:${tag}`;
  await claimAttempt(db, throttleKey);
  const member = await findMemberByName(db, input.name);
  if (!member) {
    checkDecoyProof(ctx, input, origin);
    await auditAlone(ctx, { action: 'auth.login_failed', actorId: null, detail: { reason: 'credentials' } });
    throw loginFailed();
  }
  const { ok, upgradeTo } = await checkLoginProof(member, input, origin);
  if (!ok) {
    await auditAlone(ctx, { action: 'auth.login_failed', actorId: null, subjectId: member.id, detail: { reason: 'credentials' } });
    throw loginFailed();
  }
  if (member.status !== 'active') {
    await auditAlone(ctx, { action: 'auth.login_failed', actorId: member.id, subjectId: member.id, detail: { reason: member.status } });
    throw new ClearingError('MEMBER_SUSPENDED', 'This account is suspended.', { status: 403 });
  }
  const stage: SessionStage = member.totpEnabledAt ? 'second_factor' : 'totp_enrollment';
  return db.transaction().execute(async (tx) => {
    if (upgradeTo !== null) {
      // From now on only proofs count: the old hash, and with it any recorded old-style request, is gone.
      if (!(await moveToLoginProofs(tx, member.id, upgradeTo))) throw loginFailed();
      await appendAuditEntry(tx, { action: 'auth.login_upgraded', actorId: member.id, subjectId: member.id });
    }
    await clearFailures(tx, throttleKey);
    const session = await createSession(tx, member.id, stage);
    return { stage, csrfToken: session.csrfToken, token: session.token };
  });
}

function openTotpSecret(ctx: AuthContext, member: MemberRow): string | null {
  return member.totpSecret === null ? null : ctx.secrets.openTotpSecret(member.id, member.totpSecret);
}

export async function beginTotpEnrollment(ctx: AuthContext, memberId: MemberId): Promise<{ secret: string; uri: string }> {
  const { db } = ctx.database;
  const member = await findMemberById(db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', 'No such member.', { status: 404 });
  if (member.totpEnabledAt) throw new ClearingError('TOTP_NOT_ENROLLING', 'A second factor is already set up.', { status: 409 });
  const org = await findOrganization(db);
  const secret = newTotpSecret();
  await updateMember(db, memberId, { totpSecret: ctx.secrets.sealTotpSecret(memberId, secret) });
  return { secret, uri: totpUri(secret, org?.name ?? '', member.name) };
}

/** Spends a recovery code: removed from the stored set by a conditional update that must change exactly one row. */
async function spendRecoveryCode(tx: Executor, memberId: MemberId, code: string): Promise<number | null> {
  return spendRecoveryCodeHash(tx, memberId, hashRecoveryCode(code));
}

export interface CompletedLogin {
  /** The session's new cookie value and anti-forgery token: the pending ones stop working. */
  token: string;
  csrfToken: string;
}

export async function confirmTotpEnrollment(ctx: AuthContext, actor: { memberId: MemberId; sessionHash: string }, code: string): Promise<CompletedLogin & { recoveryCodes: string[] }> {
  const { db } = ctx.database;
  const throttleKey = `totp:${actor.memberId}`;
  await claimAttempt(db, throttleKey);
  const member = await findMemberById(db, actor.memberId);
  const secret = member ? openTotpSecret(ctx, member) : null;
  if (!member || !secret || member.totpEnabledAt) throw new ClearingError('TOTP_NOT_ENROLLING', 'Start setting up the second factor first.', { status: 409 });
  const step = matchTotp(secret, code.trim(), null);
  if (step === null) {
    await auditAlone(ctx, { action: 'auth.second_factor_failed', actorId: member.id, subjectId: member.id });
    throw totpInvalid();
  }
  const { codes, hashes } = newRecoveryCodes();
  const session = await db.transaction().execute(async (tx) => {
    // Only the first confirmation counts, should two race.
    if (!(await spendTotpStep(tx, member.id, step, true))) throw new ClearingError('TOTP_NOT_ENROLLING', 'A second factor is already set up.', { status: 409 });
    await updateMember(tx, member.id, { recoveryCodes: hashes });
    const completed = await completeSession(tx, actor.sessionHash);
    await clearFailures(tx, throttleKey);
    await appendAuditEntry(tx, { action: 'auth.totp_enrolled', actorId: member.id, subjectId: member.id });
    await appendAuditEntry(tx, { action: 'auth.login', actorId: member.id, subjectId: member.id, detail: { factor: 'totp' } });
    return completed;
  });
  return { ...session, recoveryCodes: codes };
}

/**
 * Checks and spends a TOTP code inside the caller's transaction; false when it
 * is wrong, already used, or the secret cannot be opened (sealed under another
 * server secret: a database restored without its data directory).
 */
export async function spendTotpCode(ctx: AuthContext, tx: Executor, member: MemberRow, code: string): Promise<boolean> {
  if (!member.totpEnabledAt) return false;
  const secret = openTotpSecret(ctx, member);
  if (secret === null) return false;
  const step = matchTotp(secret, code.replace(/\s/g, ''), member.totpLastStep);
  return step !== null && (await spendTotpStep(tx, member.id, step, false));
}

/**
 * Checks and spends a second factor inside the caller's transaction: a TOTP
 * code (never the same step twice) or a single-use recovery code. Returns the
 * factor used, or null when it was wrong (nothing was spent).
 */
async function spendSecondFactor(ctx: AuthContext, tx: Executor, memberId: MemberId, input: { code?: string; recoveryCode?: string }): Promise<'totp' | 'recovery_code' | null> {
  const member = await findMemberById(tx, memberId);
  if (!member?.totpEnabledAt) return null;
  if (input.code !== undefined) return (await spendTotpCode(ctx, tx, member, input.code)) ? 'totp' : null;
  if (input.recoveryCode !== undefined) {
    const remaining = await spendRecoveryCode(tx, member.id, input.recoveryCode);
    if (remaining === null) return null;
    await appendAuditEntry(tx, { action: 'auth.recovery_code_used', actorId: member.id, subjectId: member.id, detail: { remaining } });
    return 'recovery_code';
  }
  return null;
}

/** Second factor: a TOTP code or a single-use recovery code; the session gets new tokens. */
export async function verifySecondFactor(
  ctx: AuthContext,
  actor: { memberId: MemberId; sessionHash: string; stage: SessionStage },
  input: { code?: string; recoveryCode?: string },
): Promise<CompletedLogin> {
  if (actor.stage !== 'second_factor') throw new ClearingError('TOTP_NOT_ENROLLING', 'No second factor is pending.', { status: 409 });
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

/** A single-use challenge for a proof by the member's authentication key (passphrase change). */
export async function accountChallenge(ctx: AuthContext, memberId: MemberId, purpose: Exclude<LoginProofPurpose, 'login'>): Promise<{ challenge: string }> {
  return { challenge: await issueLoginChallenge(ctx.database.db, ctx.secrets.tag('member', memberId), purpose) };
}

export interface ChangePassphraseInput {
  challenge: string;
  proof: string;
  keyBundle: unknown;
  authPublicKey: string;
  bundleSignature: string;
  /** A fresh second factor: the current TOTP code, or a recovery code. */
  code?: string;
  recoveryCode?: string;
}

/**
 * A new passphrase: the browser re-wraps the same keys. The server cannot open
 * the bundle, so it demands what only the member can give: a proof by the
 * current authentication key (so a stolen session alone is not enough), the
 * member's own signature over the new bundle and authentication key (so the
 * bundle wraps the member's real keys), and a fresh second factor. Other
 * sessions end.
 */
export async function changePassphrase(ctx: AuthContext, actor: { memberId: MemberId; sessionHash: string }, input: ChangePassphraseInput, origin: string): Promise<void> {
  const { db } = ctx.database;
  const throttleKey = `passphrase:${actor.memberId}`;
  await claimAttempt(db, throttleKey);
  const failed = async (reason: string, error: ClearingError): Promise<never> => {
    await auditAlone(ctx, { action: 'member.passphrase_change_failed', actorId: actor.memberId, subjectId: actor.memberId, detail: { reason } });
    throw error;
  };
  const bundle = checkKeyBundle(input.keyBundle, ctx.kdfPolicy);
  const authPublicKey = checkAuthPublicKey(input.authPublicKey);
  const member = await findMemberById(db, actor.memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', 'No such member.', { status: 404 });
  if (member.authPublicKey === null) throw new ClearingError('LOGIN_UPGRADE_REQUIRED', 'Log out and log in again first.', { status: 409 });
  await consumeChallenge(db, input.challenge, ctx.secrets.tag('member', member.id), 'passphrase-change');
  const proofOk = verifyLoginProof(decodeAuthPublicKey(member.authPublicKey), { purpose: 'passphrase-change', challenge: input.challenge, memberId: member.id, origin }, input.proof);
  if (!proofOk) await failed('credentials', loginFailed());
  // Same keys, and bound to the same organization key as before: only a verified rotation moves that.
  const bound = parseKeyBundle(member.keyBundle).organizationKey;
  if (bundle.encryptionPublicKey !== member.encryptionPublicKey || bundle.signingPublicKey !== member.signingPublicKey || bundle.organizationKey !== bound) {
    await failed('keys_changed', new ClearingError('KEY_BUNDLE_REJECTED', 'A new passphrase must keep the same keys.', { status: 400, params: { reason: 'keys changed' } }));
  }
  let signature: Uint8Array | null = null;
  try {
    signature = fromBase64url(input.bundleSignature, 64);
  } catch {
    signature = null;
  }
  const signed = signature !== null && verifyMemberSignature(decodePublicKey(member.signingPublicKey, 'ed25519'), passphraseChangeSignatureLabel, passphraseChangeStatement(member.id, bundle, authPublicKey), signature);
  if (!signed) await failed('signature', new ClearingError('KEY_BUNDLE_REJECTED', 'The new key bundle is not signed with your keys.', { status: 400, params: { reason: 'signature' } }));
  const done = await db.transaction().execute(async (tx) => {
    const factor = await spendSecondFactor(ctx, tx, member.id, { code: input.code, recoveryCode: input.recoveryCode });
    if (factor === null) return false;
    await updateMember(tx, member.id, { keyBundle: bundle, authPublicKey, authHash: null });
    await revokeOtherSessions(tx, member.id, actor.sessionHash);
    await clearFailures(tx, throttleKey);
    await appendAuditEntry(tx, { action: 'member.passphrase_changed', actorId: member.id, subjectId: member.id, detail: { factor } });
    return true;
  });
  if (!done) await failed('second_factor', totpInvalid());
}

