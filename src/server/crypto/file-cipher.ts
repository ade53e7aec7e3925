/**
 * Age files from one regular file to another, on every core. A file's size is
 * known up front, so each chunk's place in the input and the output is too:
 * the calling thread and the workers (chunk-worker.ts) each take batches from
 * a shared counter and read, seal or open, and write them at their own
 * positions (payload-stripe.ts). Nothing is handed between threads and no
 * thread waits for another, which is what lets two cores beat one.
 *
 * The age construction itself stays in core: the header comes from
 * startAgeFile / openAgeFile, the chunk count and its rules from
 * agePayloadChunkCount, the nonces from ageChunkNonce.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync, type Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  ageChunkFailure,
  ageChunkSize,
  agePayloadChunkCount,
  ageSealedPayloadLength,
  openAgeFile,
  startAgeFile,
  type AgeIdentity,
  type AgeRecipient,
} from '../../core/crypto/age/index.js';
import { chunkCipher, type ChunkCipher } from './chunk-cipher.js';
import type { ChunkWorkerReply } from './chunk-worker.js';
import { startModuleWorker } from './module-worker.js';
import { InputChangedError, runPayloadStripe, sharedSlots, Slot, type PayloadStripe } from './payload-stripe.js';

export interface FileCipherOptions {
  /** Threads in all, the calling one included; by default one per core, fewer for small files. */
  readonly threads?: number;
  /** Chunks per batch: 4 × 64 KiB keeps each thread's buffer in its core's cache. */
  readonly batchSize?: number;
  /** Chunk cipher on the calling thread; workers use the fastest they can load. */
  readonly cipher?: ChunkCipher;
  /** Called now and then with the payload bytes done and in all. */
  readonly onProgress?: (done: number, total: number) => void;
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
 * Runs `job` on this thread and `threads - 1` workers; resolves when every
 * chunk is done, rejects with the first failure. Chunks that fail to open are
 * reported through the job's shared failure slot, not as a rejection.
 */
async function runStripes(
  job: Omit<PayloadStripe, 'shared' | 'batch'>,
  options: FileCipherOptions,
  total: number,
): Promise<Int32Array> {
  const perChunk = job.direction === 'seal' ? ageChunkSize : ageChunkSize + 16;
  const batch = Math.max(1, options.batchSize ?? 4);
  const shared = new Int32Array(new SharedArrayBuffer(sharedSlots * 4));
  shared[Slot.Failed] = -1;
  const full: PayloadStripe = { ...job, batch, shared };
  const batches = Math.ceil(job.chunks / batch);
  // A worker costs a few tens of milliseconds to start; unless told otherwise, small files are done without.
  const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), Math.floor(batches / 16)));
  const workers: Worker[] = [];
  const finished: Promise<void>[] = [];
  for (let i = 1; i < threads; i++) {
    const worker = startModuleWorker(import.meta.url, 'chunk-worker');
    workers.push(worker);
    finished.push(
      new Promise<void>((resolve, reject) => {
        worker.once('message', (m: ChunkWorkerReply) => {
          if (m.error) reject(m.error.code === 'INPUT_CHANGED' ? new InputChangedError() : new Error(`chunk cipher worker: ${m.error.message}`));
          else resolve();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`chunk cipher worker exited with code ${code}`)));
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
  try {
    runPayloadStripe(full, options.cipher ?? chunkCipher(), progress);
  } catch (error) {
    own = error;
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
 * Encrypts the regular file at `inputPath` to `recipients`, writing the age
 * file into `outputFd` (a regular file, cut or extended to the age file's
 * exact size first). Throws InputChangedError when the input changes
 * while it is read; the output is then not a complete file.
 */
export async function encryptFileAt(
  inputPath: string,
  outputFd: number,
  recipients: readonly AgeRecipient[],
  options: FileCipherOptions = {},
): Promise<void> {
  // The recipients are checked before the input is opened, as the stream does.
  const start = startAgeFile(recipients);
  const inputFd = openSync(inputPath, 'r');
  try {
    const before = fstatSync(inputFd);
    if (!before.isFile()) throw new TypeError(`${inputPath} is not a regular file`);
    // The output takes the age file's exact size up front: nothing of an older, longer file survives.
    ftruncateSync(outputFd, start.header.length + ageSealedPayloadLength(before.size));
    writeSync(outputFd, start.header, 0, start.header.length, 0);
    const chunks = Math.max(1, Math.ceil(before.size / ageChunkSize));
    await runStripes(
      { direction: 'seal', inputFd, outputFd, key: start.payloadKey, inputOffset: 0, outputOffset: start.header.length, length: before.size, chunks },
      options,
      before.size,
    );
    if (!unchanged(inputFd, before)) throw new InputChangedError();
    if (fstatSync(outputFd).size !== start.header.length + ageSealedPayloadLength(before.size)) {
      throw new Error('the output is not as long as the age file written into it');
    }
  } finally {
    closeSync(inputFd);
  }
}

/**
 * Decrypts the binary age file at `inputPath` (see isBinaryAgeFile) with any
 * of `identities`, writing the plaintext into `outputFd` from position 0.
 * Failures are the stream's, with its codes; on AGE_PAYLOAD the output holds
 * chunks in no particular order and must be discarded (the CLI deletes it).
 */
export async function decryptFileAt(
  inputPath: string,
  outputFd: number,
  identities: readonly AgeIdentity[],
  options: FileCipherOptions = {},
): Promise<void> {
  const inputFd = openSync(inputPath, 'r');
  try {
    const before = fstatSync(inputFd);
    if (!before.isFile()) throw new TypeError(`${inputPath} is not a regular file`);
    ftruncateSync(outputFd, 0);
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
    const chunks = agePayloadChunkCount(sealedLength);
    const shared = await runStripes(
      { direction: 'open', inputFd, outputFd, key: payloadKey, inputOffset: payloadOffset, outputOffset: 0, length: sealedLength, chunks },
      options,
      sealedLength,
    );
    const failed = Atomics.load(shared, Slot.Failed);
    if (failed >= 0) throw ageChunkFailure(failed);
    if (!unchanged(inputFd, before)) throw new InputChangedError();
  } finally {
    closeSync(inputFd);
  }
}
