import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { fromBase64url, toBase64url } from '../primitives/bytes.js';
import { cryptoError, isCryptoError } from '../primitives/errors.js';
import { keyLength, type Ed25519PrivateKey, type Ed25519PublicKey, type X25519PrivateKey, type X25519PublicKey } from '../primitives/keys.js';

/** A member's long-term keys: X25519 to receive sealed keys, Ed25519 to sign. */
export interface MemberKeys {
  encryption: { publicKey: X25519PublicKey; privateKey: X25519PrivateKey };
  signing: { publicKey: Ed25519PublicKey; privateKey: Ed25519PrivateKey };
}

/** The public half, as the server stores and serves it. */
export interface MemberPublicKeys {
  encryptionPublicKey: X25519PublicKey;
  signingPublicKey: Ed25519PublicKey;
}

export function generateMemberKeys(): MemberKeys {
  const encryption = x25519.keygen();
  const signing = ed25519.keygen();
  return {
    encryption: { publicKey: encryption.publicKey as X25519PublicKey, privateKey: encryption.secretKey as X25519PrivateKey },
    signing: { publicKey: signing.publicKey as Ed25519PublicKey, privateKey: signing.secretKey as Ed25519PrivateKey },
  };
}

/** Rebuilds the key pairs from the private halves (used when opening a bundle). */
export function memberKeysFromPrivate(encryptionPrivateKey: X25519PrivateKey, signingPrivateKey: Ed25519PrivateKey): MemberKeys {
  return {
    encryption: { publicKey: x25519.getPublicKey(encryptionPrivateKey) as X25519PublicKey, privateKey: encryptionPrivateKey },
    signing: { publicKey: ed25519.getPublicKey(signingPrivateKey) as Ed25519PublicKey, privateKey: signingPrivateKey },
  };
}

/** Overwrites the private keys in place: for "lock" and idle timeout. */
export function wipeMemberKeys(keys: MemberKeys): void {
  keys.encryption.privateKey.fill(0);
  keys.signing.privateKey.fill(0);
}

export function encodePublicKey(key: X25519PublicKey | Ed25519PublicKey): string {
  if (!(key instanceof Uint8Array) || key.length !== keyLength) throw cryptoError('KEY_INVALID');
  return toBase64url(key);
}

function decode32(encoded: string, kind: string): Uint8Array {
  try {
    return fromBase64url(encoded, keyLength);
  } catch (error) {
    if (isCryptoError(error)) throw cryptoError('KEY_INVALID', { kind }, error);
    throw error;
  }
}

export function decodeX25519PublicKey(encoded: string): X25519PublicKey {
  return decode32(encoded, 'X25519PublicKey') as X25519PublicKey;
}

/** Also checks the bytes encode a point on the curve (RFC 8032 strict decoding). */
export function decodeEd25519PublicKey(encoded: string): Ed25519PublicKey {
  const bytes = decode32(encoded, 'Ed25519PublicKey');
  if (!ed25519.utils.isValidPublicKey(bytes, false)) throw cryptoError('KEY_INVALID', { kind: 'Ed25519PublicKey' });
  return bytes as Ed25519PublicKey;
}

export function decodePublicKey(encoded: string, kind: 'x25519'): X25519PublicKey;
export function decodePublicKey(encoded: string, kind: 'ed25519'): Ed25519PublicKey;
export function decodePublicKey(encoded: string, kind: 'x25519' | 'ed25519'): X25519PublicKey | Ed25519PublicKey {
  return kind === 'x25519' ? decodeX25519PublicKey(encoded) : decodeEd25519PublicKey(encoded);
}
