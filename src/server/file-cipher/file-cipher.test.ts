import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAgeVectors, outcomeCodes } from '../../../test/support/age-vectors.js';
import { ageChunkSize, ageSealedChunkSize, decodeAnyIdentity, decryptBytes, encryptBytes, generateAgeKeyPair, isClearingError } from '../../core/index.js';
import { nodeCryptoChunkCipher } from './chunk-cipher.js';
import { decryptFileAt, encryptFileAt, isBinaryAgeFile, type FileCipherOptions } from './file-cipher.js';
import { InputChangedError } from './payload-stripe.js';
import { plaintextOf } from '../../../test/support/bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'clearing-file-cipher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { privateKey, publicKey } = generateAgeKeyPair();
let serial = 0;

function file(contents: Uint8Array): string {
  const path = join(dir, `f${serial++}`);
  writeFileSync(path, contents);
  return path;
}

/** Runs `write` into a fresh output file; returns its contents, or the error code it failed with. */
async function into(write: (fd: number) => Promise<void>): Promise<{ bytes: Buffer; code: string | null }> {
  const path = join(dir, `out${serial++}`);
  const fd = openSync(path, 'wx');
  try {
    await write(fd);
    return { bytes: readFileSync(path), code: null };
  } catch (error) {
    if (isClearingError(error)) return { bytes: readFileSync(path), code: error.code };
    throw error;
  } finally {
    closeSync(fd);
  }
}

const sizes = [0, 1, ageChunkSize - 1, ageChunkSize, ageChunkSize + 1, 4 * ageChunkSize, 37 * ageChunkSize + 5];
const setups: [string, FileCipherOptions][] = [
  ['one thread', { threads: 1 }],
  ['two threads, a chunk per batch', { threads: 2, batchSize: 1 }],
  ['two threads, node:crypto on this thread', { threads: 2, batchSize: 3, cipher: nodeCryptoChunkCipher }],
  ['in order, one worker', { ordered: true, threads: 1 }],
  ['in order, two workers taking a chunk at a time', { ordered: true, threads: 2, batchSize: 1 }],
];

