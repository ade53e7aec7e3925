/**
 * The one primitive the STREAM payload needs in bulk: ChaCha20-Poly1305 over
 * 64 KiB chunks. It is injected so that each platform can bring its fastest
 * implementation — native code and worker threads on the server, pure
 * TypeScript in the browser — while the age construction (nonces, chunking,
 * final-chunk rules, what is released when) stays here, in one place.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

export interface OpenedChunk {
  readonly plaintext: Uint8Array;
  /** True when the chunk opened with the alternate nonce, not the first choice. */
  readonly alternate: boolean;
}

export interface ChunkAead {
  /** Chunks the stream packs into one call; larger batches amortise a thread hop. */
  readonly batchSize: number;
  /** Calls the stream keeps in flight at once, so several batches run in parallel. */
  readonly parallelism: number;
  /**
   * When true, the cipher works where the data lies: seal() writes each
   * chunk's ciphertext over its plaintext and its tag into the 16 bytes after
   * it (the stream reads chunks `sealedChunkSize` apart to leave that room, so
   * a batch's sealed chunks end up contiguous), and open() writes each
   * plaintext over its ciphertext. The returned views are on the same buffer.
   */
  readonly inPlace?: boolean;
  /**
   * Optional source of the batch buffers the stream fills and hands over. An
   * implementation may recycle buffers it has finished with, or skip zeroing:
   * the stream overwrites every byte it passes on.
   */
  allocate?(size: number): Uint8Array;
  /**
   * Seals each chunk under `key` with its nonce: ciphertext followed by the
   * 16-byte tag, in the same order. The arrays and the buffers behind
   * `plaintexts` are handed over — the caller never touches them again — so an
   * implementation may transfer them to another thread.
   */
  seal(key: Uint8Array, nonces: readonly Uint8Array[], plaintexts: readonly Uint8Array[]): readonly Uint8Array[] | Promise<readonly Uint8Array[]>;
  /**
   * Opens each sealed chunk with its nonce or, when that fails and
   * `alternates[i]` is given, with that one instead (the STREAM reader cannot
   * always tell a full final chunk from a middle one before trying). Returns
   * the plaintext and whether the alternate nonce opened it; `null` when
   * neither does. It throws only when the implementation itself fails.
   * Ownership as for `seal`.
   */
  open(
    key: Uint8Array,
    nonces: readonly Uint8Array[],
    sealed: readonly Uint8Array[],
    alternates: readonly (Uint8Array | null)[],
  ): readonly (OpenedChunk | null)[] | Promise<readonly (OpenedChunk | null)[]>;
}

/** Pure TypeScript (@noble/ciphers), one chunk at a time: runs anywhere. */
export const nobleChunkAead: ChunkAead = {
  batchSize: 1,
  parallelism: 1,
  seal(key, nonces, plaintexts) {
    return plaintexts.map((p, i) => chacha20poly1305(key, nonces[i]!).encrypt(p));
  },
  open(key, nonces, sealed, alternates) {
    return sealed.map((c, i) => {
      const plaintext = tryOpen(key, nonces[i]!, c);
      if (plaintext) return { plaintext, alternate: false };
      const alternate = alternates[i];
      const second = alternate ? tryOpen(key, alternate, c) : null;
      return second ? { plaintext: second, alternate: true } : null;
    });
  },
};

function tryOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  try {
    return chacha20poly1305(key, nonce).decrypt(sealed);
  } catch {
    return null;
  }
}
