import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlnopad } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClearingError } from '../../errors/index.js';
import {
  MerkleTree,
  leafHash,
  makeTreeHead,
  signTreeHead,
  treeHeadRoot,
  treeHeadSigningBytes,
  verifyConsistency,
  verifyTreeHead,
  type SignedTreeHead,
} from './index.js';

const secretKey = new Uint8Array(32).fill(7);
const publicKey = ed25519.getPublicKey(secretKey);
const otherPublicKey = ed25519.getPublicKey(new Uint8Array(32).fill(8));

const tree = MerkleTree.fromLeafHashes(Array.from({ length: 21 }, (_, i) => leafHash(Uint8Array.of(i))));
const at = new Date('2025-01-02T03:04:05.678Z');
const sth = signTreeHead(secretKey, makeTreeHead(tree.size, tree.root(), at), 'org:example');

function badInput(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    return isClearingError(error) && error.code === 'MERKLE_BAD_INPUT';
  }
}

describe('signed tree heads', () => {
  it('sign and verify, carrying size, root and time', () => {
    expect(sth).toMatchObject({ v: 1, size: 21, timestamp: '2025-01-02T03:04:05.678Z', logId: 'org:example' });
    expect(treeHeadRoot(sth)).toEqual(tree.root());
    expect(verifyTreeHead(publicKey, sth)).toBe(true);
    expect(verifyTreeHead(publicKey, sth, { logId: 'org:example' })).toBe(true);
    expect(verifyTreeHead(publicKey, JSON.parse(JSON.stringify(sth)) as SignedTreeHead)).toBe(true);
  });

  it('reject another key, another log, or any changed field', () => {
    expect(verifyTreeHead(otherPublicKey, sth)).toBe(false);
    expect(verifyTreeHead(publicKey, sth, { logId: 'org:other' })).toBe(false);
    expect(verifyTreeHead(publicKey, { ...sth, logId: 'org:other' })).toBe(false);
    expect(verifyTreeHead(publicKey, { ...sth, size: 22 })).toBe(false);
    expect(verifyTreeHead(publicKey, { ...sth, timestamp: '2025-01-02T03:04:05.679Z' })).toBe(false);
    expect(verifyTreeHead(publicKey, { ...sth, rootHash: base64urlnopad.encode(tree.root(20)) })).toBe(false);
  });

  it('every single-bit flip of the signature, root or signed bytes fails', () => {
    const signature = base64urlnopad.decode(sth.signature);
    const root = treeHeadRoot(sth);
    const message = treeHeadSigningBytes(sth, sth.logId);
    fc.assert(
      fc.property(fc.nat(64 * 8 - 1), fc.nat(32 * 8 - 1), fc.nat(), (sigBit, rootBit, msgBit) => {
        const s = signature.slice();
        s[sigBit >> 3]! ^= 1 << (sigBit & 7);
        const r = root.slice();
        r[rootBit >> 3]! ^= 1 << (rootBit & 7);
        const m = message.slice();
        const bit = msgBit % (m.length * 8);
        m[bit >> 3]! ^= 1 << (bit & 7);
        const sigRejected = !verifyTreeHead(publicKey, { ...sth, signature: base64urlnopad.encode(s) });
        const rootRejected = !verifyTreeHead(publicKey, { ...sth, rootHash: base64urlnopad.encode(r) });
        const bytesRejected = !ed25519.verify(signature, m, publicKey, { zip215: false });
        return sigRejected && rootRejected && bytesRejected;
      }),
      { numRuns: 200 },
    );
  });

  it('encode each head one way, behind a domain label', () => {
    const bytes = treeHeadSigningBytes(sth, sth.logId);
    expect(new TextDecoder().decode(bytes.subarray(0, 22))).toBe('clearing-tree-head-v1\0');
    expect(treeHeadSigningBytes(sth, 'a')).not.toEqual(treeHeadSigningBytes(sth, 'b'));
    // Length prefixes keep a timestamp/log id boundary from sliding.
    expect(treeHeadSigningBytes({ ...sth }, '')).not.toEqual(treeHeadSigningBytes(sth, 'x'));
  });

  it('let a client check a new head against the last one it saw', () => {
    const oldHead = signTreeHead(secretKey, makeTreeHead(13, tree.root(13), at), 'org:example');
    const proof = tree.consistencyProof(oldHead.size, sth.size);
    expect(verifyTreeHead(publicKey, oldHead) && verifyTreeHead(publicKey, sth)).toBe(true);
    expect(verifyConsistency(oldHead.size, sth.size, treeHeadRoot(oldHead), treeHeadRoot(sth), proof)).toBe(true);
  });

  it('malformed heads and keys are MERKLE_BAD_INPUT', () => {
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, v: 2 as 1 }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, size: -1 }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, size: 1.5 }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, rootHash: 'not base64!' }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, rootHash: base64urlnopad.encode(new Uint8Array(31)) }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, signature: sth.signature.slice(2) }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, timestamp: '2025-01-02' }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, timestamp: '2025-02-30T00:00:00.000Z' }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, { ...sth, logId: 5 as unknown as string }))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey, null as unknown as SignedTreeHead))).toBe(true);
    expect(badInput(() => verifyTreeHead(publicKey.subarray(1), sth))).toBe(true);
    expect(badInput(() => signTreeHead(new Uint8Array(31), sth))).toBe(true);
    expect(badInput(() => makeTreeHead(3, new Uint8Array(16)))).toBe(true);
  });
});
