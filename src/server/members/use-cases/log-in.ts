import { ed25519 } from '@noble/curves/ed25519.js';
import { ClearingError, decodeAuthPublicKey, verifyLoginProof, type LoginResponse } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { AuthContext } from '../context.js';
import { findMemberByName, moveToLoginProofs, type MemberRow } from '../repository/index.js';
import { createSession, type SessionStage } from '../repository/sessions.js';
import { claimAttempt, clearFailures } from '../repository/throttle.js';
import { verifyAuthKey } from '../slow-hash.js';
import { checkAuthKey, checkAuthPublicKey } from '../validate.js';
import { auditAlone, consumeChallenge, loginFailed } from './login-shared.js';

export interface LoginInput {
  name: string;
  challenge: string;
  /** The authentication key's signature over challenge, member id, origin and purpose. */
  proof: string;
  /** Only from an account made before login proofs, once: the old login key and the new public key. */
  authKey?: string;
  authPublicKey?: string;
}

export type LogInProps = LoginInput & {
  /** The origin the proof must name (the browser's, checked against Host by the authorization hook). */
  origin: string;
};

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
export async function logIn(ctx: AuthContext, props: LogInProps): Promise<LoginResponse & { token: string }> {
  const { origin, ...input } = props;
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
    throw new ClearingError('MEMBER_SUSPENDED', { status: 403 });
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
