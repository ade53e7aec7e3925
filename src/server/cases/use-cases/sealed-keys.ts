import {
  checkSealedCompartmentKeySignature,
  ClearingError,
  decodeEd25519PublicKey,
  isClearingError,
  type CaseId,
  type MemberId,
  type SealedCompartmentKey,
} from '../../../core/index.js';
import type { findMemberKeys } from '../repository/index.js';

type Keys = Awaited<ReturnType<typeof findMemberKeys>>;

/**
 * Checks sealed keys the server is asked to store: one per expected holder,
 * for this case, compartment, epoch and public key, addressed to the
 * holder's certified encryption key, signed by the actor. The server cannot
 * open them; the browser that opens one checks it again.
 */
export function checkSealedKeys(
  inputs: readonly unknown[],
  expected: { caseId: CaseId; compartment: string; epoch: number; publicKey: string; holders: readonly string[]; grantedBy: MemberId },
  keys: Keys,
): SealedCompartmentKey[] {
  const grantor = keys.get(expected.grantedBy);
  if (!grantor) throw new ClearingError('SEALED_KEY_REJECTED', { status: 400 });
  const signingKey = decodeEd25519PublicKey(grantor.signingPublicKey);
  const out: SealedCompartmentKey[] = [];
  for (const input of inputs) {
    let s: SealedCompartmentKey;
    try {
      s = checkSealedCompartmentKeySignature(input, signingKey);
    } catch (error) {
      if (isClearingError(error)) throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, cause: error, params: { reason: error.code } });
      throw error;
    }
    const recipient = keys.get(s.recipient);
    const fits =
      s.caseId === expected.caseId &&
      s.compartment === expected.compartment &&
      s.epoch === expected.epoch &&
      s.publicKey === expected.publicKey &&
      s.grantedBy === expected.grantedBy &&
      expected.holders.includes(s.recipient) &&
      recipient !== undefined &&
      s.recipientKey === recipient.encryptionPublicKey;
    if (!fits || out.some((o) => o.recipient === s.recipient))
      throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'does not fit' } });
    out.push(s);
  }
  if (out.length !== expected.holders.length) throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'a holder without a key' } });
  return out;
}
