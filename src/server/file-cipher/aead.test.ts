import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ageChunkSize, decryptFile, encryptBytes, generateAgeKeyPair, isClearingError, nobleChunkAead, type ChunkAead } from '../../core/index.js';
import { nodeChunkAead } from './node-aead.js';
import { createWorkerChunkAead } from './worker-aead.js';
import { writeChunks } from './write.js';

const { privateKey, publicKey } = generateAgeKeyPair();
const pool = createWorkerChunkAead({ threads: 2, batchSize: 3, depth: 2 });
afterAll(() => pool.close());

function bytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + (i >> 8)) & 0xff;
  return out;
}

async function decrypt(file: Uint8Array, aead: ChunkAead): Promise<{ code: string | null; released: number[] }> {
  const released: number[] = [];
  try {
    for await (const p of decryptFile([file.slice()], [privateKey], { aead })) released.push(p.length);
    return { code: null, released };
  } catch (error) {
    if (!isClearingError(error)) throw error;
    return { code: error.code, released };
  }
}

const backends: [string, ChunkAead][] = [
  ['node:crypto', nodeChunkAead],
  ['worker pool', pool],
];

describe('native chunk ciphers', () => {
  const plaintext = bytes(7 * ageChunkSize + 123);

  for (const [name, aead] of backends) {
    it(`${name} writes files the pure implementation reads, and reads files it writes`, async () => {
      const ours = await encryptBytes(plaintext, [publicKey], { aead });
      const theirs = await encryptBytes(plaintext, [publicKey], { aead: nobleChunkAead });
      for (const [file, reader] of [
        [ours, nobleChunkAead],
        [theirs, aead],
        [ours, aead],
      ] as const) {
        const parts: Uint8Array[] = [];
        for await (const p of decryptFile([file], [privateKey], { aead: reader })) parts.push(p);
        expect(Buffer.concat(parts).equals(Buffer.from(plaintext))).toBe(true);
      }
    });

    it(`${name} stops at a damaged chunk after releasing exactly the chunks before it`, async () => {
      const file = await encryptBytes(plaintext, [publicKey], { aead });
      const payloadStart = file.length - (plaintext.length + 8 * 16);
      for (const chunk of [0, 4, 7]) {
        const tampered = file.slice();
        tampered[payloadStart + chunk * (ageChunkSize + 16) + 5]! ^= 0x80;
        const { code, released } = await decrypt(tampered, aead);
        expect(code).toBe('AGE_PAYLOAD');
        expect(released.reduce((a, b) => a + b, 0)).toBe(chunk * ageChunkSize);
      }
    });

    it(`${name} never detaches or recycles memory it did not allocate`, async () => {
      const mine = new Uint8Array(2 * ageChunkSize);
      const views = [mine.subarray(0, ageChunkSize), mine.subarray(ageChunkSize)];
      const key = new Uint8Array(32);
      const nonces = [new Uint8Array(12), new Uint8Array(12).fill(1)];
      const sealed = await aead.seal(key, nonces, views);
      expect(mine.byteLength).toBe(2 * ageChunkSize);
      expect(sealed.map((s) => s.length)).toEqual([ageChunkSize + 16, ageChunkSize + 16]);
      const opened = await aead.open(
        key,
        nonces,
        sealed.map((s) => s.slice()),
        [null, null],
      );
      expect(opened.map((o) => o?.plaintext.length)).toEqual([ageChunkSize, ageChunkSize]);
    });
  }

  it('keeps the worker pool usable after many files in parallel', async () => {
    const files = await Promise.all(Array.from({ length: 4 }, () => encryptBytes(plaintext, [publicKey], { aead: pool })));
    const results = await Promise.all(files.map((f) => decrypt(f, pool)));
    for (const r of results) expect(r.code).toBeNull();
  });
});

describe('writing with buffer reuse', () => {
  it('hands a buffer back only after everything written from it has left, even through a slow sink', async () => {
    const plaintext = bytes(40 * ageChunkSize + 11);
    const received: Buffer[] = [];
    let reclaimed = 0;
    // A sink that copies each chunk only later, as a slow disk would read it.
    const slow = new Writable({
      // Deep, like the CLI's, so many writes are queued while the stream moves on.
      highWaterMark: 64 * ageChunkSize,
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          received.push(Buffer.from(chunk));
          done();
        }, 1);
      },
    });
    const { encryptFile } = await import('../../core/index.js');
    await writeChunks(encryptFile([plaintext], [publicKey], { aead: pool }), slow, {
      reclaim: (b) => {
        reclaimed++;
        pool.reclaim(b);
      },
    });
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(reclaimed).toBeGreaterThan(2);
    const parts: Uint8Array[] = [];
    for await (const p of decryptFile([Buffer.concat(received)], [privateKey], { aead: pool })) parts.push(p);
    expect(Buffer.concat(parts).equals(Buffer.from(plaintext))).toBe(true);
  });
});
