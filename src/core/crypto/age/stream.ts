/**
 * The age payload (C2SP age, "Payload"): ChaCha20-Poly1305 STREAM over 64 KiB
 * chunks, nonce = 11-byte big-endian counter || final flag.
 *
 * Both directions read ahead a bounded number of batches and hand them to the
 * injected ChunkAead, so chunks can be sealed or opened in parallel while
 * memory stays flat: at most `parallelism × batchSize` chunks are in flight.
 * Results are released strictly in order; when a chunk fails, everything
 * before it has been released and nothing after it ever is.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { ChunkAead, OpenedChunk } from './aead.js';
import type { ByteReader } from './bytes.js';
import { ageError } from './errors.js';

export const chunkSize = 64 * 1024;
export const tagSize = 16;
export const sealedChunkSize = chunkSize + tagSize;
export const payloadNonceSize = 16;

const payloadInfo = new TextEncoder().encode('payload');

export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hkdf(sha256, fileKey, nonce, payloadInfo, 32);
}

export function chunkNonce(counter: number, final: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  // Counters stay far below 2^53 (that would be a 512 ZiB file); split for the 11-byte field.
  const view = new DataView(nonce.buffer);
  view.setUint32(3, Math.floor(counter / 0x1_0000_0000));
  view.setUint32(7, counter >>> 0);
  nonce[11] = final ? 1 : 0;
  return nonce;
}

function payloadError(message: string, cause?: unknown): Error {
  return ageError('AGE_PAYLOAD', `age payload: ${message}`, cause);
}

/** The payload's length after the nonce, for `plaintextLength` bytes of plaintext. */
export function sealedPayloadLength(plaintextLength: number): number {
  return plaintextLength + Math.max(1, Math.ceil(plaintextLength / chunkSize)) * tagSize;
}

/**
 * How a reader that knows the payload's length up front opens it, by the same
 * rules openPayload applies as it goes: every chunk is released in order up
 * to the first that fails, and a length no age file can have is reported
 * after every whole chunk before it has been released. Plain data, so it can
 * be handed to other threads.
 */
export interface PayloadPlan {
  /** Chunks to open, in order (0 when there is not even one). */
  readonly chunks: number;
  /** Whether the last chunk is opened as the final one; when the length is wrong, every chunk is a middle chunk. */
  readonly lastIsFinal: boolean;
  /** Whether the last chunk is shorter than a full one: it has no alternate nonce. */
  readonly shortLast: boolean;
  /** What is wrong with the length, reported once the chunks are released (see planProblem). */
  readonly problem: 'short tag' | 'empty final' | null;
}

/** Plans a payload of `sealedLength` bytes after the nonce; an empty one fails at once, as in the stream. */
export function planPayload(sealedLength: number): PayloadPlan {
  if (sealedLength === 0) throw endsBeforeFinal();
  const full = Math.floor(sealedLength / sealedChunkSize);
  const rest = sealedLength - full * sealedChunkSize;
  if (rest === 0) return { chunks: full, lastIsFinal: true, shortLast: false, problem: null };
  const problem = rest < tagSize ? 'short tag' : rest === tagSize && full > 0 ? 'empty final' : null;
  if (problem) return { chunks: full, lastIsFinal: false, shortLast: false, problem };
  return { chunks: full + 1, lastIsFinal: true, shortLast: true, problem: null };
}

/** The error a plan's length problem is reported with, or null. */
export function planProblem(plan: PayloadPlan): Error | null {
  if (plan.problem === 'short tag') return shortTag();
  if (plan.problem === 'empty final') return emptyFinal();
  return null;
}

/** Chunk `index`'s nonce under a plan, and the alternate one to try if it fails (null for a short last chunk). */
export function plannedNonces(plan: PayloadPlan, index: number): { nonce: Uint8Array; alternate: Uint8Array | null } {
  const last = index === plan.chunks - 1;
  const final = plan.lastIsFinal && last;
  return { nonce: chunkNonce(index, final), alternate: plan.shortLast && last ? null : chunkNonce(index, !final) };
}

/** What to report after releasing chunk `index`, which opened only with its alternate nonce. */
export function plannedAlternateFailure(plan: PayloadPlan, index: number): Error {
  return plan.lastIsFinal && index === plan.chunks - 1 ? truncated() : dataAfterFinal();
}

function endsBeforeFinal(): Error {
  return payloadError('the file ends before the final chunk');
}

function shortTag(): Error {
  return payloadError('the final chunk is shorter than its tag');
}

function emptyFinal(): Error {
  return payloadError('the final chunk is empty, which only an empty file may have');
}

function truncated(): Error {
  return payloadError('the file ends without a final chunk (truncated)');
}

function dataAfterFinal(): Error {
  return payloadError('data follows the final chunk');
}

