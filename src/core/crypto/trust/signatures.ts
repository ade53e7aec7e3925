import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, labelledJson, utf8Encode } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { keyLength, signatureLength, type Ed25519PrivateKey, type Ed25519PublicKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import type { MemberId } from '../../domain/ids.js';

/*
 * Every Ed25519 signature in Clearing is over a message that starts with a
 * label from primitives/labels.ts and a newline, so a signature made for one
 * purpose (a record, a grant, a login challenge) is never valid for another.
 * Verification is RFC 8032 strict (no ZIP-215 leniency): one message, one
 * accepted encoding of the signature.
 */

export function signBytes(privateKey: Ed25519PrivateKey | Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}

export function verifyBytes(publicKey: Ed25519PublicKey | Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== signatureLength || publicKey.length !== keyLength) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Signs the canonical JSON of a value under a core label. */
export function signJson(privateKey: Ed25519PrivateKey | Uint8Array, label: string, value: unknown): Uint8Array {
  return signBytes(privateKey, labelledJson(label, value));
}

/** How a signature is checked: core's strict RFC 8032 verifier, or (on the server, for its second-wall checks) a native one. */
export type SignatureVerifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export function verifyJson(
  publicKey: Ed25519PublicKey | Uint8Array,
  label: string,
  value: unknown,
  signature: Uint8Array,
  verify: SignatureVerifier = verifyBytes,
): boolean {
  return verify(publicKey, labelledJson(label, value), signature);
}

/** Caller labels: lower-case words such as `login-challenge` or `audit/export`. */
const callerLabel = /^[a-z0-9][a-z0-9._/-]{0,63}$/;

function memberMessage(label: string, message: Uint8Array): Uint8Array {
  if (!callerLabel.test(label)) throw cryptoError('ENCODING_INVALID', { field: 'label' });
  return concatBytes(utf8Encode(`${labels.memberSignature}\n${label}\n`), message);
}

/**
 * A member's signature over `message` for the purpose named by `label`
 * (challenge-response at login, audit entries, reports). The same bytes signed
 * under another label give an unrelated signature.
 */
export function signWithMemberKey(signingPrivateKey: Ed25519PrivateKey, label: string, message: Uint8Array): Uint8Array {
  return signBytes(signingPrivateKey, memberMessage(label, message));
}

export function verifyMemberSignature(signingPublicKey: Ed25519PublicKey, label: string, message: Uint8Array, signature: Uint8Array): boolean {
  return verifyBytes(signingPublicKey, memberMessage(label, message), signature);
}

/** As verifyMemberSignature, but throws SIGNATURE_INVALID. */
export function assertMemberSignature(signingPublicKey: Ed25519PublicKey, label: string, message: Uint8Array, signature: Uint8Array): void {
  if (!verifyMemberSignature(signingPublicKey, label, message, signature)) throw cryptoError('SIGNATURE_INVALID', { label });
}

/** Who signs a record or a grant: the member's id and signing key together, so neither is passed alone. */
export interface MemberSigner {
  memberId: MemberId;
  signingPrivateKey: Ed25519PrivateKey;
}

export function memberSigner(memberId: MemberId, keys: { signing: { privateKey: Ed25519PrivateKey } }): MemberSigner {
  return { memberId, signingPrivateKey: keys.signing.privateKey };
}
