import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { concatBytes, utf8Encode } from './bytes.js';
import { cryptoError } from './errors.js';
import { hkdfSha256 } from './hkdf.js';
import { aeadTagLength } from './aead.js';
import { labels } from './labels.js';
import { keyLength, type X25519PrivateKey, type X25519PublicKey } from './keys.js';

/*
 * An anonymous sealed box: ephemeral X25519 to the recipient, HKDF-SHA-256 over
 * the shared secret salted with both public keys, ChaCha20-Poly1305.
 * Layout: version (1 byte) ‖ ephemeral public key (32) ‖ ciphertext ‖ tag (16).
 * The key is fresh for every box, so a fixed zero nonce is safe (as in age's
 * X25519 stanza). The caller's context is bound twice — as HKDF info and as
 * AEAD associated data — so a box made for one purpose never opens for another.
 */
const version = 1;
const zeroNonce = new Uint8Array(12);
export const x25519SealOverhead = 1 + keyLength + aeadTagLength;

function boxKey(shared: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array, context: string): Uint8Array {
  return hkdfSha256(shared, concatBytes(ephemeral, recipient), concatBytes(utf8Encode(labels.x25519Seal), new Uint8Array([0]), utf8Encode(context)));
}

export function x25519Seal(recipientPublicKey: X25519PublicKey, plaintext: Uint8Array, context: string): Uint8Array {
  const ephemeral = x25519.keygen();
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(ephemeral.secretKey, recipientPublicKey);
  } catch (cause) {
    // A low-order point would give an all-zero secret anyone can compute.
    throw cryptoError('KEY_INVALID', { kind: 'X25519PublicKey' }, cause);
  }
  const key = boxKey(shared, ephemeral.publicKey, recipientPublicKey, context);
  const ciphertext = chacha20poly1305(key, zeroNonce, utf8Encode(context)).encrypt(plaintext);
  ephemeral.secretKey.fill(0);
  shared.fill(0);
  key.fill(0);
  return concatBytes(new Uint8Array([version]), ephemeral.publicKey, ciphertext);
}

/**
 * Throws SEALED_KEY_MALFORMED for a box of the wrong shape, SEALED_KEY_TAMPERED
 * when it does not open. Passing the recipient's public key saves deriving it
 * (a third of the cost); it must belong to the private key.
 */
export function x25519Open(recipientPrivateKey: X25519PrivateKey, sealed: Uint8Array, context: string, recipientPublicKey?: X25519PublicKey): Uint8Array {
  if (sealed.length < x25519SealOverhead || sealed[0] !== version) throw cryptoError('SEALED_KEY_MALFORMED');
  const ephemeral = sealed.subarray(1, 1 + keyLength);
  const recipient = recipientPublicKey ?? x25519.getPublicKey(recipientPrivateKey);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(recipientPrivateKey, ephemeral);
  } catch (cause) {
    throw cryptoError('SEALED_KEY_TAMPERED', {}, cause);
  }
  const key = boxKey(shared, ephemeral, recipient, context);
  try {
    return chacha20poly1305(key, zeroNonce, utf8Encode(context)).decrypt(sealed.subarray(1 + keyLength));
  } catch (cause) {
    throw cryptoError('SEALED_KEY_TAMPERED', {}, cause);
  } finally {
    shared.fill(0);
    key.fill(0);
  }
}