/** What is wrong with a final chunk of `length` sealed bytes after `before` chunks, if anything. */
function shortFinalChunk(length: number, before: number): Error | null {
  if (length < tagSize) return shortTag();
  if (length === tagSize && before > 0) return emptyFinal();
  return null;
}

/** The error for a chunk that fails authentication (the same in every reader). */
export function chunkFailure(index: number): Error {
  return payloadError(`chunk ${index} failed authentication`);
}

/** Yields runs of adjacent views on one buffer as a single view (fewer, larger writes). */
function* coalesce(parts: readonly Uint8Array[]): Generator<Uint8Array> {
  let run: Uint8Array | undefined;
  for (const p of parts) {
    if (run && run.buffer === p.buffer && run.byteOffset + run.length === p.byteOffset) {
      run = new Uint8Array(run.buffer, run.byteOffset, run.length + p.length);
      continue;
    }
    if (run && run.length > 0) yield run;
    run = p;
  }
  if (run && run.length > 0) yield run;
}

/** Keeps a promise's rejection from being reported as unhandled while it waits its turn. */
function settled<T>(value: T | Promise<T>): Promise<T> {
  const p = Promise.resolve(value);
  p.catch(() => undefined);
  return p;
}

function limits(aead: ChunkAead): { batch: number; window: number } {
  return {
    batch: Math.max(1, Math.floor(aead.batchSize)),
    window: Math.max(1, Math.floor(aead.parallelism)),
  };
}

/**
 * Keeps up to `window` batches in flight: reading and dispatching run on
 * their own while the consumer awaits the oldest result and writes it out,
 * so input, ciphering and output overlap instead of taking turns.
 */
function pipeline<T>(window: number, dispatch: () => Promise<T | null>): { next(): Promise<T | null>; stop(): void } {
  const inflight: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let pumping: Promise<void> | null = null;
  const fill = async (): Promise<void> => {
    try {
      while (!finished && inflight.length < window) {
        const entry = await dispatch();
        if (entry === null) finished = true;
        else inflight.push(entry);
      }
    } catch (error) {
      failure = { error };
    }
  };
  const pump = (): void => {
    if (pumping || finished || failure || inflight.length >= window) return;
    // Cleared through the promise itself: fill() may finish before this assignment would otherwise run.
    const running = fill();
    pumping = running;
    void running.then(() => {
      if (pumping === running) pumping = null;
    });
  };
  return {
    async next() {
      for (;;) {
        pump();
        const head = inflight.shift();
        if (head !== undefined) {
          pump();
          return head;
        }
        if (pumping) {
          await pumping;
          continue;
        }
        if (failure) throw failure.error;
        if (finished) return null;
      }
    },
    stop() {
      finished = true;
    },
  };
}

/** Encrypts everything `reader` yields as an age payload (after the nonce). */
export async function* sealPayload(reader: ByteReader, key: Uint8Array, aead: ChunkAead): AsyncGenerator<Uint8Array> {
  const { batch, window } = limits(aead);
  let counter = 0;
  let done = false;

  // Wrapped so that awaiting dispatch() does not also wait for the cipher.
  const dispatch = async (): Promise<{ sealed: Promise<readonly Uint8Array[]> } | null> => {
    if (done) return null;
    // In place, each chunk is read into its sealed position, with room for its tag after it.
    const stride = aead.inPlace ? sealedChunkSize : chunkSize;
    const size = batch * stride;
    const buffer = aead.allocate?.(size) ?? new Uint8Array(size);
    const lengths: number[] = [];
    let n = 0;
    if (aead.inPlace) {
      for (let k = 0; k < batch; k++) {
        const got = await reader.readInto(buffer, k * stride, chunkSize);
        if (got > 0) lengths.push(got);
        n += got;
        if (got < chunkSize) break;
      }
    } else {
      // One read per batch: a ReadIntoSource fills the batch buffer directly.
      n = await reader.readInto(buffer, 0, size);
      for (let at = 0; at < n; at += chunkSize) lengths.push(Math.min(chunkSize, n - at));
    }
    // Also rethrows a source failure behind a short read, so a cut input never looks like a complete one.
    const end = await reader.atEnd();
    if (n < batch * chunkSize && !end) throw new Error('age payload: internal error, short read before the end');
    // The whole payload is empty: one empty final chunk.
    if (n === 0) {
      if (counter > 0) throw new Error('age payload: internal error, empty chunk after data');
      lengths.push(0);
    }
    const nonces: Uint8Array[] = [];
    const chunks: Uint8Array[] = [];
    // A chunk is final only if nothing follows it.
    lengths.forEach((len, k) => {
      chunks.push(buffer.subarray(k * stride, k * stride + len));
      nonces.push(chunkNonce(counter++, end && k === lengths.length - 1));
    });
    done = end;
    return { sealed: settled(aead.seal(key, nonces, chunks)) };
  };

  const batches = pipeline(window, dispatch);
  try {
    for (let next = await batches.next(); next !== null; next = await batches.next()) {
      yield* coalesce(await next.sealed);
    }
  } finally {
    batches.stop();
  }
}

