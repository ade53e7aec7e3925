import { merkleBadInput, merkleProofInvalid } from './errors.js';
import { EMPTY_ROOT_HASH, hashesEqual, nodeHash } from './hash.js';
import { checkCount, checkHash, checkProof, half, isOdd } from './validate.js';

/**
 * RFC 9162 §2.1.3.2, step for step. Returns false for a proof that does not
 * verify (including an index outside the tree, as the RFC says); throws
 * MERKLE_BAD_INPUT for inputs that are not sizes and hashes at all.
 */
export function verifyInclusion(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  checkHash(leafHash, 'leaf hash');
  checkCount(index, 'index');
  checkCount(size, 'size');
  checkProof(proof);
  checkHash(root, 'root');

  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && hashesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2, step for step, for 0 < oldSize < newSize. The RFC leaves
 * the two edges open; here, equal sizes need an empty proof and equal roots,
 * and a size-0 old tree (the empty root) is a prefix of every tree with an
 * empty proof — which says nothing about newRoot, so check that head's signature.
 * oldSize > newSize is MERKLE_BAD_INPUT: the caller mixed up its heads.
 */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  checkCount(oldSize, 'oldSize');
  checkCount(newSize, 'newSize');
  checkHash(oldRoot, 'old root');
  checkHash(newRoot, 'new root');
  checkProof(proof);
  if (oldSize > newSize) throw merkleBadInput(`oldSize ${oldSize} is larger than newSize ${newSize}`);

  if (oldSize === newSize) return proof.length === 0 && hashesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && hashesEqual(oldRoot, EMPTY_ROOT_HASH);

  // 1. An empty consistency path fails.
  if (proof.length === 0) return false;
  // 2. When the old tree is a complete subtree of the new one, the proof omits its root.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  // 3.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  // 4.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  return hashesEqual(fr, oldRoot) && hashesEqual(sr, newRoot) && sn === 0;
}

/** `verifyInclusion`, throwing MERKLE_PROOF_INVALID instead of returning false. */
export function assertInclusion(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): void {
  if (!verifyInclusion(leafHash, index, size, proof, root)) {
    throw merkleProofInvalid(`leaf ${index} is not included in the tree of size ${size}`);
  }
}

/** `verifyConsistency`, throwing MERKLE_PROOF_INVALID instead of returning false. */
export function assertConsistency(oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: readonly Uint8Array[]): void {
  if (!verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)) {
    throw merkleProofInvalid(`the tree of size ${newSize} does not extend the tree of size ${oldSize}`);
  }
}

function isPowerOfTwo(n: number): boolean {
  while (n > 1) {
    if (isOdd(n)) return false;
    n = half(n);
  }
  return n === 1;
}
