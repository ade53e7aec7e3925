/**
 * One thread's share of an age payload read from a regular file: it takes the
 * next batch of chunks from a counter all threads share, reads the batch at
 * its place in the input and seals or opens it in place. Then it either writes
 * the batch at its place in the output (a fresh regular file, any order), or
 * waits for the batch's turn and appends it (any output: standard output, a
 * device), so the output is written strictly in order and a failed decryption
 * releases exactly what the stream would have: every chunk before the failure.
 * No chunk crosses a thread, and each thread keeps one batch buffer small
 * enough to stay in its core's cache.
 */
import { readSync, readvSync, writeSync, writevSync } from 'node:fs';
// The age payload's own module, not core's index: a worker starts faster without the rest of core.
import { chunkNonce, chunkSize, plannedNonces, tagSize, type PayloadPlan } from '../../core/crypto/age/stream.js';
import type { ChunkCipher } from './chunk-cipher.js';

/** Slots of the shared Int32Array. */
export enum Slot {
  /** The next batch to take. */
  Next = 0,
  /** Chunks finished, for progress. */
  Done = 1,
  /** The lowest chunk that failed to open, × 4, plus its Failure kind; -1 while none has. */
  Failed = 2,
  /** Set when a thread fails (I/O): every other stops at once. */
  Stop = 3,
  /** In order: the batch whose turn it is to be written. */
  Turn = 4,
}
export const sharedSlots = 5;

/** How the first failing chunk failed. */
export enum Failure {
  /** Neither nonce opened it. */
  Authentication = 0,
  /** It opened only with its alternate nonce: released, then reported (see plannedAlternateFailure). */
  Alternate = 1,
}

export interface PayloadStripe {
  readonly direction: 'seal' | 'open';
  readonly inputFd: number;
  readonly outputFd: number;
  readonly key: Uint8Array;
  /** Where the payload's data starts in the input (open: after the header and nonce). */
  readonly inputOffset: number;
  /** Where the payload's data starts in the output (seal: after the header and nonce); unused in order. */
  readonly outputOffset: number;
  /** Plaintext bytes (seal) or sealed payload bytes (open). */
  readonly length: number;
  readonly chunks: number;
  /** Opening: the plan (planAgePayload) for nonces and alternates. */
  readonly plan: PayloadPlan | null;
  /** Chunks per batch. */
  readonly batch: number;
  /** Append batches in turn instead of writing them at their positions. */
  readonly ordered: boolean;
  readonly shared: Int32Array;
}

/** Thrown when a file was shorter than it was when the job began. */
export class InputChangedError extends Error {
  readonly code = 'INPUT_CHANGED';
  constructor() {
    super('the input file changed while it was being read');
  }
}

const stride = chunkSize + tagSize;

/** The views after the first `done` bytes of `views`. */
function after(views: Uint8Array[], done: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  for (const v of views) {
    if (done >= v.length) done -= v.length;
    else {
      rest.push(v.subarray(done));
      done = 0;
    }
  }
  return rest;
}

function readAll(fd: number, views: Uint8Array[], position: number): void {
  let pending = views.filter((v) => v.length > 0);
  while (pending.length > 0) {
    const got = pending.length === 1 ? readSync(fd, pending[0]!, 0, pending[0]!.length, position) : readvSync(fd, pending, position);
    if (got === 0) throw new InputChangedError();
    position += got;
    pending = after(pending, got);
  }
}

/** Writes every byte of `views`, at `position` or, when it is null, where the descriptor stands. */
function writeAll(fd: number, views: Uint8Array[], position: number | null): void {
  let pending = views.filter((v) => v.length > 0);
  while (pending.length > 0) {
    const put =
      pending.length === 1
        ? writeSync(fd, pending[0]!, 0, pending[0]!.length, position)
        : position === null
          ? writevSync(fd, pending)
          : writevSync(fd, pending, position);
    if (position !== null) position += put;
    pending = after(pending, put);
  }
}

/** Lowers the shared failure mark to (`chunk`, `kind`) unless a lower chunk is there. */
function markFailure(shared: Int32Array, chunk: number, kind: Failure): void {
  const mark = chunk * 4 + kind;
  for (;;) {
    const seen = Atomics.load(shared, Slot.Failed);
    if (seen !== -1 && seen <= mark) return;
    if (Atomics.compareExchange(shared, Slot.Failed, seen, mark) === seen) return;
  }
}

