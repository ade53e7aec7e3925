import { base64urlnopad } from '@scure/base';
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';
import { cryptoError } from './errors.js';

/** Cryptographically secure random bytes (crypto.getRandomValues underneath). */
export function randomBytes(length: number): Uint8Array {
  return nobleRandomBytes(length);
}

/** base64url without padding; what every binary field of a serialized format uses. */
export function toBase64url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/**
 * Strict decoding: rejects padding, other alphabets, whitespace and non-zero
 * trailing bits, so each byte string has exactly one accepted text form and a
 * changed character can never decode to the same bytes.
 */
export function fromBase64url(text: string, length?: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base64urlnopad.decode(text);
  } catch (cause) {
    throw cryptoError('ENCODING_INVALID', {}, cause);
  }
  if (length !== undefined && bytes.length !== length) throw cryptoError('ENCODING_INVALID', { expected: length, actual: bytes.length });
  return bytes;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Refuses invalid UTF-8 instead of substituting U+FFFD, so damage is not silently accepted. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw cryptoError('ENCODING_INVALID', {}, cause);
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Compares in time that depends only on the lengths, not on where the inputs differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** RFC 8785 (JCS) canonical JSON as UTF-8: the one byte form of a value that gets signed or bound. */
export function canonicalJson(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw cryptoError('ENCODING_INVALID', { reason: 'not JSON' });
  return utf8Encode(text);
}

/** A domain-separation label followed by a newline and the canonical JSON of a value. */
export function labelledJson(label: string, value: unknown): Uint8Array {
  return concatBytes(utf8Encode(`${label}\n`), canonicalJson(value));
}

/** Overwrites secret bytes once they are no longer needed (best effort in a garbage-collected runtime). */
export function wipe(...arrays: Uint8Array[]): void {
  for (const a of arrays) a.fill(0);
}