describe('age files from file to file', () => {
  for (const [name, options] of setups) {
    it(`${name}: writes files the stream reads, and reads files the stream writes, at every size around a chunk`, async () => {
      for (const size of sizes) {
        const plaintext = plaintextOf(size);
        const sealed = await into((fd) => encryptFileAt(file(plaintext), fd, [publicKey], options));
        expect(sealed.code).toBeNull();
        expect(Buffer.from(await decryptBytes(sealed.bytes, [privateKey])).equals(plaintext), `size ${size}`).toBe(true);
        const theirs = await encryptBytes(plaintext, [publicKey]);
        const opened = await into((fd) => decryptFileAt(file(theirs), fd, [privateKey], options));
        expect(opened.code).toBeNull();
        expect(opened.bytes.equals(plaintext), `size ${size}`).toBe(true);
      }
    });
  }

  it('reports a damaged chunk anywhere as AGE_PAYLOAD; in order, after releasing exactly the chunks before it', async () => {
    const plaintext = plaintextOf(40 * ageChunkSize + 3);
    const sealed = await encryptBytes(plaintext, [publicKey]);
    const payloadStart = sealed.length - (plaintext.length + 41 * 16);
    for (const chunk of [0, 17, 39, 40]) {
      const damaged = Buffer.from(sealed);
      damaged[payloadStart + chunk * ageSealedChunkSize + 9]! ^= 4;
      expect((await into((fd) => decryptFileAt(file(damaged), fd, [privateKey], { threads: 2, batchSize: 2 }))).code).toBe('AGE_PAYLOAD');
      // Several times: whether a batch after the damaged one is ready before its turn is a race.
      for (let round = 0; round < 3; round++) {
        const ordered = await into((fd) => decryptFileAt(file(damaged), fd, [privateKey], { threads: 2, batchSize: 1, ordered: true }));
        expect(ordered.code).toBe('AGE_PAYLOAD');
        expect(ordered.bytes.equals(plaintext.subarray(0, chunk * ageChunkSize)), `damage in chunk ${chunk}`).toBe(true);
      }
    }
  });

  it('reports truncation at and between chunk boundaries, and data after the end, as AGE_PAYLOAD', async () => {
    const plaintext = plaintextOf(3 * ageChunkSize);
    const sealed = Buffer.from(await encryptBytes(plaintext, [publicKey]));
    const payloadStart = sealed.length - (plaintext.length + 3 * 16);
    for (const cut of [payloadStart, payloadStart + 5, payloadStart + ageSealedChunkSize, payloadStart + ageSealedChunkSize + 16, sealed.length - 1]) {
      expect((await into((fd) => decryptFileAt(file(sealed.subarray(0, cut)), fd, [privateKey]))).code, `cut at ${cut}`).toBe('AGE_PAYLOAD');
    }
    const extended = Buffer.concat([sealed, Buffer.alloc(20)]);
    expect((await into((fd) => decryptFileAt(file(extended), fd, [privateKey]))).code).toBe('AGE_PAYLOAD');
  });

  it('fails with the header codes before it writes anything', async () => {
    const sealed = Buffer.from(await encryptBytes(plaintextOf(1000), [publicKey]));
    const stranger = generateAgeKeyPair();
    const wrongKey = await into((fd) => decryptFileAt(file(sealed), fd, [stranger.privateKey]));
    expect(wrongKey).toEqual({ code: 'AGE_NO_MATCH', bytes: Buffer.alloc(0) });
    const header = Buffer.from(sealed);
    // Another valid base64 letter inside the MAC (not its last, whose low bits are fixed): a wrong MAC, not a malformed one.
    const macChar = header.indexOf('\n--- ') + 10;
    header[macChar] = header[macChar] === 0x41 ? 0x42 : 0x41;
    expect((await into((fd) => decryptFileAt(file(header), fd, [privateKey]))).code).toBe('AGE_HMAC');
    expect((await into((fd) => encryptFileAt(file(plaintextOf(10)), fd, []))).code).toBe('AGE_RECIPIENT');
  });

  it('refuses an input that grows or shrinks while it is read', async () => {
    const grown = file(plaintextOf(20 * ageChunkSize));
    await expect(
      into((fd) => encryptFileAt(grown, fd, [publicKey], { threads: 1, onProgress: (done, total) => done === total && appendFileSync(grown, 'x') })),
    ).rejects.toBeInstanceOf(InputChangedError);
    const shrunk = file(plaintextOf(20 * ageChunkSize));
    let cut = false;
    await expect(
      into((fd) =>
        encryptFileAt(shrunk, fd, [publicKey], {
          threads: 1,
          batchSize: 1,
          onProgress: () => {
            if (!cut) truncateSync(shrunk, 5);
            cut = true;
          },
        }),
      ),
    ).rejects.toBeInstanceOf(InputChangedError);
  });

  it('replaces a longer file it writes over, leaving exactly the age file or the plaintext', async () => {
    for (const direction of ['encrypt', 'decrypt'] as const) {
      const path = join(dir, `over${serial++}`);
      writeFileSync(path, Buffer.alloc(5 * ageChunkSize, 0xee));
      const plaintext = plaintextOf(100);
      const fd = openSync(path, 'r+');
      try {
        if (direction === 'encrypt') await encryptFileAt(file(plaintext), fd, [publicKey]);
        else await decryptFileAt(file(await encryptBytes(plaintext, [publicKey])), fd, [privateKey]);
      } finally {
        closeSync(fd);
      }
      const written = readFileSync(path);
      expect((direction === 'encrypt' ? Buffer.from(await decryptBytes(written, [privateKey])) : written).equals(plaintext)).toBe(true);
    }
  });
});

describe('age conformance vectors read from a file', () => {
  const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
  const emptyHash = sha(new Uint8Array(0));
  for (const vector of loadAgeVectors()) {
    it(`${vector.name} ends in ${vector.expect}; in order, releasing exactly the expected plaintext`, async () => {
      const path = file(vector.file);
      // Armored and non-age files go through the stream instead (the CLI checks this first).
      if (!isBinaryAgeFile(path)) {
        expect(vector.armored || vector.expect === 'header failure').toBe(true);
        return;
      }
      const identities = vector.identities.map(decodeAnyIdentity);
      const expected = vector.expect === 'success' ? null : outcomeCodes[vector.expect];
      // One thread each way (workers and turns are exercised above): the outcomes are about the plan.
      const placed = await into((fd) => decryptFileAt(path, fd, identities, { threads: 1, batchSize: 1 }));
      expect(placed.code).toBe(expected);
      if (vector.expect === 'success') expect(sha(placed.bytes)).toBe(vector.payload);
      const ordered = await into((fd) => decryptFileAt(path, fd, identities, { threads: 1, batchSize: 1, ordered: true }));
      expect(ordered.code).toBe(expected);
      expect(sha(ordered.bytes)).toBe(vector.payload ?? emptyHash);
    });
  }
});
