/**
 * The X25519 recipient type (C2SP age, "X25519 recipient stanza"): the file
 * key is wrapped with ChaCha20-Poly1305 under a key derived from an ephemeral
 * X25519 exchange with the recipient.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64nopad } from '@scure/base';
import { concatBytes } from './bytes.js';
import { ageError } from './errors.js';
import { decodeBase64Strict, type Stanza } from './header.js';

const stanzaType = 'X25519';
const info = new TextEncoder().encode('age-encryption.org/v1/X25519');
const zeroNonce = new Uint8Array(12);

/**
 * X25519(k, basepoint) by the Montgomery ladder: for the one or two public keys
 * a file needs, this is far cheaper than getPublicKey's first call, which
 * builds Edwards precomputation tables (tens of milliseconds).
 */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  return x25519.scalarMult(privateKey, x25519.GuBytes);
}

function wrapKey(sharedSecret: Uint8Array, share: Uint8Array, recipient: Uint8Array): Uint8Array {
  return hkdf(sha256, sharedSecret, concatBytes(share, recipient), info, 32);
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

/** A stanza that lets the holder of `recipient`'s private key unwrap `fileKey`. */
export function wrapFileKeyX25519(fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  if (recipient.length !== 32) throw ageError('AGE_RECIPIENT', 'an X25519 recipient is 32 bytes');
  const ephemeral = x25519.utils.randomSecretKey();
  const share = publicKeyOf(ephemeral);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(ephemeral, recipient);
  } catch (cause) {
    throw ageError('AGE_RECIPIENT', 'the recipient is not a usable X25519 public key', cause);
  }
  if (isAllZero(shared)) throw ageError('AGE_RECIPIENT', 'the recipient is a low-order point');
  const body = chacha20poly1305(wrapKey(shared, share, recipient), zeroNonce).encrypt(fileKey);
  return { args: [stanzaType, base64nopad.encode(share)], body };
}

/** Prepared once per identity: the private key and the public key the salt needs. */
export interface X25519Identity {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function x25519Identity(privateKey: Uint8Array): X25519Identity {
  if (privateKey.length !== 32) throw ageError('AGE_IDENTITY', 'an X25519 identity is 32 bytes');
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

/**
 * The file key if `stanza` is an X25519 stanza addressed to `identity`; null if
 * it is some other type or for someone else. A malformed X25519 stanza, or one
 * whose share makes the shared secret zero, is a header failure: the spec
 * requires aborting rather than skipping it.
 */
export function unwrapFileKeyX25519(stanza: Stanza, identity: X25519Identity): Uint8Array | null {
  if (stanza.args[0] !== stanzaType) return null;
  if (stanza.args.length !== 2) throw ageError('AGE_HEADER', 'age header: an X25519 stanza must have exactly one share');
  const share = decodeBase64Strict(stanza.args[1]!, 'an X25519 share');
  if (share.length !== 32) throw ageError('AGE_HEADER', 'age header: an X25519 share is not 32 bytes');
  // Checked before decrypting, so a body of another length cannot probe the key (partitioning oracles).
  if (stanza.body.length !== 32) throw ageError('AGE_HEADER', 'age header: an X25519 stanza body is not 32 bytes');
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(identity.privateKey, share);
  } catch (cause) {
    throw ageError('AGE_HEADER', 'age header: the X25519 share is a low-order point', cause);
  }
  if (isAllZero(shared)) throw ageError('AGE_HEADER', 'age header: the X25519 shared secret is zero');
  try {
    return chacha20poly1305(wrapKey(shared, share, identity.publicKey), zeroNonce).decrypt(stanza.body);
  } catch {
    return null;
  }
}
