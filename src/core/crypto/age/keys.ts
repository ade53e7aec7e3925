/**
 * age's textual key forms (C2SP age v1, "X25519 recipient type"): an identity is
 * the Bech32 encoding of a 32-byte X25519 private key under the HRP
 * `AGE-SECRET-KEY-`, written upper-case; a recipient is the Bech32 encoding of
 * the public key under `age`, lower-case. Keeping these exact lets an exported
 * compartment identity open our files with the standard `age` tool.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { bech32 } from '@scure/base';
import { ageError } from './errors.js';

const identityPrefix = 'age-secret-key-';
const recipientPrefix = 'age';

type AgeKeyErrorCode = 'AGE_IDENTITY' | 'AGE_RECIPIENT';

function decodeBech32(s: string, prefix: string, code: AgeKeyErrorCode, what: string): Uint8Array {
  let decoded: { prefix: string; words: number[] };
  try {
    // No length limit: bech32's 90-character cap is a BIP 173 rule, not age's.
    decoded = bech32.decode(s as `${string}1${string}`, false);
  } catch (cause) {
    throw ageError(code, `not a valid ${what}`, cause);
  }
  if (decoded.prefix !== prefix) throw ageError(code, `not a valid ${what}: wrong prefix`);
  let bytes: Uint8Array;
  try {
    bytes = bech32.fromWords(decoded.words);
  } catch (cause) {
    throw ageError(code, `not a valid ${what}: bad padding`, cause);
  }
  if (bytes.length !== 32) throw ageError(code, `not a valid ${what}: wrong key length`);
  return bytes;
}

function assertKey(key: Uint8Array, code: AgeKeyErrorCode): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw ageError(code, 'an X25519 key is exactly 32 bytes');
  }
}

/** `AGE-SECRET-KEY-1…`: the form `age -i` reads. */
export function encodeIdentity(privateKey: Uint8Array): string {
  assertKey(privateKey, 'AGE_IDENTITY');
  return bech32.encode(identityPrefix, bech32.toWords(privateKey), false).toUpperCase();
}

/** Accepts the upper-case form age writes (and, as Bech32 allows, all lower-case). */
export function decodeIdentity(s: string): Uint8Array {
  return decodeBech32(s.trim(), identityPrefix, 'AGE_IDENTITY', 'age identity');
}

/** `age1…`: the form `age -r` reads. */
export function encodeRecipient(publicKey: Uint8Array): string {
  assertKey(publicKey, 'AGE_RECIPIENT');
  return bech32.encode(recipientPrefix, bech32.toWords(publicKey), false);
}

export function decodeRecipient(s: string): Uint8Array {
  const trimmed = s.trim();
  // age itself refuses upper-case recipients; so do we, to stay interchangeable.
  if (trimmed !== trimmed.toLowerCase()) {
    throw ageError('AGE_RECIPIENT', 'not a valid age recipient: must be lower-case');
  }
  return decodeBech32(trimmed, recipientPrefix, 'AGE_RECIPIENT', 'age recipient');
}

/** The recipient (public key) that belongs to an identity (private key). */
export function recipientOf(privateKey: Uint8Array): Uint8Array {
  assertKey(privateKey, 'AGE_IDENTITY');
  return x25519.getPublicKey(privateKey);
}

/** A fresh X25519 key pair in age's sense. */
export function generateAgeKeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const privateKey = x25519.utils.randomSecretKey();
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
}
