import { constantTimeEqual, labelledJson, toBase64url, utf8Decode } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { keyLength, signatureLength, type Ed25519PublicKey, type X25519PrivateKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { x25519Open, x25519Seal, x25519SealOverhead } from '../primitives/seal.js';
import { idPattern, maxIdLength, StrictReader } from '../primitives/strict.js';
import type { CaseId, MemberId } from '../../domain/ids.js';
import { isCompartmentName } from '../../domain/compartments.js';
import type { MemberKeys } from '../member-keys/keys.js';
import type { CertifiedMember } from '../trust/certificate.js';
import { signJson, verifyJson, type MemberSigner } from '../trust/signatures.js';
import { compartmentKeyFromPrivate, type CompartmentKey } from './key.js';
import { checkCompartmentReference, maxEpoch, sameCompartmentReference, type CompartmentReference } from './reference.js';

/**
 * A grant: one compartment private key sealed to one member's encryption key,
 * signed by the member who granted it. The signature is what stops the server
 * from forging a grant of a key it made itself (docs/security.md, promise 3).
 */
export interface SealedCompartmentKey {
  v: 1;
  caseId: CaseId | null;
  compartment: CompartmentReference['compartment'];
  epoch: number;
  /** The compartment public key, base64url. */
  publicKey: string;
  recipient: MemberId;
  recipientKey: string;
  grantedBy: MemberId;
  /** x25519Seal of the private key, base64url. */
  sealed: string;
  signature: string;
}

type Unsigned = Omit<SealedCompartmentKey, 'signature'>;

// Reference and public key are bound into the box, so a key sealed for one compartment never opens as another's.
const sealContext = (s: Pick<Unsigned, 'caseId' | 'compartment' | 'epoch' | 'publicKey'>): string =>
  utf8Decode(labelledJson(labels.compartmentKey, { caseId: s.caseId, compartment: s.compartment, epoch: s.epoch, publicKey: s.publicKey }));

/**
 * Seals to a member whose certificate was verified (the type demands it), so
 * no client wraps a key for a member the organization did not certify.
 */
export function sealCompartmentKey(key: CompartmentKey, recipient: CertifiedMember, grantor: MemberSigner): SealedCompartmentKey {
  const reference = checkCompartmentReference(key.reference);
  const head = {
    v: 1 as const,
    caseId: reference.caseId,
    compartment: reference.compartment,
    epoch: reference.epoch,
    publicKey: toBase64url(key.publicKey),
  };
  const unsigned: Unsigned = {
    ...head,
    recipient: recipient.memberId,
    recipientKey: toBase64url(recipient.encryptionPublicKey),
    grantedBy: grantor.memberId,
    sealed: toBase64url(x25519Seal(recipient.encryptionPublicKey, key.privateKey, sealContext(head))),
  };
  return { ...unsigned, signature: toBase64url(signJson(grantor.signingPrivateKey, labels.compartmentGrant, unsigned)) };
}

const fields = ['v', 'caseId', 'compartment', 'epoch', 'publicKey', 'recipient', 'recipientKey', 'grantedBy', 'sealed', 'signature'] as const;

export function parseSealedCompartmentKey(input: unknown): SealedCompartmentKey {
  const r = new StrictReader('SEALED_KEY_MALFORMED', 4096);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 1);
  const o = r.object(raw, 'sealedCompartmentKey', fields);
  r.literal(o.v, 'v', 1);
  const parsed: SealedCompartmentKey = {
    v: 1,
    caseId: o.caseId === null ? null : (r.string(o.caseId, 'caseId', maxIdLength, idPattern) as CaseId),
    compartment: r.oneOf(o.compartment, 'compartment', isCompartmentName),
    epoch: r.integer(o.epoch, 'epoch', 0, maxEpoch),
    publicKey: o.publicKey as string,
    recipient: r.string(o.recipient, 'recipient', maxIdLength, idPattern) as MemberId,
    recipientKey: o.recipientKey as string,
    grantedBy: r.string(o.grantedBy, 'grantedBy', maxIdLength, idPattern) as MemberId,
    sealed: o.sealed as string,
    signature: o.signature as string,
  };
  r.bytes(o.publicKey, 'publicKey', keyLength);
  r.bytes(o.recipientKey, 'recipientKey', keyLength);
  r.bytes(o.sealed, 'sealed', keyLength + x25519SealOverhead);
  r.bytes(o.signature, 'signature', signatureLength);
  try {
    checkCompartmentReference(parsed);
  } catch {
    r.fail('caseId', 'does not fit the compartment');
  }
  return parsed;
}

