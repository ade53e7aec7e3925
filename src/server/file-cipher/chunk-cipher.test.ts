import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nativeChunkCipher, nativeCipherPath, nativeCipherProblem, nodeCryptoChunkCipher, type ChunkCipher } from './chunk-cipher.js';

const native = nativeChunkCipher();
if (!native) {
  const reason = `the native chunk cipher did not load from ${nativeCipherPath}: ${nativeCipherProblem()}`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it (npm ci builds it)`);
  process.stderr.write(`\n*** SKIPPING native chunk cipher tests: ${reason} (run npm run build) ***\n\n`);
}
const ciphers: ChunkCipher[] = native ? [native, nodeCryptoChunkCipher] : [nodeCryptoChunkCipher];

const tag = 16;

/** Lays `plaintext` out as the cipher expects: chunk i at i × (chunkSize + 16), room for each tag. */
function laidOut(plaintext: Uint8Array, chunkSize: number): Uint8Array {
  const count = Math.max(1, Math.ceil(plaintext.length / chunkSize));
  const buffer = new Uint8Array(plaintext.length + count * tag);
  for (let i = 0; i < count; i++) buffer.set(plaintext.subarray(i * chunkSize, (i + 1) * chunkSize), i * (chunkSize + tag));
  return buffer;
}

/** The same chunks sealed one by one with the pure implementation (itself tested against RFC 8439). */
function reference(key: Uint8Array, nonces: Uint8Array, plaintext: Uint8Array, chunkSize: number): Uint8Array {
  const count = Math.max(1, Math.ceil(plaintext.length / chunkSize));
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(chacha20poly1305(key, nonces.subarray(i * 12, i * 12 + 12)).encrypt(plaintext.subarray(i * chunkSize, (i + 1) * chunkSize)));
  }
  return Buffer.concat(parts);
}

const batches = fc.record({
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  chunkSize: fc.integer({ min: 1, max: 300 }),
  length: fc.integer({ min: 0, max: 2000 }),
  seed: fc.integer({ min: 0, max: 255 }),
});

function plaintextOf(length: number, seed: number): Uint8Array {
  return new Uint8Array(length).map((_, i) => (i * 131 + seed * 7 + (i >> 7)) & 0xff);
}

function noncesFor(count: number, seed: number): Uint8Array {
  return new Uint8Array(count * 12).map((_, i) => (i * 17 + seed) & 0xff);
}

describe('chunk ciphers', () => {
  it('the native cipher is the one in use wherever it was built', () => {
    if (process.env.CI === 'true') expect(native?.name).toBe('native');
  });

  for (const cipher of ciphers) {
    describe(cipher.name, () => {
      it('seals exactly what ChaCha20-Poly1305 seals, chunk by chunk, and opens it again in place', () => {
        fc.assert(
          fc.property(batches, ({ key, chunkSize, length, seed }) => {
            const plaintext = plaintextOf(length, seed);
            const count = Math.max(1, Math.ceil(length / chunkSize));
            const nonces = noncesFor(count, seed);
            const buffer = laidOut(plaintext, chunkSize);
            expect(cipher.sealChunks(key, nonces, buffer, chunkSize, length)).toBe(length + count * tag);
            expect(Buffer.from(buffer).equals(Buffer.from(reference(key, nonces, plaintext, chunkSize)))).toBe(true);
            expect(cipher.openChunks(key, nonces, buffer, chunkSize, buffer.length)).toBe(count);
            for (let i = 0; i < count; i++) {
              const opened = buffer.subarray(i * (chunkSize + tag), i * (chunkSize + tag) + Math.min(chunkSize, length - i * chunkSize));
              expect(Buffer.from(opened).equals(Buffer.from(plaintext.subarray(i * chunkSize, (i + 1) * chunkSize)))).toBe(true);
            }
          }),
          { numRuns: 150 },
        );
      });

      it('stops at the first damaged chunk and leaves it exactly as it was', () => {
        fc.assert(
          fc.property(batches, fc.nat(), fc.integer({ min: 0, max: 7 }), ({ key, chunkSize, length, seed }, where, bit) => {
            const plaintext = plaintextOf(length, seed);
            const count = Math.max(1, Math.ceil(length / chunkSize));
            const nonces = noncesFor(count, seed);
            const buffer = laidOut(plaintext, chunkSize);
            cipher.sealChunks(key, nonces, buffer, chunkSize, length);
            const at = where % buffer.length;
            buffer[at]! ^= 1 << bit;
            const damaged = Math.floor(at / (chunkSize + tag));
            const before = buffer.slice();
            expect(cipher.openChunks(key, nonces, buffer, chunkSize, buffer.length)).toBe(damaged);
            const from = damaged * (chunkSize + tag);
            expect(Buffer.from(buffer.subarray(from)).equals(Buffer.from(before.subarray(from)))).toBe(true);
          }),
          { numRuns: 150 },
        );
      });

      it('refuses a chunk sealed under another nonce or key', () => {
        const key = new Uint8Array(32).fill(3);
        const buffer = laidOut(plaintextOf(100, 1), 64);
        cipher.sealChunks(key, noncesFor(2, 1), buffer, 64, 100);
        expect(cipher.openChunks(key, noncesFor(2, 2), buffer.slice(), 64, buffer.length)).toBe(0);
        expect(cipher.openChunks(new Uint8Array(32).fill(4), noncesFor(2, 1), buffer.slice(), 64, buffer.length)).toBe(0);
      });

      it('answers hostile arguments with a TypeError or RangeError, never a crash or a write outside the buffer', () => {
        const key = new Uint8Array(32);
        const nonce = new Uint8Array(12);
        const buffer = new Uint8Array(64 + 16);
        const detached = new Uint8Array(new ArrayBuffer(80));
        structuredClone(detached.buffer, { transfer: [detached.buffer] });
        const bad: [string, () => unknown][] = [
          ['a string key', () => cipher.sealChunks('k'.repeat(32) as unknown as Uint8Array, nonce, buffer, 64, 64)],
          ['a 31-byte key', () => cipher.sealChunks(new Uint8Array(31), nonce, buffer, 64, 64)],
          ['a Float64Array buffer', () => cipher.sealChunks(key, nonce, new Float64Array(10) as unknown as Uint8Array, 64, 64)],
          ['13 bytes of nonces', () => cipher.sealChunks(key, new Uint8Array(13), buffer, 64, 64)],
          ['no nonce', () => cipher.sealChunks(key, new Uint8Array(0), buffer, 64, 64)],
          ['two nonces for one chunk', () => cipher.sealChunks(key, new Uint8Array(24), buffer, 64, 64)],
          ['chunk size 0', () => cipher.sealChunks(key, nonce, buffer, 0, 0)],
          ['a negative chunk size', () => cipher.sealChunks(key, nonce, buffer, -64, 64)],
          ['a fractional length', () => cipher.sealChunks(key, nonce, buffer, 64, 63.5)],
          ['NaN length', () => cipher.sealChunks(key, nonce, buffer, 64, Number.NaN)],
          ['a huge chunk size', () => cipher.sealChunks(key, nonce, buffer, 2 ** 40, 64)],
          ['a length past the buffer', () => cipher.sealChunks(key, nonce, buffer, 64, 65)],
          ['a buffer with no room for the tag', () => cipher.sealChunks(key, nonce, new Uint8Array(64), 64, 64)],
          ['a detached buffer', () => cipher.sealChunks(key, nonce, detached, 64, 64)],
          ['opening past the buffer', () => cipher.openChunks(key, nonce, buffer, 64, 81)],
          ['opening a chunk shorter than its tag', () => cipher.openChunks(key, nonce, buffer, 64, 15)],
          ['opening nothing', () => cipher.openChunks(key, nonce, buffer, 64, 0)],
          ['opening with too few nonces', () => cipher.openChunks(key, nonce, new Uint8Array(200), 64, 200)],
        ];
        for (const [what, call] of bad) {
          let thrown: unknown;
          try {
            call();
          } catch (error) {
            thrown = error;
          }
          expect(thrown instanceof TypeError || thrown instanceof RangeError, `${what}: ${String(thrown)}`).toBe(true);
        }
        expect(buffer.every((b) => b === 0)).toBe(true);
      });
    });
  }
});
