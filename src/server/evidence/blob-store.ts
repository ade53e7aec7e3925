import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where evidence ciphertext lives: content-addressed by the SHA-256 of the
 * ciphertext, so a blob's name says what it must contain and a copy can be
 * checked. An interface, so an S3-compatible store can stand in when one
 * machine is not enough; `LocalBlobStore` writes to the data directory.
 *
 * Durability contract: `put` returns only once the blob is on disk under
 * its final name (written to a temporary name, fsynced, renamed, the
 * directory fsynced); until then nothing under a final name exists, so a
 * kill at any moment leaves at most a temporary file for the sweeper. A row
 * that references a blob is written after `put` returns.
 */
export interface BlobStore {
  put(source: AsyncIterable<Uint8Array>, options?: { maxBytes?: number }): Promise<StoredBlob>;
  open(id: BlobId): Promise<Readable>;
  stat(id: BlobId): Promise<StoredBlob | null>;
  delete(id: BlobId): Promise<void>;
  /** Every stored blob with its age, for the orphan sweeper. */
  list(): AsyncIterable<StoredBlob & { modifiedAt: Date }>;
  /** Removes temporary files older than `olderThanMs` (left by a killed upload). */
  sweepTemporary(olderThanMs: number): Promise<number>;
}

/** Lower-case hex SHA-256 of the ciphertext. */
export type BlobId = string & { readonly __blob: unique symbol };
export interface StoredBlob {
  id: BlobId;
  size: number;
}

const blobIdPattern = /^[0-9a-f]{64}$/;

export function isBlobId(value: unknown): value is BlobId {
  return typeof value === 'string' && blobIdPattern.test(value);
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob larger than ${limit} bytes`);
  }
}

export class LocalBlobStore implements BlobStore {
  private readonly temporary: string;

  constructor(private readonly root: string) {
    this.temporary = join(root, 'tmp');
  }

  private pathOf(id: BlobId): string {
    if (!isBlobId(id)) throw new RangeError('not a blob id');
    return join(this.root, id.slice(0, 2), id.slice(2, 4), id);
  }

  async put(source: AsyncIterable<Uint8Array>, options: { maxBytes?: number } = {}): Promise<StoredBlob> {
    await mkdir(this.temporary, { recursive: true, mode: 0o700 });
    const tmp = join(this.temporary, `${Date.now()}-${randomBytes(12).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const file = await open(tmp, 'wx', 0o600);
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (options.maxBytes !== undefined && size > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
        hash.update(chunk);
        let written = 0;
        while (written < chunk.length) written += (await file.write(chunk, written, chunk.length - written)).bytesWritten;
      }
      await file.sync();
    } catch (error) {
      await file.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw error;
    }
    await file.close();
    const id = hash.digest('hex') as BlobId;
    const final = this.pathOf(id);
    const dir = join(this.root, id.slice(0, 2), id.slice(2, 4));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Same content, same name: a second put of an existing blob simply replaces it with identical bytes.
    await rename(tmp, final);
    await fsyncDirectory(dir);
    return { id, size };
  }

  async open(id: BlobId): Promise<Readable> {
    const path = this.pathOf(id);
    await stat(path);
    return createReadStream(path);
  }

  async stat(id: BlobId): Promise<StoredBlob | null> {
    try {
      const s = await stat(this.pathOf(id));
      return { id, size: s.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(id: BlobId): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  async *list(): AsyncIterable<StoredBlob & { modifiedAt: Date }> {
    for (const a of await readdirSafe(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await readdirSafe(join(this.root, a))) {
        if (!/^[0-9a-f]{2}$/.test(b)) continue;
        for (const name of await readdirSafe(join(this.root, a, b))) {
          if (!isBlobId(name) || !name.startsWith(a + b)) continue;
          const s = await stat(join(this.root, a, b, name)).catch(() => null);
          if (s) yield { id: name, size: s.size, modifiedAt: s.mtime };
        }
      }
    }
  }

  async sweepTemporary(olderThanMs: number): Promise<number> {
    let removed = 0;
    for (const name of await readdirSafe(this.temporary)) {
      const path = join(this.temporary, name);
      const s = await stat(path).catch(() => null);
      if (s && Date.now() - s.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function readdirSafe(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes blobs no row references once they are older than the grace period
 * (an upload in progress has written its blob but not yet its row), and
 * temporary files left by killed uploads. `referenced` answers for a batch of ids.
 */
export async function sweepOrphanBlobs(
  store: BlobStore,
  referenced: (ids: readonly BlobId[]) => Promise<ReadonlySet<string>>,
  graceMs: number,
): Promise<{ blobs: number; temporary: number }> {
  let removed = 0;
  let batch: BlobId[] = [];
  const flush = async () => {
    const kept = await referenced(batch);
    for (const id of batch) {
      if (!kept.has(id)) {
        await store.delete(id);
        removed++;
      }
    }
    batch = [];
  };
  for await (const blob of store.list()) {
    if (Date.now() - blob.modifiedAt.getTime() < graceMs) continue;
    batch.push(blob.id);
    if (batch.length >= 500) await flush();
  }
  if (batch.length) await flush();
  return { blobs: removed, temporary: await store.sweepTemporary(graceMs) };
}
