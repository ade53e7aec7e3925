/**
 * The age stream's chunk cipher on the calling thread, in place over the
 * batch buffer (see ChunkAead.inPlace): native OpenSSL when the addon is
 * built, node:crypto otherwise. No thread hop, which is the better trade for
 * small files.
 */
import type { ChunkAead, OpenedChunk } from '../../core/index.js';
import { BufferRecycler } from './buffers.js';
import { chunkCipher, type ChunkCipher } from './chunk-cipher.js';

const tagLength = 16;

/** One 12-byte nonce after another, as the chunk cipher takes them. */
export function joinNonces(nonces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(nonces.length * 12);
  nonces.forEach((n, i) => {
    out.set(n, i * 12);
  });
  return out;
}

/**
 * Where a batch of views lies in the chunk cipher's layout: one buffer, chunk
 * i at i × stride, every chunk but the last `fullLength` long, and `room`
 * bytes free after the last. Null when the views are laid out otherwise (a
 * caller's own arrays).
 */
function region(views: readonly Uint8Array[], stride: number, fullLength: number, room: number): { buffer: Uint8Array; total: number } | null {
  const first = views[0];
  if (!first) return null;
  let total = 0;
  for (let i = 0; i < views.length; i++) {
    const v = views[i]!;
    if (v.buffer !== first.buffer || v.byteOffset !== first.byteOffset + i * stride) return null;
    if (i < views.length - 1 ? v.length !== fullLength : v.length > fullLength) return null;
    total += v.length;
  }
  const length = (views.length - 1) * stride + views.at(-1)!.length + room;
  if (first.byteOffset + length > first.buffer.byteLength) return null;
  return { buffer: new Uint8Array(first.buffer, first.byteOffset, length), total };
}

/** Seals the stream's views in place; a caller's own arrays are sealed one by one into fresh buffers instead. */
export function sealViews(
  cipher: ChunkCipher,
  key: Uint8Array,
  nonces: readonly Uint8Array[],
  plaintexts: readonly Uint8Array[],
  chunkSize: number,
): Uint8Array[] {
  const stride = chunkSize + tagLength;
  const place = region(plaintexts, stride, chunkSize, tagLength);
  if (place) {
    cipher.sealChunks(key, joinNonces(nonces), place.buffer, chunkSize, place.total);
    return plaintexts.map((p, i) => place.buffer.subarray(i * stride, i * stride + p.length + tagLength));
  }
  return plaintexts.map((p, i) => {
    const out = new Uint8Array(p.length + tagLength);
    out.set(p);
    cipher.sealChunks(key, nonces[i]!, out, Math.max(1, p.length), p.length);
    return out;
  });
}

/**
 * Opens the stream's views in place: a run in the cipher's layout in one
 * call, anything else one chunk at a time; a chunk whose nonce fails is tried
 * with its alternate (the cipher leaves a failed chunk as it was).
 */
export function openViews(
  cipher: ChunkCipher,
  key: Uint8Array,
  nonces: readonly Uint8Array[],
  sealed: readonly Uint8Array[],
  alternates: readonly (Uint8Array | null)[],
  chunkSize: number,
): (OpenedChunk | null)[] {
  const stride = chunkSize + tagLength;
  const results: (OpenedChunk | null)[] = [];
  const plaintext = (c: Uint8Array): Uint8Array => c.subarray(0, c.length - tagLength);
  const openOne = (c: Uint8Array, nonce: Uint8Array): boolean =>
    c.length >= tagLength && c.length <= stride && cipher.openChunks(key, nonce, c, chunkSize, c.length) === 1;
  let i = 0;
  const last = sealed.at(-1);
  const place = last && last.length >= tagLength ? region(sealed, stride, stride, 0) : null;
  if (place) {
    const opened = cipher.openChunks(key, joinNonces(nonces), place.buffer, chunkSize, place.total);
    for (; i < opened; i++) results.push({ plaintext: plaintext(sealed[i]!), alternate: false });
  }
  for (; i < sealed.length; i++) {
    // After a run stops, the rest go one by one (the chunk that stopped it is tried once more, untouched).
    const c = sealed[i]!;
    if (openOne(c, nonces[i]!)) {
      results.push({ plaintext: plaintext(c), alternate: false });
      continue;
    }
    const alternate = alternates[i];
    results.push(alternate && openOne(c, alternate) ? { plaintext: plaintext(c), alternate: true } : null);
  }
  return results;
}

export interface NodeChunkAeadOptions {
  /** Chunk cipher; the fastest available by default. */
  readonly cipher?: ChunkCipher;
}

/** A ChunkAead on the calling thread, in place; `reclaim` takes back a batch buffer once written out (see writeChunks). */
export function createNodeChunkAead(options: NodeChunkAeadOptions = {}): ChunkAead & { reclaim(buffer: ArrayBufferLike): void } {
  const cipher = options.cipher ?? chunkCipher();
  const recycler = new BufferRecycler(4);
  return {
    // Four chunks: a batch and its tags stay in the core's cache between reading and writing.
    batchSize: 4,
    parallelism: 1,
    inPlace: true,
    allocate: (size) => recycler.allocate(size),
    seal: (key, nonces, plaintexts) => sealViews(cipher, key, nonces, plaintexts, 65536),
    open: (key, nonces, sealed, alternates) => openViews(cipher, key, nonces, sealed, alternates, 65536),
    reclaim(buffer) {
      if (buffer instanceof ArrayBuffer) recycler.recycle(buffer);
    },
  };
}

export const nodeChunkAead = createNodeChunkAead();
