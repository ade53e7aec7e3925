import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadAgeVectors, outcomeCodes, type AgeVector } from '../../../../test/support/age-vectors.js';
import { isClearingError } from '../../errors/index.js';
import { decryptFile } from './file.js';
import { decodeAnyIdentity } from './keys.js';

const vectors = loadAgeVectors();

/** Feeds the file in small, odd-sized pieces so no layer can rely on seeing it whole. */
function* pieces(file: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < file.length; at += size) yield file.subarray(at, at + size);
}

async function runVector(vector: AgeVector, pieceSize: number): Promise<{ code: string | null; released: string }> {
  const hash = createHash('sha256');
  let code: string | null = null;
  try {
    for await (const chunk of decryptFile(pieces(vector.file, pieceSize), vector.identities.map(decodeAnyIdentity))) {
      hash.update(chunk);
    }
  } catch (error) {
    if (!isClearingError(error)) throw error;
    code = error.code;
  }
  return { code, released: hash.digest('hex') };
}

const emptyHash = createHash('sha256').digest('hex');

describe('age conformance vectors (C2SP CCTV)', () => {
  it('finds the vectors', () => {
    expect(vectors.length).toBeGreaterThan(60);
  });

  it('includes the hybrid post-quantum vector', () => {
    expect(vectors.some((v) => v.identities.some((id) => id.startsWith('AGE-SECRET-KEY-PQ-1')))).toBe(true);
  });

  for (const vector of vectors) {
    const expected = vector.expect === 'success' ? null : outcomeCodes[vector.expect];
    for (const pieceSize of [1 << 20, 4093]) {
      it(`${vector.name} ends in ${vector.expect} and releases exactly the expected plaintext (pieces of ${pieceSize})`, async () => {
        const { code, released } = await runVector(vector, pieceSize);
        expect(code).toBe(expected);
        expect(released).toBe(vector.payload ?? emptyHash);
      });
    }
  }
});
