import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from './bytes.js';

export const xchachaNonceLength = 24;
export const aeadTagLength = 16;

/**
 * XChaCha20-Poly1305 with a random 192-bit nonce: long enough that random
 * nonces never collide under one key, so keys can encrypt any number of records.
 */
export function aeadEncrypt(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): { nonce: Uint8Array; ciphertext: Uint8Array } {
  const nonce = randomBytes(xchachaNonceLength);
  const ciphertext = xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext);
  return { nonce, ciphertext };
}

/** The plaintext, or undefined when the tag does not verify (callers choose the error code). */
export function aeadDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | undefined {
  if (nonce.length !== xchachaNonceLength || ciphertext.length < aeadTagLength) return undefined;
  try {
    return xchacha20poly1305(key, nonce, associatedData).decrypt(ciphertext);
  } catch {
    return undefined;
  }
}
