/**
 * One thread's share of an age payload between two files: it takes the next
 * batch of chunks from a counter all threads share, reads the batch at its
 * place in the input, seals or opens it in place, and writes it at its place
 * in the output. No chunk crosses a thread, and every thread keeps one batch
 * buffer small enough to stay in its core's cache.
 */
import { readSync, readvSync, writeSync, writevSync } from 'node:fs';
// The age payload's own module, not core's index: a worker starts faster without the rest of core.
import { chunkNonce as ageChunkNonce, chunkSize as ageChunkSize, tagSize as ageTagSize } from '../../core/crypto/age/stream.js';
import type { ChunkCipher } from './chunk-cipher.js';

/** Slots of the shared Int32Array. */
export const enum Slot {
  /** The next batch to take. */
  Next = 0,
  /** Chunks finished, for progress. */
  Done = 1,
  /** The lowest chunk that failed to open, or -1. */
  Failed = 2,
  /** Set when any thread fails: the others stop after their current batch. */
  Stop = 3,
}
export const sharedSlots = 4;

export interface PayloadStripe {
  readonly direction: 'seal' | 'open';
  readonly inputFd: number;
  readonly outputFd: number;
  readonly key: Uint8Array;
  /** Where the payload's data starts: in the input (open: after the header and nonce), in the output (seal: the same). */
  readonly inputOffset: number;
  readonly outputOffset: number;
  /** Plaintext bytes (seal) or sealed payload bytes (open). */
  readonly length: number;
  readonly chunks: number;
  /** Chunks per batch. */
  readonly batch: number;
  readonly shared: Int32Array;
}

/** Thrown when a file was shorter than it was when the job began. */
export class InputChangedError extends Error {
  readonly code = 'INPUT_CHANGED';
  constructor() {
    super('the input file changed while it was being read');
  }
}

const stride = ageChunkSize + ageTagSize;

function readAll(fd: number, views: Uint8Array[], position: number): void {
  let pending = views.filter((v) => v.length > 0);
  while (pending.length > 0) {
    const got = pending.length === 1 ? readSync(fd, pending[0]!, 0, pending[0]!.length, position) : readvSync(fd, pending, position);
    if (got === 0) throw new InputChangedError();
    position += got;
    let left = got;
    const rest: Uint8Array[] = [];
    for (const v of pending) {
      if (left >= v.length) left -= v.length;
      else {
        rest.push(v.subarray(left));
        left = 0;
      }
    }
    pending = rest;
  }
}

function writeAll(fd: number, views: Uint8Array[], position: number): void {
  let pending = views.filter((v) => v.length > 0);
  while (pending.length > 0) {
    const put = pending.length === 1 ? writeSync(fd, pending[0]!, 0, pending[0]!.length, position) : writevSync(fd, pending, position);
    position += put;
    let left = put;
    const rest: Uint8Array[] = [];
    for (const v of pending) {
      if (left >= v.length) left -= v.length;
      else {
        rest.push(v.subarray(left));
        left = 0;
      }
    }
    pending = rest;
  }
}

/** Lowers the shared failure mark to `chunk` unless a lower one is there. */
function markFailure(shared: Int32Array, chunk: number): void {
  for (;;) {
    const seen = Atomics.load(shared, Slot.Failed);
    if (seen !== -1 && seen <= chunk) return;
    if (Atomics.compareExchange(shared, Slot.Failed, seen, chunk) === seen) return;
  }
}

/**
 * Runs batches until none are left, another thread has failed, or a chunk
 * fails to open here. `afterBatch` is called after each batch (progress).
 * Throws on I/O failure, after raising the stop flag.
 */
export function runPayloadStripe(job: PayloadStripe, cipher: ChunkCipher, afterBatch?: () => void): void {
  const { shared, batch, chunks, key } = job;
  const buffer = Buffer.allocUnsafeSlow(batch * stride);
  const nonces = new Uint8Array(batch * 12);
  try {
    for (;;) {
      if (Atomics.load(shared, Slot.Stop) !== 0) return;
      const first = Atomics.add(shared, Slot.Next, 1) * batch;
      if (first >= chunks) return;
      const count = Math.min(batch, chunks - first);
      for (let k = 0; k < count; k++) nonces.set(ageChunkNonce(first + k, first + k === chunks - 1), k * 12);
      const batchNonces = nonces.subarray(0, count * 12);
      if (job.direction === 'seal') {
        const start = first * ageChunkSize;
        const length = Math.min(count * ageChunkSize, job.length - start);
        const views: Uint8Array[] = [];
        for (let k = 0; k < count; k++) views.push(buffer.subarray(k * stride, k * stride + Math.min(ageChunkSize, length - k * ageChunkSize)));
        readAll(job.inputFd, views, job.inputOffset + start);
        const sealed = cipher.sealChunks(key, batchNonces, buffer, ageChunkSize, length);
        writeAll(job.outputFd, [buffer.subarray(0, sealed)], job.outputOffset + first * stride);
      } else {
        const start = first * stride;
        const length = Math.min(count * stride, job.length - start);
        readAll(job.inputFd, [buffer.subarray(0, length)], job.inputOffset + start);
        const opened = cipher.openChunks(key, batchNonces, buffer, ageChunkSize, length);
        if (opened < count) {
          markFailure(shared, first + opened);
          Atomics.store(shared, Slot.Stop, 1);
          return;
        }
        const views: Uint8Array[] = [];
        for (let k = 0; k < count; k++) views.push(buffer.subarray(k * stride, k * stride + Math.min(stride, length - k * stride) - ageTagSize));
        writeAll(job.outputFd, views, job.outputOffset + first * ageChunkSize);
      }
      Atomics.add(shared, Slot.Done, count);
      afterBatch?.();
    }
  } catch (error) {
    Atomics.store(shared, Slot.Stop, 1);
    throw error;
  }
}