/**
 * `grantor` is the granting member's verified certificate (its id must match
 * `grantedBy`) or, when the caller has checked it elsewhere, their signing key.
 * Errors: SEALED_KEY_MALFORMED, SEALED_KEY_WRONG_CONTEXT (not the `expected`
 * reference), SEALED_KEY_WRONG_RECIPIENT, SEALED_KEY_TAMPERED (does not open),
 * SEALED_KEY_BAD_SIGNATURE (not signed by the grantor).
 */
export function openCompartmentKey(
  input: SealedCompartmentKey | unknown,
  memberKeys: MemberKeys,
  grantor: CertifiedMember | Ed25519PublicKey,
  expected?: CompartmentReference,
): CompartmentKey {
  const s = parseSealedCompartmentKey(input);
  const r = new StrictReader('SEALED_KEY_MALFORMED');
  const reference: CompartmentReference = { caseId: s.caseId, compartment: s.compartment, epoch: s.epoch };
  if (expected !== undefined && !sameCompartmentReference(reference, expected)) throw cryptoError('SEALED_KEY_WRONG_CONTEXT');
  if (!constantTimeEqual(r.bytes(s.recipientKey, 'recipientKey', keyLength), memberKeys.encryption.publicKey)) throw cryptoError('SEALED_KEY_WRONG_RECIPIENT');
  const privateKey = x25519Open(
    memberKeys.encryption.privateKey,
    r.bytes(s.sealed, 'sealed', keyLength + x25519SealOverhead),
    sealContext(s),
    memberKeys.encryption.publicKey,
  );
  if (privateKey.length !== keyLength) throw cryptoError('SEALED_KEY_TAMPERED');
  const key = compartmentKeyFromPrivate(reference, privateKey as X25519PrivateKey);
  if (!constantTimeEqual(key.publicKey, r.bytes(s.publicKey, 'publicKey', keyLength))) throw cryptoError('SEALED_KEY_TAMPERED');
  const grantorKey = grantor instanceof Uint8Array ? grantor : grantor.signingPublicKey;
  if (!(grantor instanceof Uint8Array) && grantor.memberId !== s.grantedBy) throw cryptoError('SEALED_KEY_BAD_SIGNATURE', { field: 'grantedBy' });
  const { signature, ...unsigned } = s;
  if (!verifyJson(grantorKey, labels.compartmentGrant, unsigned, r.bytes(signature, 'signature', signatureLength)))
    throw cryptoError('SEALED_KEY_BAD_SIGNATURE');
  return key;
}

/**
 * The server's second wall: a sealed key it is asked to store must be well
 * formed and signed by the member who says they granted it (it cannot open
 * the box, and need not). Throws SEALED_KEY_MALFORMED / SEALED_KEY_BAD_SIGNATURE.
 */
export function checkSealedCompartmentKeySignature(input: unknown, grantorSigningKey: Ed25519PublicKey): SealedCompartmentKey {
  const s = parseSealedCompartmentKey(input);
  const { signature, ...unsigned } = s;
  if (
    !verifyJson(grantorSigningKey, labels.compartmentGrant, unsigned, new StrictReader('SEALED_KEY_MALFORMED').bytes(signature, 'signature', signatureLength))
  ) {
    throw cryptoError('SEALED_KEY_BAD_SIGNATURE');
  }
  return s;
}
