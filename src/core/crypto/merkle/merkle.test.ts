import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClearingError } from '../../errors/index.js';
import { MerkleTree, assertConsistency, assertInclusion, emptyRootHash, leafHash, nodeHash, verifyConsistency, verifyInclusion } from './index.js';

/*
 * A reference written straight from the definitions of RFC 9162 §2.1 — slow,
 * recursive, sharing no code with the implementation — to check it against.
 */
const refLeaf = (d: Uint8Array) => sha256(Uint8Array.of(0, ...d));
const refNode = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1, ...l, ...r));
const largestPowerOfTwoBelow = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

function refMTH(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256(new Uint8Array(0));
  if (d.length === 1) return refLeaf(d[0]!);
  const k = largestPowerOfTwoBelow(d.length);
  return refNode(refMTH(d.slice(0, k)), refMTH(d.slice(k)));
}

function refPATH(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  if (m < k) return [...refPATH(m, d.slice(0, k)), refMTH(d.slice(k))];
  return [...refPATH(m - k, d.slice(k)), refMTH(d.slice(0, k))];
}

function refSUBPROOF(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refMTH(d)];
  const k = largestPowerOfTwoBelow(d.length);
  if (m <= k) return [...refSUBPROOF(m, d.slice(0, k), b), refMTH(d.slice(k))];
  return [...refSUBPROOF(m - k, d.slice(k), false), refMTH(d.slice(0, k))];
}
const refPROOF = (m: number, d: Uint8Array[]) => refSUBPROOF(m, d, true);

/*
 * The shape of a proof — which side each sibling sits on — follows from the
 * sizes alone. The RFC verifiers check a proof against its shape and the root,
 * so a wrong size with the same shape is indistinguishable from the true one:
 * what binds size to root is the signed tree head. Everything else must fail.
 */
function pathShape(m: number, n: number): string {
  if (n === 1) return '';
  const k = largestPowerOfTwoBelow(n);
  return m < k ? `${pathShape(m, k)}R` : `${pathShape(m - k, n - k)}L`;
}
function proofShape(m: number, n: number, b = true): string {
  if (m === n) return b ? '' : 'T';
  const k = largestPowerOfTwoBelow(n);
  return m <= k ? `${proofShape(m, k, b)}R` : `${proofShape(m - k, n - k, false)}L`;
}

const entry = (i: number) => Uint8Array.of(i & 0xff, (i >> 8) & 0xff, 0x5a);
const entries = (n: number) => Array.from({ length: n }, (_, i) => entry(i));
const treeOf = (d: Uint8Array[]) => MerkleTree.fromLeafHashes(d.map(leafHash));
const hex = (list: Uint8Array[]) => list.map(bytesToHex);

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

