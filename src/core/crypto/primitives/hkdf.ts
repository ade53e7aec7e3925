import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8Encode } from './bytes.js';

/** HKDF-SHA-256 (RFC 5869). `info` strings are UTF-8 encoded. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: string | Uint8Array, length = 32): Uint8Array {
  return hkdf(sha256, ikm, salt, typeof info === 'string' ? utf8Encode(info) : info, length);
}