/** The first chunk that failed, or -1. */
export function failedChunk(shared: Int32Array): { chunk: number; kind: Failure } | null {
  const mark = Atomics.load(shared, Slot.Failed);
  return mark === -1 ? null : { chunk: mark >> 2, kind: (mark & 3) as Failure };
}

/**
 * Waits until batch `index` may be appended: true when its turn has come;
 * false when it never will (another thread failed, or a chunk before this
 * batch failed to open, so nothing from here on is released).
 */
function awaitTurn(shared: Int32Array, index: number, firstChunk: number): boolean {
  for (;;) {
    // The failure first: the batch that failed passes the turn on after marking it, and nothing after it may follow.
    const turn = Atomics.load(shared, Slot.Turn);
    if (Atomics.load(shared, Slot.Stop) !== 0) return false;
    const failed = failedChunk(shared);
    if (failed && failed.chunk < firstChunk) return false;
    if (turn === index) return true;
    Atomics.wait(shared, Slot.Turn, turn, 100);
  }
}

function passTurn(shared: Int32Array, index: number): void {
  Atomics.store(shared, Slot.Turn, index + 1);
  Atomics.notify(shared, Slot.Turn);
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
      const index = Atomics.add(shared, Slot.Next, 1);
      const first = index * batch;
      if (first >= chunks) return;
      const failedBefore = failedChunk(shared);
      if (failedBefore && failedBefore.chunk < first) return;
      const count = Math.min(batch, chunks - first);
      let release: Uint8Array[];
      let stop = false;
      if (job.direction === 'seal') {
        for (let k = 0; k < count; k++) nonces.set(chunkNonce(first + k, first + k === chunks - 1), k * 12);
        const start = first * chunkSize;
        const length = Math.min(count * chunkSize, job.length - start);
        const views: Uint8Array[] = [];
        for (let k = 0; k < count; k++) views.push(buffer.subarray(k * stride, k * stride + Math.min(chunkSize, length - k * chunkSize)));
        readAll(job.inputFd, views, job.inputOffset + start);
        release = [buffer.subarray(0, cipher.sealChunks(key, nonces.subarray(0, count * 12), buffer, chunkSize, length))];
      } else {
        const plan = job.plan!;
        for (let k = 0; k < count; k++) nonces.set(plannedNonces(plan, first + k).nonce, k * 12);
        const start = first * stride;
        const length = Math.min(count * stride, job.length - start);
        readAll(job.inputFd, [buffer.subarray(0, length)], job.inputOffset + start);
        let opened = cipher.openChunks(key, nonces.subarray(0, count * 12), buffer, chunkSize, length);
        if (opened < count) {
          // The chunk that failed is untouched: try its other flag, as the stream does.
          const failed = first + opened;
          const alternate = plannedNonces(plan, failed).alternate;
          const at = opened * stride;
          const sealed = buffer.subarray(at, Math.min(at + stride, length));
          const second = alternate !== null && cipher.openChunks(key, alternate, sealed, chunkSize, sealed.length) === 1;
          markFailure(shared, failed, second ? Failure.Alternate : Failure.Authentication);
          if (second) opened++;
          stop = true;
        }
        release = [];
        for (let k = 0; k < opened; k++) release.push(buffer.subarray(k * stride, k * stride + Math.min(stride, length - k * stride) - tagSize));
      }
      // One write per view: a sealed batch is one; opened chunks are written one by one. A write of a
      // whole page-aligned plaintext batch made the kernel allocate large page-cache folios, whose cost
      // here swung from nothing to seconds per gigabyte; 64 KiB writes stay cheap.
      if (job.ordered) {
        if (!awaitTurn(shared, index, first)) return;
        for (const view of release) writeAll(job.outputFd, [view], null);
        passTurn(shared, index);
      } else {
        let at = job.direction === 'seal' ? job.outputOffset + first * stride : job.outputOffset + first * chunkSize;
        for (const view of release) {
          writeAll(job.outputFd, [view], at);
          at += view.length;
        }
      }
      Atomics.add(shared, Slot.Done, count);
      afterBatch?.();
      if (stop) return;
    }
  } catch (error) {
    Atomics.store(shared, Slot.Stop, 1);
    Atomics.notify(shared, Slot.Turn);
    throw error;
  }
}