/** What each dispatched chunk means if it opens only with its alternate nonce. */
enum Alternate {
  None,
  /** Tried as middle, opened as final: a final chunk with more data after it. */
  FinalWithDataAfter,
  /** Tried as final (end of input), opened as middle: the file is truncated. */
  MiddleAtEnd,
}

interface OpenBatch {
  readonly first: number;
  readonly kinds: readonly Alternate[];
  readonly results: Promise<readonly (OpenedChunk | null)[]>;
  /** To throw once this batch's chunks have been released: a payload rule broken, or the source failing. */
  readonly after?: unknown;
}

/**
 * Decrypts an age payload (after the nonce), with the reference reader's
 * outcomes: a full chunk followed by more data is a middle chunk; a chunk at
 * the end of input is the final one; the final chunk is empty only when it is
 * the only one; nothing may follow it. A full chunk that authenticates only
 * under the other flag is released and then reported, as the reference
 * reader does, because its contents are genuine.
 */
export async function* openPayload(reader: ByteReader, key: Uint8Array, aead: ChunkAead): AsyncGenerator<Uint8Array> {
  const { batch, window } = limits(aead);
  let counter = 0;
  let finished = false;

  const dispatch = async (): Promise<OpenBatch | null> => {
    if (finished) return null;
    const first = counter;
    const size = batch * sealedChunkSize;
    const buffer = aead.allocate?.(size) ?? new Uint8Array(size);
    const nonces: Uint8Array[] = [];
    const alternates: (Uint8Array | null)[] = [];
    const kinds: Alternate[] = [];
    const chunks: Uint8Array[] = [];
    const push = (chunk: Uint8Array, final: boolean, kind: Alternate): void => {
      chunks.push(chunk);
      nonces.push(chunkNonce(counter, final));
      alternates.push(kind === Alternate.None ? null : chunkNonce(counter, !final));
      kinds.push(kind);
      counter++;
    };
    // The source failing is reported after the chunks before it are released, as a short file would be.
    let after: unknown;
    let n = 0;
    let end = false;
    try {
      n = await reader.readInto(buffer, 0, size);
      end = await reader.atEnd();
    } catch (error) {
      after = error;
    }
    finished = end || after !== undefined;
    const full = Math.floor(n / sealedChunkSize);
    const rest = n - full * sealedChunkSize;
    for (let k = 0; k < full; k++) {
      const chunk = buffer.subarray(k * sealedChunkSize, (k + 1) * sealedChunkSize);
      if (end && rest === 0 && k === full - 1) push(chunk, true, Alternate.MiddleAtEnd);
      else push(chunk, false, Alternate.FinalWithDataAfter);
    }
    if (after === undefined && end) {
      const tail = buffer.subarray(full * sealedChunkSize, n);
      if (n === 0) after = endsBeforeFinal();
      else if (rest === 0) {
        // The last full chunk above is the final one.
      } else {
        const error = shortFinalChunk(rest, counter);
        if (error) after = error;
        else push(tail, true, Alternate.None);
      }
    }
    // A chunk cut short by a source failure is dropped: it was never complete.
    const results = chunks.length > 0 ? settled(aead.open(key, nonces, chunks, alternates)) : Promise.resolve([]);
    return { first, kinds, results, ...(after !== undefined ? { after } : {}) };
  };

  const batches = pipeline(window, dispatch);
  try {
    for (let entry = await batches.next(); entry !== null; entry = await batches.next()) {
      yield* releaseBatch(entry);
    }
  } finally {
    batches.stop();
  }
}

/** Releases a batch's plaintext in order, up to its first failure, which it then reports. */
async function* releaseBatch(entry: OpenBatch): AsyncGenerator<Uint8Array> {
  const results = await entry.results;
  const good: Uint8Array[] = [];
  for (let i = 0; i < results.length; i++) {
    const opened = results[i];
    if (opened && !opened.alternate) {
      good.push(opened.plaintext);
      continue;
    }
    yield* coalesce(good);
    if (!opened) throw chunkFailure(entry.first + i);
    yield opened.plaintext;
    if (entry.kinds[i] === Alternate.MiddleAtEnd) throw truncated();
    // A final chunk with more after it: the source's own failure, if that is what follows, says more.
    if (entry.after !== undefined && i === results.length - 1) throw entry.after;
    throw dataAfterFinal();
  }
  yield* coalesce(good);
  if (entry.after !== undefined) throw entry.after;
}
