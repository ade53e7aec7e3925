/**
 * The append-only Merkle log of RFC 9162 §2.1 that the audit log is built on:
 * leaf and node hashing, the tree, inclusion and consistency proofs and their
 * verification, and Ed25519-signed tree heads.
 */
export { merkleErrorCodes, type MerkleErrorCode } from './errors.js';
export { merkleMessages } from './messages.js';
export { MERKLE_HASH_SIZE, emptyRootHash, leafHash, nodeHash } from './hash.js';
export { MerkleTree } from './tree.js';
export { assertConsistency, assertInclusion, verifyConsistency, verifyInclusion } from './verify.js';
export {
  makeTreeHead,
  signTreeHead,
  treeHeadRoot,
  treeHeadSigningBytes,
  verifyTreeHead,
  type SignedTreeHead,
  type TreeHead,
} from './tree-head.js';
