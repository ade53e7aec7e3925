/**
 * Age files read from a regular file, on every core. A file's size is known
 * up front, so each chunk's place in the input is too: the threads
 * (payload-stripe.ts) each take batches from a shared counter, read them at
 * their place and seal or open them. Into a fresh regular file, each batch is
 * written at its own place, and the calling thread works too; nothing is
 * handed between threads and no thread waits for another, which is what lets
 * two cores beat one. Into anything else (standard output, a device), the
 * batches are appended in turn by the workers alone, so the output is in
 * order and a failure releases exactly what the stream would.
 *
 * The age construction itself stays in core: the header comes from
 * startAgeFile / openAgeFile, the chunk layout and its rules from
 * planAgePayload, the nonces from ageChunkNonce / agePlannedNonces.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync, type Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  ageChunkFailure,
  ageChunkSize,
  ageSealedChunkSize,
  agePlannedAlternateFailure,
  agePlanProblem,
  ageSealedPayloadLength,
  planAgePayload,
  openAgeFile,
  startAgeFile,
  type AgeIdentity,
  type AgeRecipient,
} from '../../core/crypto/age/index.js';
import { chunkCipher, type ChunkCipher } from './chunk-cipher.js';
import type { ChunkWorkerReply } from './chunk-worker.js';
import { startModuleWorker } from './module-worker.js';
import { Failure, failedChunk, InputChangedError, runPayloadStripe, sharedSlots, Slot, type PayloadStripe } from './payload-stripe.js';

export interface FileCipherOptions {
  /** Threads in all, the calling one included; by default one per core, fewer for small files. */
  readonly threads?: number;
  /** Chunks per batch: 4 × 64 KiB keeps each thread's buffer in its core's cache. */
  readonly batchSize?: number;
  /** Chunk cipher on the calling thread; workers use the fastest they can load. */
  readonly cipher?: ChunkCipher;
  /** Called now and then with the payload bytes done and in all. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Append to the output in order, from where its descriptor stands (standard
   * output, a device, a pipe that blocks); by default the output is a regular
   * file written at positions, in any order.
   */
  readonly ordered?: boolean;
}

/** Whether the file at `path` begins as a binary age file does (armored files take the streaming path). */
export function isBinaryAgeFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(19);
    const got = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, got).toString('latin1') === 'age-encryption.org/';
  } finally {
    closeSync(fd);
  }
}

/** Whether the file behind `fd` is still the one measured in `before`. */
function unchanged(fd: number, before: Stats): boolean {
  const now = fstatSync(fd);
  return now.size === before.size && now.mtimeMs === before.mtimeMs && now.ino === before.ino;
}

/**
 * Runs `job` on the threads; resolves when every chunk is done, rejects with
 * the first failure. Chunks that fail to open are reported through the job's
 * shared failure slot, not as a rejection. At positions, this thread works
 * too; in order it only watches, so a worker that dies can never leave it
 * waiting for a turn.
 */
async function runStripes(job: Omit<PayloadStripe, 'shared' | 'batch' | 'ordered'>, options: FileCipherOptions, total: number): Promise<Int32Array> {
  const perChunk = job.direction === 'seal' ? ageChunkSize : ageSealedChunkSize;
  const batch = Math.max(1, options.batchSize ?? 4);
  const ordered = options.ordered === true;
  const shared = new Int32Array(new SharedArrayBuffer(sharedSlots * 4));
  shared[Slot.Failed] = -1;
  const full: PayloadStripe = { ...job, batch, ordered, shared };
  const batches = Math.ceil(job.chunks / batch);
  // A worker costs a few tens of milliseconds to start; unless told otherwise, small files are done without.
  const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), Math.floor(batches / 16)));
  const workers: Worker[] = [];
  const finished: Promise<void>[] = [];
  for (let i = ordered ? 0 : 1; i < threads; i++) {
    const worker = startModuleWorker(import.meta.url, 'chunk-worker');
    workers.push(worker);
    finished.push(
      new Promise<void>((resolve, reject) => {
        const fail = (error: Error): void => {
          // The others must not wait for a turn this one will never pass.
          Atomics.store(shared, Slot.Stop, 1);
          Atomics.notify(shared, Slot.Turn);
          reject(error);
        };
        worker.once('message', (m: ChunkWorkerReply) => {
          if (m.error) fail(m.error.code === 'INPUT_CHANGED' ? new InputChangedError() : new Error(`chunk cipher worker: ${m.error.message}`));
          else resolve();
        });
        worker.once('error', fail);
        worker.once('exit', (code) => fail(new Error(`chunk cipher worker exited with code ${code}`)));
      }),
    );
    worker.postMessage({ op: 'stripe', id: i, job: full });
  }
  const report = options.onProgress;
  let lastReport = 0;
  const progress = (): void => {
    const now = performance.now();
    if (!report || now - lastReport < 100) return;
    lastReport = now;
    report(Math.min(total, Atomics.load(shared, Slot.Done) * perChunk), total);
  };
  let own: unknown;
  if (!ordered) {
    try {
      runPayloadStripe(full, options.cipher ?? chunkCipher(), progress);
    } catch (error) {
      own = error;
    }
  }
  const ticker = report ? setInterval(progress, 100) : undefined;
  const outcomes = await Promise.allSettled(finished);
  if (ticker) clearInterval(ticker);
  await Promise.all(workers.map((w) => w.terminate()));
  if (own !== undefined) throw own;
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  report?.(total, total);
  return shared;
}