function expectTyped(code: string, fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(isClearingError(error), String(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

// Certificate Transparency's reference leaves and roots (RFC 6962 test data, same hashing as RFC 9162).
const ctLeaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => hexToBytes(h));
const ctRoots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree hashing (RFC 9162 §2.1.1)', () => {
  it('hashes leaves with 0x00, nodes with 0x01 and the empty tree as SHA-256("")', () => {
    expect(bytesToHex(emptyRootHash())).toBe(ctRoots[0]);
    expect(bytesToHex(leafHash(new Uint8Array(0)))).toBe(ctRoots[1]);
    const a = leafHash(Uint8Array.of(1));
    const b = leafHash(Uint8Array.of(2));
    expect(nodeHash(a, b)).toEqual(refNode(a, b));
  });

  it('matches the Certificate Transparency reference roots for sizes 0..8', () => {
    const tree = MerkleTree.fromLeafHashes(ctLeaves.map(leafHash));
    for (let n = 0; n <= 8; n++) expect(bytesToHex(tree.root(n)), `size ${n}`).toBe(ctRoots[n]);
  });

  it('matches the Certificate Transparency reference proofs', () => {
    const tree = MerkleTree.fromLeafHashes(ctLeaves.map(leafHash));
    expect(hex(tree.inclusionProof(0, 8))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hex(tree.inclusionProof(5, 8))).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(hex(tree.consistencyProof(1, 8))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hex(tree.consistencyProof(6, 8))).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(hex(tree.consistencyProof(2, 5))).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  it('agrees with a naive recursive MTH for every size 0..70, grown and rebuilt', () => {
    const data = entries(70);
    const grown = new MerkleTree();
    for (let n = 0; n <= 70; n++) {
      const expected = refMTH(data.slice(0, n));
      expect(grown.root(), `grown, size ${n}`).toEqual(expected);
      expect(treeOf(data.slice(0, n)).root(), `rebuilt, size ${n}`).toEqual(expected);
      if (n < 70) grown.appendData(data[n]!);
    }
    for (let n = 0; n <= 70; n++) expect(grown.root(n), `past size ${n}`).toEqual(refMTH(data.slice(0, n)));
  });

  it('answers proofs correctly between appends', () => {
    const data = entries(40);
    const tree = new MerkleTree();
    for (let n = 1; n <= 40; n++) {
      tree.appendData(data[n - 1]!);
      const d = data.slice(0, n);
      expect(hex(tree.inclusionProof(0)), `PATH(0, ${n})`).toEqual(hex(refPATH(0, d)));
      expect(hex(tree.consistencyProof(1)), `PROOF(1, ${n})`).toEqual(hex(refPROOF(1, d)));
      expect(tree.root()).toEqual(refMTH(d));
      // Mutating what was returned must not reach the tree's caches.
      tree.root().fill(0);
      for (const p of tree.inclusionProof(0)) p.fill(0);
      expect(tree.root()).toEqual(refMTH(d));
    }
  });

  it('keeps leaf hashes as appended and returns copies', () => {
    const tree = treeOf(entries(5));
    expect(tree.size).toBe(5);
    expect(tree.leafHash(3)).toEqual(refLeaf(entry(3)));
    tree.leafHash(3).fill(0);
    tree.root().fill(0);
    expect(tree.leafHash(3)).toEqual(refLeaf(entry(3)));
    expect(tree.root()).toEqual(refMTH(entries(5)));
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  const data = entries(64);
  const tree = treeOf(data);

  it('equal PATH for every leaf of every tree up to 64 leaves and verify', () => {
    for (let n = 1; n <= 64; n++) {
      const root = tree.root(n);
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        expect(hex(proof), `PATH(${m}, ${n})`).toEqual(hex(refPATH(m, data.slice(0, n))));
        expect(verifyInclusion(refLeaf(data[m]!), m, n, proof, root), `verify ${m} in ${n}`).toBe(true);
      }
    }
  });

  it('fail for the wrong index, size, leaf or proof length', () => {
    const root = tree.root(13);
    const proof = tree.inclusionProof(6, 13);
    const leaf = refLeaf(data[6]!);
    expect(verifyInclusion(leaf, 6, 13, proof, root)).toBe(true);
    for (let m = 0; m < 20; m++) if (m !== 6) expect(verifyInclusion(leaf, m, 13, proof, root), `index ${m}`).toBe(false);
    for (let n = 1; n < 40; n++) {
      const sameShape = n > 6 && pathShape(6, n) === pathShape(6, 13);
      expect(verifyInclusion(leaf, 6, n, proof, root), `size ${n}`).toBe(sameShape);
    }
    expect(pathShape(6, 14)).toBe(pathShape(6, 13));
    expect(verifyInclusion(refLeaf(data[7]!), 6, 13, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 6, 13, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(leaf, 6, 13, [...proof, proof[0]!], root)).toBe(false);
    expect(verifyInclusion(leaf, 13, 13, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 0, 0, [], emptyRootHash())).toBe(false);
    expect(() => assertInclusion(leaf, 6, 13, proof, root)).not.toThrow();
    expectTyped('MERKLE_PROOF_INVALID', () => assertInclusion(leaf, 5, 13, proof, root));
  });

  it('a single-leaf tree needs an empty proof', () => {
    const one = treeOf(entries(1));
    expect(one.inclusionProof(0)).toEqual([]);
    expect(verifyInclusion(one.leafHash(0), 0, 1, [], one.root())).toBe(true);
  });
});

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  const data = entries(64);
  const tree = treeOf(data);

  it('equal PROOF for every pair of sizes up to 64 and verify', () => {
    for (let n = 1; n <= 64; n++) {
      const newRoot = tree.root(n);
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(hex(proof), `PROOF(${m}, ${n})`).toEqual(hex(refPROOF(m, data.slice(0, n))));
        expect(verifyConsistency(m, n, tree.root(m), newRoot, proof), `verify ${m} → ${n}`).toBe(true);
      }
    }
  });

  it('treat equal sizes and the empty old tree as the RFC edge cases', () => {
    const root = tree.root(9);
    expect(tree.consistencyProof(9, 9)).toEqual([]);
    expect(verifyConsistency(9, 9, root, root, [])).toBe(true);
    expect(verifyConsistency(9, 9, root, tree.root(10), [])).toBe(false);
    expect(verifyConsistency(9, 9, root, root, [root])).toBe(false);
    expect(tree.consistencyProof(0, 9)).toEqual([]);
    expect(verifyConsistency(0, 9, emptyRootHash(), root, [])).toBe(true);
    expect(verifyConsistency(0, 9, root, root, [])).toBe(false);
    expect(verifyConsistency(3, 9, tree.root(3), root, [])).toBe(false);
  });

  it('fail for wrong sizes, swapped roots or a history that was rewritten', () => {
    const proof = tree.consistencyProof(6, 20);
    const oldRoot = tree.root(6);
    const newRoot = tree.root(20);
    expect(verifyConsistency(6, 20, oldRoot, newRoot, proof)).toBe(true);
    for (let m = 1; m < 20; m++) if (m !== 6) expect(verifyConsistency(m, 20, oldRoot, newRoot, proof), `old ${m}`).toBe(false);
    for (let n = 7; n < 40; n++) {
      const sameShape = proofShape(6, n) === proofShape(6, 20);
      expect(verifyConsistency(6, n, oldRoot, newRoot, proof), `new ${n}`).toBe(sameShape);
    }
    expect(verifyConsistency(6, 20, newRoot, oldRoot, proof)).toBe(false);

    const rewritten = data.slice(0, 20);
    rewritten[3] = Uint8Array.of(0xee);
    const forged = treeOf(rewritten);
    expect(verifyConsistency(6, 20, oldRoot, forged.root(), forged.consistencyProof(6, 20))).toBe(false);
    expectTyped('MERKLE_PROOF_INVALID', () => assertConsistency(6, 20, oldRoot, forged.root(), forged.consistencyProof(6, 20)));
    expect(() => assertConsistency(6, 20, oldRoot, newRoot, proof)).not.toThrow();
  });
});

describe('Merkle proofs under attack (properties)', () => {
  const data = entries(48);
  const tree = treeOf(data);
  const other = treeOf(data.map((d, i) => (i === 17 ? Uint8Array.of(0xff) : d)));
  const sizes = fc.integer({ min: 1, max: 48 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));

  it('every single-bit flip in an inclusion proof element, the leaf or the root fails', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), fc.nat(255), ([n, m], pick, bit) => {
        const proof = tree.inclusionProof(m, n);
        const leaf = tree.leafHash(m);
        const root = tree.root(n);
        const target = proof.length === 0 ? pick % 2 : pick % (proof.length + 2);
        if (target === 0) return !verifyInclusion(flipBit(leaf, bit), m, n, proof, root);
        if (target === 1) return !verifyInclusion(leaf, m, n, proof, flipBit(root, bit));
        const tampered = proof.map((p, i) => (i === target - 2 ? flipBit(p, bit) : p));
        return !verifyInclusion(leaf, m, n, tampered, root);
      }),
      { numRuns: 400 },
    );
  });

  it('every single-bit flip in a consistency proof element or either root fails', () => {
    const pairs = fc.integer({ min: 2, max: 48 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)));
    fc.assert(
      fc.property(pairs, fc.nat(), fc.nat(255), ([m, n], pick, bit) => {
        const proof = tree.consistencyProof(m, n);
        const oldRoot = tree.root(m);
        const newRoot = tree.root(n);
        const target = pick % (proof.length + 2);
        if (target === 0) return !verifyConsistency(m, n, flipBit(oldRoot, bit), newRoot, proof);
        if (target === 1) return !verifyConsistency(m, n, oldRoot, flipBit(newRoot, bit), proof);
        const tampered = proof.map((p, i) => (i === target - 2 ? flipBit(p, bit) : p));
        return !verifyConsistency(m, n, oldRoot, newRoot, tampered);
      }),
      { numRuns: 400 },
    );
  });

  it('a proof from one tree never verifies against another', () => {
    fc.assert(
      fc.property(sizes, ([n, m]) => {
        // Trees agree below leaf 17, so only sizes that include it differ.
        if (n <= 17) return true;
        const inclusionFails = !verifyInclusion(tree.leafHash(m), m, n, tree.inclusionProof(m, n), other.root(n));
        const consistencyFails = m === 0 || m > 17 || !verifyConsistency(m, n, tree.root(m), other.root(n), tree.consistencyProof(m, n));
        return inclusionFails && consistencyFails;
      }),
      { numRuns: 300 },
    );
  });

  it('a wrong index or size verifies only where the proof has exactly the same shape', () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), ([n, m], m2, n2) => {
        fc.pre(m2 !== m || n2 !== n);
        const verified = verifyInclusion(tree.leafHash(m), m2, n2, tree.inclusionProof(m, n), tree.root(n));
        return verified === (m2 < n2 && pathShape(m2, n2) === pathShape(m, n));
      }),
      { numRuns: 300 },
    );
  });

  it('with the size taken from a signed head, a wrong index never verifies', () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 0, max: 100 }), ([n, m], m2) => {
        fc.pre(m2 !== m);
        return !verifyInclusion(tree.leafHash(m), m2, n, tree.inclusionProof(m, n), tree.root(n));
      }),
      { numRuns: 300 },
    );
  });
});

