import { merkleBadInput } from './errors.js';
import { MERKLE_HASH_SIZE } from './hash.js';

/** Sizes and indices are plain numbers; above 2^53 arithmetic would silently round. */
export function checkCount(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw merkleBadInput(`${name} must be a non-negative safe integer`);
  }
}

export function checkHash(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== MERKLE_HASH_SIZE) {
    throw merkleBadInput(`${name} must be a ${MERKLE_HASH_SIZE}-byte hash`);
  }
}

export function checkProof(proof: unknown): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw merkleBadInput('a proof must be an array of hashes');
  // A proof never needs more than one hash per tree level (twice that for a consistency proof's edge); a longer one is garbage.
  if (proof.length > 2 * 64) throw merkleBadInput('the proof is too long');
  proof.forEach((p, i) => {
    checkHash(p, `proof[${i}]`);
  });
}

/** The largest power of two strictly smaller than n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const isOdd = (n: number): boolean => n % 2 === 1;
export const half = (n: number): number => Math.floor(n / 2);
