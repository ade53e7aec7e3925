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
import { generateHybridKeyPair, hybridPublicKeyOf, hybridPublicKeySize, hybridSeedSize } from './mlkem768x25519.js';

const identityPrefix = 'age-secret-key-';
const recipientPrefix = 'age';
const hybridIdentityPrefix = 'age-secret-key-pq-';
const hybridRecipientPrefix = 'age1pq';

type AgeKeyErrorCode = 'AGE_IDENTITY' | 'AGE_RECIPIENT';

function decodeBech32(s: string, prefix: string, code: AgeKeyErrorCode, what: string, length = 32): Uint8Array {
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
  if (bytes.length !== length) throw ageError(code, `not a valid ${what}: wrong key length`);
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

/**
 * The hybrid post-quantum type (C2SP age, "MLKEM768-X25519"): an identity is a
 * 32-byte seed, `AGE-SECRET-KEY-PQ-1…`; a recipient is the 1216-byte
 * encapsulation key derived from it, `age1pq1…`. Both are tagged, since a seed
 * is as long as an X25519 key and must never be taken for one.
 */
export interface HybridIdentity {
  readonly type: 'mlkem768x25519';
  readonly seed: Uint8Array;
}

export interface HybridRecipient {
  readonly type: 'mlkem768x25519';
  readonly publicKey: Uint8Array;
}

/** What decryption takes: an X25519 private key (32 bytes) or a hybrid identity. */
export type AgeIdentity = Uint8Array | HybridIdentity;
/** What encryption takes: an X25519 public key (32 bytes) or a hybrid recipient. */
export type AgeRecipient = Uint8Array | HybridRecipient;

export function hybridIdentity(seed: Uint8Array): HybridIdentity {
  if (!(seed instanceof Uint8Array) || seed.length !== hybridSeedSize) {
    throw ageError('AGE_IDENTITY', 'an MLKEM768-X25519 identity is exactly 32 bytes');
  }
  return { type: 'mlkem768x25519', seed };
}

export function hybridRecipient(publicKey: Uint8Array): HybridRecipient {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== hybridPublicKeySize) {
    throw ageError('AGE_RECIPIENT', 'an MLKEM768-X25519 recipient is exactly 1216 bytes');
  }
  return { type: 'mlkem768x25519', publicKey };
}

/** `AGE-SECRET-KEY-PQ-1…`: the form `age-keygen -pq` writes. */
export function encodeHybridIdentity(identity: HybridIdentity): string {
  const { seed } = hybridIdentity(identity.seed);
  return bech32.encode(hybridIdentityPrefix, bech32.toWords(seed), false).toUpperCase();
}

export function decodeHybridIdentity(s: string): HybridIdentity {
  return hybridIdentity(decodeBech32(s.trim(), hybridIdentityPrefix, 'AGE_IDENTITY', 'age post-quantum identity'));
}

/** `age1pq1…`, lower-case like every age recipient. */
export function encodeHybridRecipient(recipient: HybridRecipient): string {
  const { publicKey } = hybridRecipient(recipient.publicKey);
  return bech32.encode(hybridRecipientPrefix, bech32.toWords(publicKey), false);
}

export function decodeHybridRecipient(s: string): HybridRecipient {
  const trimmed = s.trim();
  if (trimmed !== trimmed.toLowerCase()) {
    throw ageError('AGE_RECIPIENT', 'not a valid age recipient: must be lower-case');
  }
  const publicKey = decodeBech32(trimmed, hybridRecipientPrefix, 'AGE_RECIPIENT', 'age post-quantum recipient', hybridPublicKeySize);
  return hybridRecipient(publicKey);
}

/** The recipient that belongs to a hybrid identity. */
export function hybridRecipientOf(identity: HybridIdentity): HybridRecipient {
  return { type: 'mlkem768x25519', publicKey: hybridPublicKeyOf(identity.seed) };
}

/** A fresh hybrid identity. */
export function generateHybridIdentity(): HybridIdentity {
  return { type: 'mlkem768x25519', seed: generateHybridKeyPair().seed };
}

/** Either identity form, told apart by its prefix: `AGE-SECRET-KEY-PQ-1…` or `AGE-SECRET-KEY-1…`. */
export function decodeAnyIdentity(s: string): AgeIdentity {
  const trimmed = s.trim();
  return trimmed.toLowerCase().startsWith(`${hybridIdentityPrefix}1`) ? decodeHybridIdentity(trimmed) : decodeIdentity(trimmed);
}

/** Either recipient form: `age1pq1…` or `age1…`. */
export function decodeAnyRecipient(s: string): AgeRecipient {
  const trimmed = s.trim();
  return trimmed.startsWith(`${hybridRecipientPrefix}1`) ? decodeHybridRecipient(trimmed) : decodeRecipient(trimmed);
}
