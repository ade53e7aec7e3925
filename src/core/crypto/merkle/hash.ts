import { sha256 } from '@noble/hashes/sha2.js';
import { merkleBadInput } from './errors.js';

/** Every hash in the log is SHA-256, as in RFC 9162's default. */
export const MERKLE_HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** RFC 9162 §2.1.1: the distinct prefix keeps a leaf from ever being read as an interior node (second-preimage attacks). */
export function leafHash(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(data.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

// Interior hashing dominates appends and proofs; one reused buffer avoids an allocation per node.
const nodeInput = new Uint8Array(1 + 2 * MERKLE_HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== MERKLE_HASH_SIZE || right.length !== MERKLE_HASH_SIZE) {
    throw merkleBadInput(`a node hash takes two ${MERKLE_HASH_SIZE}-byte hashes`);
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + MERKLE_HASH_SIZE);
  return sha256(nodeInput);
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT_HASH: Uint8Array = sha256(new Uint8Array(0));

/** A fresh copy of MTH({}), for callers that might write into it. */
export function emptyRootHash(): Uint8Array {
  return EMPTY_ROOT_HASH.slice();
}

/** Constant-time for equal lengths: roots and signatures are compared against attacker-supplied values. */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
