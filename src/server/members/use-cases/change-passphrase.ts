import {
  ClearingError,
  decodeAuthPublicKey,
  decodePublicKey,
  fromBase64url,
  parseKeyBundle,
  passphraseChangeSignatureLabel,
  passphraseChangeStatement,
  verifyLoginProof,
  verifyMemberSignature,
  type MemberId,
} from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { AuthContext } from '../context.js';
import { findMemberById, updateMember } from '../repository/index.js';
import { revokeOtherSessions } from '../repository/sessions.js';
import { claimAttempt, clearFailures } from '../repository/throttle.js';
import { checkAuthPublicKey, checkKeyBundle } from '../validate.js';
import { auditAlone, consumeChallenge, loginFailed, spendSecondFactor, totpInvalid } from './login-shared.js';

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

export type ChangePassphraseProps = ChangePassphraseInput & {
  actor: { memberId: MemberId; sessionHash: string };
  /** The origin the proof must name. */
  origin: string;
};

/**
 * A new passphrase: the browser re-wraps the same keys. The server cannot open
 * the bundle, so it demands what only the member can give: a proof by the
 * current authentication key (so a stolen session alone is not enough), the
 * member's own signature over the new bundle and authentication key (so the
 * bundle wraps the member's real keys), and a fresh second factor. Other
 * sessions end.
 */
export async function changePassphrase(ctx: AuthContext, props: ChangePassphraseProps): Promise<void> {
  const { actor, origin, ...input } = props;
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
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  if (member.authPublicKey === null) throw new ClearingError('LOGIN_UPGRADE_REQUIRED', { status: 409 });
  await consumeChallenge(db, input.challenge, ctx.secrets.tag('member', member.id), 'passphrase-change');
  const proofOk = verifyLoginProof(
    decodeAuthPublicKey(member.authPublicKey),
    { purpose: 'passphrase-change', challenge: input.challenge, memberId: member.id, origin },
    input.proof,
  );
  if (!proofOk) await failed('credentials', loginFailed());
  // Same keys, and bound to the same organization key as before: only a verified rotation moves that.
  const bound = parseKeyBundle(member.keyBundle).organizationKey;
  if (bundle.encryptionPublicKey !== member.encryptionPublicKey || bundle.signingPublicKey !== member.signingPublicKey || bundle.organizationKey !== bound) {
    await failed('keys_changed', new ClearingError('KEY_BUNDLE_REJECTED', { status: 400, params: { reason: 'keys changed' } }));
  }
  let signature: Uint8Array | null = null;
  try {
    signature = fromBase64url(input.bundleSignature, 64);
  } catch {
    signature = null;
  }
  const signed =
    signature !== null &&
    verifyMemberSignature(
      decodePublicKey(member.signingPublicKey, 'ed25519'),
      passphraseChangeSignatureLabel,
      passphraseChangeStatement(member.id, bundle, authPublicKey),
      signature,
    );
  if (!signed) await failed('signature', new ClearingError('KEY_BUNDLE_REJECTED', { status: 400, params: { reason: 'signature' } }));
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
