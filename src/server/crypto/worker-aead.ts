/**
 * ChaCha20-Poly1305 batches on a pool of worker threads, so a large age file
 * uses every core: the main thread reads, writes and orders chunks; the
 * workers seal and open them. Batches travel as transferred ArrayBuffers
 * (no copies between threads), and the STREAM layer in core bounds how many
 * are in flight, so memory stays flat.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkAead, OpenedChunk } from '../../core/index.js';
import { BufferRecycler } from './buffers.js';

/*
 * The worker is plain CommonJS evaluated from this string, so it starts the
 * same way under tsx, vitest and the built dist, with no loader or file path
 * to resolve. It mirrors sealBatch/openBatch in node-aead.ts.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createCipheriv, createDecipheriv } = require('node:crypto');
const TAG = 16;
// cipher.update() allocates a fresh buffer per chunk; V8 frees them only at its own pace, which
// lets each worker sit on tens of MiB of dead buffers. A small young generation (see the Worker
// options) plus an explicit scavenge every 4 MiB keeps the pool's memory flat.
let collect = null;
try { require('node:v8').setFlagsFromString('--expose-gc'); collect = require('node:vm').runInNewContext('gc'); } catch {}
let sinceCollect = 0;
function processed(n) {
  sinceCollect += n;
  if (collect && sinceCollect >= (4 << 20)) { sinceCollect = 0; collect({ type: 'minor' }); }
}
function open(key, nonce, sealed) {
  if (sealed.length < TAG) return null;
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  const body = d.update(sealed.subarray(0, sealed.length - TAG));
  try { d.final(); } catch { return null; }
  return body;
}
parentPort.on('message', (m) => {
  try {
    if (m.op === 'seal') {
      const out = new Uint8Array(m.out);
      const views = [];
      let at = 0;
      for (let i = 0; i < m.chunks.length; i++) {
        const c = createCipheriv('chacha20-poly1305', m.key, m.nonces[i], { authTagLength: TAG });
        const body = c.update(m.chunks[i]);
        c.final();
        out.set(body, at);
        out.set(c.getAuthTag(), at + body.length);
        views.push(out.subarray(at, at + body.length + TAG));
        at += body.length + TAG;
      }
      processed(at);
      parentPort.postMessage({ id: m.id, result: views, out: out.buffer, spare: m.spare ? m.chunks[0].buffer : null },
        m.spare ? [out.buffer, m.chunks[0].buffer] : [out.buffer]);
    } else {
      const out = new Uint8Array(m.out);
      const results = [];
      let at = 0;
      for (let i = 0; i < m.chunks.length; i++) {
        let body = open(m.key, m.nonces[i], m.chunks[i]);
        let alternate = false;
        if (!body && m.alternates[i]) { body = open(m.key, m.alternates[i], m.chunks[i]); alternate = true; }
        if (!body) { results.push(null); continue; }
        out.set(body, at);
        results.push({ plaintext: out.subarray(at, at + body.length), alternate });
        at += body.length;
      }
      processed(at);
      parentPort.postMessage({ id: m.id, result: results, out: out.buffer, spare: m.spare ? m.chunks[0].buffer : null },
        m.spare ? [out.buffer, m.chunks[0].buffer] : [out.buffer]);
    }
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error && error.message || error) });
  }
});
`;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export interface WorkerChunkAeadOptions {
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
  /** Chunks per message: 16 × 64 KiB amortises the thread hop without holding much memory. */
  readonly batchSize?: number;
  /** Batches queued per thread, so a worker never waits for the main thread. */
  readonly depth?: number;
}

export interface WorkerChunkAead extends ChunkAead {
  /**
   * Takes back the buffer behind output this pool produced, once the caller
   * has written it out and will not read it again (see writeChunks).
   */
  reclaim(buffer: ArrayBufferLike): void;
  /** Stops the workers; pending calls are rejected. */
  close(): Promise<void>;
}

export function createWorkerChunkAead(options: WorkerChunkAeadOptions = {}): WorkerChunkAead {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 16);
  const depth = Math.max(1, options.depth ?? 2);
  let nextId = 0;
  let closed = false;

  const spawn = (): Slot => {
    // A small young generation makes the scavenger run often, freeing the short-lived buffers
    // cipher.update() allocates; otherwise each worker holds tens of MiB of them until a major GC.
    const worker = new Worker(workerSource, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
    const slot: Slot = { worker, pending: new Map() };
    // Idle workers must not keep the process alive; busy ones must.
    slot.worker.unref();
    slot.worker.on('message', (m: { id: number; result?: unknown; error?: string; spare?: ArrayBuffer | null; out?: ArrayBuffer }) => {
      if (m.spare) recycler.adopt(m.spare);
      // The output is ours too: the reader hands it back through reclaim() once written out.
      if (m.out) recycler.own(m.out);
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (m.error !== undefined) p.reject(new Error(`chunk cipher worker: ${m.error}`));
      else p.resolve(m.result);
    });
    const fail = (error: Error): void => {
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      const i = slots.indexOf(slot);
      if (i >= 0 && !closed) slots[i] = spawn();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!closed) fail(new Error(`chunk cipher worker exited with code ${code}`));
    });
    return slot;
  };
  const slots: Slot[] = Array.from({ length: threads }, spawn);

  // Enough for the batches in flight plus those queued in a deep write buffer.
  const recycler = new BufferRecycler(threads * depth + 4);

  const run = <T>(message: Record<string, unknown>, chunks: readonly Uint8Array[], outSize: number): Promise<T> => {
    if (closed) return Promise.reject(new Error('chunk cipher pool is closed'));
    let slot = slots[0]!;
    for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // Only a batch buffer we allocated is moved to the worker (and comes back to be reused);
      // anything else is copied, so a caller's memory is never detached under it.
      const first = chunks[0];
      const movable = first !== undefined && recycler.owns(first.buffer) && chunks.every((c) => c.buffer === first.buffer);
      const out = recycler.allocate(outSize).buffer as ArrayBuffer;
      slot.worker.postMessage({ ...message, chunks, id, spare: movable, out }, movable ? [first.buffer as ArrayBuffer, out] : [out]);
    });
  };

  return {
    batchSize,
    parallelism: threads * depth,
    allocate: (size) => recycler.allocate(size),
    seal(key, nonces, plaintexts) {
      let size = 0;
      for (const p of plaintexts) size += p.length + 16;
      return run<Uint8Array[]>({ op: 'seal', key, nonces }, plaintexts, size);
    },
    open(key, nonces, sealed, alternates) {
      let size = 0;
      for (const c of sealed) size += Math.max(0, c.length - 16);
      return run<(OpenedChunk | null)[]>({ op: 'open', key, nonces, alternates }, sealed, size);
    },
    reclaim(buffer) {
      recycler.recycle(buffer as ArrayBuffer);
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