describe('malformed input', () => {
  const tree = treeOf(entries(10));
  const root = tree.root();
  const leaf = tree.leafHash(2);
  const proof = tree.inclusionProof(2);

  it('is a typed MERKLE_BAD_INPUT, never a crash', () => {
    const bad: Array<() => unknown> = [
      () => verifyInclusion(leaf, -1, 10, proof, root),
      () => verifyInclusion(leaf, 2, -10, proof, root),
      () => verifyInclusion(leaf, 2.5, 10, proof, root),
      () => verifyInclusion(leaf, 2, Number.NaN, proof, root),
      () => verifyInclusion(leaf, 2, 2 ** 60, proof, root),
      () => verifyInclusion(leaf.subarray(1), 2, 10, proof, root),
      () => verifyInclusion(leaf, 2, 10, proof, new Uint8Array(33)),
      () => verifyInclusion(leaf, 2, 10, [...proof.slice(1), new Uint8Array(31)], root),
      () => verifyInclusion(leaf, 2, 10, 'proof' as unknown as Uint8Array[], root),
      () => verifyInclusion(leaf, 2, 10, [null] as unknown as Uint8Array[], root),
      () =>
        verifyInclusion(
          leaf,
          2,
          10,
          Array.from({ length: 1000 }, () => root),
          root,
        ),
      () => verifyConsistency(5, 3, root, root, proof),
      () => verifyConsistency(-1, 3, root, root, proof),
      () => verifyConsistency(1, 3, root.subarray(2), root, proof),
      () => verifyConsistency(1, 3, root, root, [new Uint8Array(64)]),
      () => tree.inclusionProof(10),
      () => tree.inclusionProof(0, 11),
      () => tree.inclusionProof(-1),
      () => tree.consistencyProof(4, 3),
      () => tree.consistencyProof(4, 11),
      () => tree.root(11),
      () => tree.root(-1),
      () => tree.leafHash(10),
      () => tree.append(new Uint8Array(31)),
      () => nodeHash(root, new Uint8Array(1)),
    ];
    bad.forEach((fn, i) => {
      expectTyped('MERKLE_BAD_INPUT', () => {
        try {
          return fn();
        } catch (error) {
          if (!isClearingError(error)) throw new Error(`case ${i}: ${String(error)}`);
          throw error;
        }
      });
    });
    expect(tree.size).toBe(10);
  });

  it('survives arbitrary garbage', () => {
    const anything = fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 40 }));
    fc.assert(
      fc.property(anything, anything, anything, fc.array(anything, { maxLength: 5 }), anything, (a, b, c, d, e) => {
        try {
          const result = verifyInclusion(a as Uint8Array, b as number, c as number, d as Uint8Array[], e as Uint8Array);
          return typeof result === 'boolean';
        } catch (error) {
          return isClearingError(error) && error.code === 'MERKLE_BAD_INPUT';
        }
      }),
      { numRuns: 300 },
    );
  });
});
