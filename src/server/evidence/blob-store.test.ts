import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobTooLargeError, isBlobId, LocalBlobStore, sweepOrphanBlobs, type BlobId } from './blob-store.js';

const dirs: string[] = [];
function store() {
  const dir = mkdtempSync(join(tmpdir(), 'clearing-blobs-'));
  dirs.push(dir);
  return { dir, blobs: new LocalBlobStore(dir) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of stream) out.push(c);
  return Buffer.concat(out);
}

describe('the local blob store', () => {
  it('names a blob by the SHA-256 of its bytes and gives them back', async () => {
    const { blobs } = store();
    const stored = await blobs.put(chunks('age-encryption.org/v1\n', new Uint8Array(100_000).fill(7)));
    const expected = createHash('sha256').update('age-encryption.org/v1\n').update(new Uint8Array(100_000).fill(7)).digest('hex');
    expect(stored).toEqual({ id: expected, size: 100_022 });
    expect((await readAll(await blobs.open(stored.id))).length).toBe(100_022);
    expect(await blobs.stat(stored.id)).toEqual(stored);
    // The same bytes again: the same blob, still one file.
    expect(await blobs.put(chunks('age-encryption.org/v1\n', new Uint8Array(100_000).fill(7)))).toEqual(stored);
    const listed = [];
    for await (const b of blobs.list()) listed.push(b.id);
    expect(listed).toEqual([expected]);
  });

  it('a write that fails midway leaves nothing under a final name, and no temporary file', async () => {
    const { dir, blobs } = store();
    async function* breaks() {
      yield new Uint8Array(1000);
      throw new Error('connection lost');
    }
    await expect(blobs.put(breaks())).rejects.toThrow('connection lost');
    await expect(blobs.put(chunks(new Uint8Array(2000)), { maxBytes: 1000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(readdirSync(dir).filter((n) => n !== 'tmp')).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses ids that are not hashes (no path ever comes from a request)', async () => {
    const { blobs } = store();
    for (const id of ['../../etc/passwd', 'A'.repeat(64), '', `${'a'.repeat(63)}/`]) {
      expect(isBlobId(id)).toBe(false);
      await expect(blobs.stat(id as BlobId)).rejects.toThrow(RangeError);
    }
  });

  it('the sweeper removes old unreferenced blobs and stale temporary files, and nothing else', async () => {
    const { dir, blobs } = store();
    const kept = await blobs.put(chunks('kept'));
    const orphan = await blobs.put(chunks('orphan'));
    const young = await blobs.put(chunks('young orphan'));
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const b of [kept, orphan]) utimesSync(join(dir, b.id.slice(0, 2), b.id.slice(2, 4), b.id), old, old);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'tmp', 'killed-upload'), 'partial');
    utimesSync(join(dir, 'tmp', 'killed-upload'), old, old);
    const result = await sweepOrphanBlobs(blobs, async (ids) => new Set(ids.filter((id) => id === kept.id)), 3600_000);
    expect(result).toEqual({ blobs: 1, temporary: 1 });
    expect(await blobs.stat(kept.id)).not.toBeNull();
    expect(await blobs.stat(orphan.id)).toBeNull();
    expect(await blobs.stat(young.id)).not.toBeNull();
    expect(readFileSync(join(dir, kept.id.slice(0, 2), kept.id.slice(2, 4), kept.id), 'utf8')).toBe('kept');
  });
});
