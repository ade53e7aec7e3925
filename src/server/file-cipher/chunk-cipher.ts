/**
 * ChaCha20-Poly1305 over a batch of equal-sized chunks, in place: the one
 * bulk operation age files need. Two implementations with one contract:
 *
 * - native: OpenSSL's EVP through a small addon (src/server/file-cipher/native),
 *   built by `npm install`; about the speed of `openssl speed`;
 * - node:crypto: the same OpenSSL behind Node's stream-shaped Cipher objects,
 *   which allocate per chunk; the fallback wherever the addon did not build.
 *
 * Layout: chunk i starts at i × (chunkSize + 16) in `buffer`; every chunk but
 * the last holds chunkSize bytes; each is followed by the 16 bytes of its tag.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const tagLength = 16;

export interface ChunkCipher {
  readonly name: 'native' | 'node:crypto';
  /**
   * Seals `plaintextLength` bytes laid out as above, one 12-byte nonce per
   * chunk (an empty plaintext is one empty chunk); returns the sealed length.
   */
  sealChunks(key: Uint8Array, nonces: Uint8Array, buffer: Uint8Array, chunkSize: number, plaintextLength: number): number;
  /**
   * Opens `sealedLength` bytes laid out as above; returns how many chunks
   * opened before the first that did not (all of them when every one did).
   * The chunk that failed is left exactly as it was.
   */
  openChunks(key: Uint8Array, nonces: Uint8Array, buffer: Uint8Array, chunkSize: number, sealedLength: number): number;
}

/** Where the build puts the addon: build/native at the package root, three levels above src/ or dist/ server/file-cipher. */
export const nativeCipherPath = fileURLToPath(new URL('../../../build/native/chunk_cipher.node', import.meta.url));

let loaded: { cipher: ChunkCipher | null; problem: string | null } | undefined;

/** The native cipher, or null (with the reason in nativeCipherProblem) when the addon is missing or broken. */
export function nativeChunkCipher(): ChunkCipher | null {
  if (!loaded) {
    try {
      const addon = createRequire(import.meta.url)(nativeCipherPath) as Omit<ChunkCipher, 'name'>;
      const cipher: ChunkCipher = { name: 'native', sealChunks: addon.sealChunks, openChunks: addon.openChunks };
      selfTest(cipher);
      loaded = { cipher, problem: null };
    } catch (error) {
      loaded = { cipher: null, problem: error instanceof Error ? error.message : String(error) };
    }
  }
  return loaded.cipher;
}

/** Why the native cipher is not in use, or null when it is. */
export function nativeCipherProblem(): string | null {
  nativeChunkCipher();
  return loaded?.problem ?? null;
}

/** The fastest cipher available here. */
export function chunkCipher(): ChunkCipher {
  return nativeChunkCipher() ?? nodeCryptoChunkCipher;
}

function chunkLengths(total: number, stride: number, count: number): number[] | null {
  if (count !== Math.ceil(total / stride)) return null;
  const lengths: number[] = [];
  for (let i = 0; i < count; i++) lengths.push(Math.min(stride, total - i * stride));
  return lengths;
}

function checkBatch(key: Uint8Array, nonces: Uint8Array, buffer: Uint8Array, chunkSize: number, length: number): number {
  for (const [value, name] of [
    [key, 'key'],
    [nonces, 'nonces'],
    [buffer, 'buffer'],
  ] as const) {
    if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  }
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('length out of range');
  if (key.length !== 32) throw new RangeError('key must be 32 bytes');
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0 || chunkSize > 2 ** 30) throw new RangeError('chunkSize out of range');
  if (nonces.length === 0 || nonces.length % 12 !== 0) throw new RangeError('nonces must be a positive multiple of 12 bytes');
  return nonces.length / 12;
}

/** node:crypto with the same contract: each chunk goes through a Cipher object and is copied back into place. */
export const nodeCryptoChunkCipher: ChunkCipher = {
  name: 'node:crypto',
  sealChunks(key, nonces, buffer, chunkSize, plaintextLength) {
    const count = checkBatch(key, nonces, buffer, chunkSize, plaintextLength);
    const lengths = plaintextLength === 0 ? (count === 1 ? [0] : null) : chunkLengths(plaintextLength, chunkSize, count);
    if (!lengths) throw new RangeError('one nonce per chunk is required');
    const sealed = plaintextLength + count * tagLength;
    if (sealed > buffer.length) throw new RangeError('buffer too small for the sealed chunks');
    lengths.forEach((length, i) => {
      const at = i * (chunkSize + tagLength);
      const cipher = createCipheriv('chacha20-poly1305', key, nonces.subarray(i * 12, i * 12 + 12), { authTagLength: tagLength });
      const body = cipher.update(buffer.subarray(at, at + length));
      cipher.final();
      buffer.set(body, at);
      buffer.set(cipher.getAuthTag(), at + length);
    });
    return sealed;
  },
  openChunks(key, nonces, buffer, chunkSize, sealedLength) {
    const count = checkBatch(key, nonces, buffer, chunkSize, sealedLength);
    const lengths = chunkLengths(sealedLength, chunkSize + tagLength, count);
    if (!lengths) throw new RangeError('one nonce per chunk is required');
    if (lengths.at(-1)! < tagLength) throw new RangeError('the last chunk is shorter than its tag');
    if (sealedLength > buffer.length) throw new RangeError('buffer shorter than the sealed length');
    for (let i = 0; i < count; i++) {
      const at = i * (chunkSize + tagLength);
      const length = lengths[i]! - tagLength;
      const decipher = createDecipheriv('chacha20-poly1305', key, nonces.subarray(i * 12, i * 12 + 12), { authTagLength: tagLength });
      decipher.setAuthTag(buffer.subarray(at + length, at + length + tagLength));
      const body = decipher.update(buffer.subarray(at, at + length));
      try {
        decipher.final();
      } catch {
        return i;
      }
      buffer.set(body, at);
    }
    return count;
  },
};

/**
 * A wrongly built addon must not seal files nobody can read: before first
 * use, one batch is sealed by both implementations and compared, and a
 * damaged chunk must be refused and left as it was.
 */
function selfTest(cipher: ChunkCipher): void {
  const key = new Uint8Array(32).map((_, i) => i * 7 + 1);
  const nonces = new Uint8Array(24).map((_, i) => i * 13 + 5);
  const chunk = 100;
  const plain = new Uint8Array(2 * (chunk + tagLength)).map((_, i) => (i * 31) & 0xff);
  const ours = plain.slice();
  const reference = plain.slice();
  const length = chunk + 37;
  const sealed = cipher.sealChunks(key, nonces, ours, chunk, length);
  nodeCryptoChunkCipher.sealChunks(key, nonces, reference, chunk, length);
  if (sealed !== length + 2 * tagLength || !Buffer.from(ours.subarray(0, sealed)).equals(Buffer.from(reference.subarray(0, sealed)))) {
    throw new Error('the native chunk cipher disagrees with node:crypto');
  }
  ours[chunk + tagLength + 3]! ^= 1;
  const damaged = ours.slice();
  if (
    cipher.openChunks(key, nonces, ours, chunk, sealed) !== 1 ||
    !Buffer.from(ours.subarray(chunk + tagLength)).equals(Buffer.from(damaged.subarray(chunk + tagLength)))
  ) {
    throw new Error('the native chunk cipher accepted or disturbed a damaged chunk');
  }
  if (!Buffer.from(ours.subarray(0, chunk)).equals(Buffer.from(plain.subarray(0, chunk)))) {
    throw new Error('the native chunk cipher did not restore the plaintext');
  }
}
