/**
 * The age stream's chunk cipher on a pool of worker threads, so a large file
 * uses every core: the main thread reads, writes and orders chunks; the
 * workers seal and open batches in place (chunk-worker.ts). A batch buffer
 * the stream allocated here travels to a worker and back without a copy; the
 * STREAM layer in core bounds how many are in flight, so memory stays flat.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ChunkAead, OpenedChunk } from '../../core/index.js';
import { BufferRecycler } from './buffers.js';
import type { ChunkWorkerReply, ChunkWorkerRequest } from './chunk-worker.js';
import { startModuleWorker } from './module-worker.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** A batch for a worker, before it gets its id. */
type Request = Extract<ChunkWorkerRequest, { op: 'seal' | 'open' }> extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export interface WorkerChunkAeadOptions {
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
  /** Chunks per message: 4 × 64 KiB amortises the thread hop and stays in a core's cache. */
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
  const batchSize = Math.max(1, options.batchSize ?? 4);
  const depth = Math.max(1, options.depth ?? 3);
  let nextId = 0;
  let closed = false;
  // Enough for the batches in flight plus those queued in a deep write buffer.
  const recycler = new BufferRecycler(threads * depth + 8);

  const spawn = (): Slot => {
    // Each batch leaves a little garbage (messages, views); a small young generation collects it
    // often instead of letting every worker grow to V8's default before its first scavenge.
    const worker = startModuleWorker(import.meta.url, 'chunk-worker', { resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    const slot: Slot = { worker, pending: new Map() };
    // Idle workers must not keep the process alive; busy ones must.
    worker.unref();
    worker.on('message', (m: ChunkWorkerReply) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error !== undefined) {
        p.reject(new Error(`chunk cipher worker: ${m.error.message}`));
        return;
      }
      // The buffers that came home are ours: the writer hands them back through reclaim() once written out.
      for (const r of m.result as (Uint8Array | OpenedChunk | null)[]) {
        const view = r instanceof Uint8Array ? r : r?.plaintext;
        if (view?.buffer instanceof ArrayBuffer) recycler.own(view.buffer);
      }
      p.resolve(m.result);
    });
    const fail = (error: Error): void => {
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      const i = slots.indexOf(slot);
      if (i >= 0 && !closed) slots[i] = spawn();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closed) fail(new Error(`chunk cipher worker exited with code ${code}`));
    });
    return slot;
  };
  const slots: Slot[] = Array.from({ length: threads }, spawn);

  const run = <T>(request: Request): Promise<T> => {
    if (closed) return Promise.reject(new Error('chunk cipher pool is closed'));
    let slot = slots[0]!;
    for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // Only a batch buffer allocated here moves to the worker; anything else is copied, so a
      // caller's memory is never detached under it.
      const first = request.chunks[0];
      const movable = first !== undefined && recycler.owns(first.buffer) && request.chunks.every((c) => c.buffer === first.buffer);
      slot.worker.postMessage({ ...request, id }, movable ? [first.buffer as ArrayBuffer] : []);
    });
  };

  return {
    batchSize,
    parallelism: threads * depth,
    inPlace: true,
    allocate: (size) => recycler.allocate(size),
    seal: (key, nonces, chunks) => run<Uint8Array[]>({ op: 'seal', key, nonces: [...nonces], chunks: [...chunks] }),
    open: (key, nonces, chunks, alternates) =>
      run<(OpenedChunk | null)[]>({ op: 'open', key, nonces: [...nonces], chunks: [...chunks], alternates: [...alternates] }),
    reclaim(buffer) {
      if (buffer instanceof ArrayBuffer) recycler.recycle(buffer);
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
