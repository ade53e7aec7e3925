import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base64urlnopad } from '@scure/base';
import { merkleBadInput } from './errors.js';
import { MERKLE_HASH_SIZE } from './hash.js';
import { checkCount } from './validate.js';

/** The log's state at a moment: how many entries, and the root hash that commits to all of them. */
export interface TreeHead {
  v: 1;
  size: number;
  /** MTH of the first `size` entries, base64url without padding. */
  rootHash: string;
  /** ISO 8601 in the exact form of `Date.prototype.toISOString()`, so one instant has one encoding. */
  timestamp: string;
}

/**
 * A tree head signed with the log's Ed25519 key. `logId` names the log (e.g.
 * the organization), so a head signed for one log is never accepted for another.
 */
export interface SignedTreeHead extends TreeHead {
  logId: string;
  /** Ed25519 over `treeHeadSigningBytes`, base64url without padding. */
  signature: string;
}

const SIGNING_LABEL = utf8ToBytes('clearing-tree-head-v1\0');
const MAX_LOG_ID_BYTES = 256;
const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Builds a tree head for a root as returned by `MerkleTree.root`. */
export function makeTreeHead(size: number, rootHash: Uint8Array, at: Date = new Date()): TreeHead {
  const head: TreeHead = { v: 1, size, rootHash: base64urlnopad.encode(rootHash), timestamp: at.toISOString() };
  checkTreeHead(head);
  return head;
}

/** The root hash of a head as bytes, for `verifyConsistency` and `verifyInclusion`. */
export function treeHeadRoot(head: TreeHead): Uint8Array {
  return decodeFixed(head.rootHash, MERKLE_HASH_SIZE, 'rootHash');
}

/**
 * The exact bytes that are signed: a domain label, then fixed-width and
 * length-prefixed fields, so no two distinct heads share an encoding and the
 * signature cannot be replayed as any other Clearing signature.
 */
export function treeHeadSigningBytes(head: TreeHead, logId: string): Uint8Array {
  checkTreeHead(head);
  const fixed = new Uint8Array(1 + 8 + MERKLE_HASH_SIZE);
  const view = new DataView(fixed.buffer);
  view.setUint8(0, head.v);
  view.setUint32(1, Math.floor(head.size / 2 ** 32));
  view.setUint32(5, head.size % 2 ** 32);
  fixed.set(treeHeadRoot(head), 9);
  return concatBytes(SIGNING_LABEL, fixed, lengthPrefixed(head.timestamp), lengthPrefixed(checkLogId(logId)));
}

export function signTreeHead(ed25519PrivateKey: Uint8Array, head: TreeHead, logId = ''): SignedTreeHead {
  if (!(ed25519PrivateKey instanceof Uint8Array) || ed25519PrivateKey.length !== 32) {
    throw merkleBadInput('an Ed25519 private key is 32 bytes');
  }
  const signature = ed25519.sign(treeHeadSigningBytes(head, logId), ed25519PrivateKey);
  return {
    v: head.v,
    size: head.size,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    logId,
    signature: base64urlnopad.encode(signature),
  };
}

/**
 * True when the signature is the log key's over exactly this head (and, if
 * given, this log id). Malformed heads throw MERKLE_BAD_INPUT; a well-formed
 * head with a wrong signature returns false.
 */
export function verifyTreeHead(publicKey: Uint8Array, sth: SignedTreeHead, options: { logId?: string } = {}): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw merkleBadInput('an Ed25519 public key is 32 bytes');
  }
  if (typeof sth !== 'object' || sth === null) throw merkleBadInput('a signed tree head must be an object');
  const message = treeHeadSigningBytes(sth, sth.logId);
  const signature = decodeFixed(sth.signature, 64, 'signature');
  if (options.logId !== undefined && options.logId !== sth.logId) return false;
  try {
    // Strict RFC 8032 verification: no second valid signature for the same head (malleability).
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

function checkTreeHead(head: TreeHead): void {
  if (typeof head !== 'object' || head === null) throw merkleBadInput('a tree head must be an object');
  if (head.v !== 1) throw merkleBadInput('unsupported tree head version');
  checkCount(head.size, 'size');
  treeHeadRoot(head);
  if (
    typeof head.timestamp !== 'string' ||
    !isoTimestamp.test(head.timestamp) ||
    Number.isNaN(Date.parse(head.timestamp)) ||
    new Date(head.timestamp).toISOString() !== head.timestamp
  ) {
    throw merkleBadInput('timestamp must be an ISO 8601 UTC time as toISOString() writes it');
  }
}

function checkLogId(logId: unknown): string {
  if (typeof logId !== 'string' || utf8ToBytes(logId).length > MAX_LOG_ID_BYTES) {
    throw merkleBadInput(`logId must be a string of at most ${MAX_LOG_ID_BYTES} bytes`);
  }
  return logId;
}

function lengthPrefixed(text: string): Uint8Array {
  const bytes = utf8ToBytes(text);
  const out = new Uint8Array(2 + bytes.length);
  new DataView(out.buffer).setUint16(0, bytes.length);
  out.set(bytes, 2);
  return out;
}

function decodeFixed(text: unknown, length: number, name: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    if (typeof text !== 'string') throw new TypeError();
    bytes = base64urlnopad.decode(text);
  } catch {
    throw merkleBadInput(`${name} is not base64url`);
  }
  if (bytes.length !== length) throw merkleBadInput(`${name} must be ${length} bytes`);
  return bytes;
}