/**
 * Encrypts the regular file at `inputPath` to `recipients` into `outputFd`:
 * by default a regular file, cut or extended to the age file's exact size
 * first; with `ordered`, appended (see FileCipherOptions). Throws
 * InputChangedError when the input changes while it is read; the output is
 * then not a complete file.
 */
export async function encryptFileAt(inputPath: string, outputFd: number, recipients: readonly AgeRecipient[], options: FileCipherOptions = {}): Promise<void> {
  // The recipients are checked before the input is opened, as the stream does.
  const start = startAgeFile(recipients);
  const inputFd = openSync(inputPath, 'r');
  try {
    const before = fstatSync(inputFd);
    if (!before.isFile()) throw new TypeError(`${inputPath} is not a regular file`);
    const size = start.header.length + ageSealedPayloadLength(before.size);
    if (options.ordered) writeSync(outputFd, start.header);
    else {
      // The output takes the age file's exact size up front: nothing of an older, longer file survives.
      ftruncateSync(outputFd, size);
      writeSync(outputFd, start.header, 0, start.header.length, 0);
    }
    const chunks = Math.max(1, Math.ceil(before.size / ageChunkSize));
    await runStripes(
      {
        direction: 'seal',
        inputFd,
        outputFd,
        key: start.payloadKey,
        inputOffset: 0,
        outputOffset: start.header.length,
        length: before.size,
        chunks,
        plan: null,
      },
      options,
      before.size,
    );
    if (!unchanged(inputFd, before)) throw new InputChangedError();
    if (!options.ordered && fstatSync(outputFd).size !== size) throw new Error('the output is not as long as the age file written into it');
  } finally {
    closeSync(inputFd);
  }
}

/**
 * Decrypts the binary age file at `inputPath` (see isBinaryAgeFile) with any
 * of `identities` into `outputFd`. Failures are the stream's, with its codes.
 * With `ordered`, what was written before an AGE_PAYLOAD failure is exactly
 * what the stream releases; otherwise the output holds chunks in no
 * particular order and must be discarded (the CLI deletes it).
 */
export async function decryptFileAt(inputPath: string, outputFd: number, identities: readonly AgeIdentity[], options: FileCipherOptions = {}): Promise<void> {
  const inputFd = openSync(inputPath, 'r');
  try {
    const before = fstatSync(inputFd);
    if (!before.isFile()) throw new TypeError(`${inputPath} is not a regular file`);
    if (!options.ordered) ftruncateSync(outputFd, 0);
    // The header is read through the same descriptor as the payload, so both come from one file.
    let position = 0;
    const header = {
      async readInto(target: Uint8Array, offset: number, length: number): Promise<number> {
        const got = readSync(inputFd, target, offset, length, position);
        position += got;
        return got;
      },
    };
    const { payloadKey, payloadOffset } = await openAgeFile(header, identities);
    const sealedLength = before.size - payloadOffset;
    const plan = planAgePayload(sealedLength);
    const shared =
      plan.chunks > 0
        ? await runStripes(
            // The chunks' own bytes: without a stray tail too short to be a chunk.
            {
              direction: 'open',
              inputFd,
              outputFd,
              key: payloadKey,
              inputOffset: payloadOffset,
              outputOffset: 0,
              length: plan.shortLast ? sealedLength : plan.chunks * ageSealedChunkSize,
              chunks: plan.chunks,
              plan,
            },
            options,
            sealedLength,
          )
        : null;
    if (!unchanged(inputFd, before)) throw new InputChangedError();
    const failed = shared && failedChunk(shared);
    if (failed) throw failed.kind === Failure.Alternate ? agePlannedAlternateFailure(plan, failed.chunk) : ageChunkFailure(failed.chunk);
    const problem = agePlanProblem(plan);
    if (problem) throw problem;
  } finally {
    closeSync(inputFd);
  }
}
