/**
 * A pull-based reader over a stream of byte pieces of any size. The age layers
 * (armor, header, STREAM) each need a different view of the same bytes — lines,
 * exact counts, "is anything left?" — without holding more than a few pieces in
 * memory, whatever the length of the file.
 */

/**
 * A source that reads straight into the caller's buffer, as a file handle
 * does: the payload is then read into the cipher's batch buffers with no
 * intermediate copy and no garbage.
 */
export interface ReadIntoSource {
  /** Reads up to `length` bytes into `target` at `offset`; 0 means the end. */
  readInto(target: Uint8Array, offset: number, length: number): Promise<number>;
  close?(): Promise<void>;
}

/** Anything that yields bytes: a Node stream, a WHATWG ReadableStream, a file handle, pieces, one buffer. */
export type ByteSource = ReadIntoSource | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array> | Uint8Array;

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

/**
 * Iterates a ReadableStream through its reader, because async iteration of
 * ReadableStream is missing from some browsers we support.
 */
export async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function isReadIntoSource(source: ByteSource): source is ReadIntoSource {
  return typeof (source as ReadIntoSource).readInto === 'function';
}

/** Pieces read ahead from a ReadIntoSource (for lines and look-ahead); payload reads bypass them. */
const lookaheadSize = 64 * 1024;

async function* readIntoPieces(source: ReadIntoSource): AsyncGenerator<Uint8Array> {
  for (;;) {
    const piece = new Uint8Array(lookaheadSize);
    const n = await source.readInto(piece, 0, piece.length);
    if (n === 0) return;
    yield piece.subarray(0, n);
  }
}

export function byteIterator(source: Exclude<ByteSource, ReadIntoSource>): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
  if (source instanceof Uint8Array) return [source][Symbol.iterator]();
  if (isReadableStream(source)) return readStream(source);
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  return source[Symbol.iterator]();
}

export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  readonly #direct: ReadIntoSource | undefined;
  /** A source failure that arrived after some bytes were delivered: thrown by the next read. */
  #failure: { error: unknown } | undefined;
  /** Pieces not yet consumed; the first is consumed from #offset on. */
  readonly #pieces: Uint8Array[] = [];
  #offset = 0;
  #ended = false;
  #closed = false;

  constructor(source: ByteSource) {
    if (isReadIntoSource(source)) {
      this.#direct = source;
      this.#source = readIntoPieces(source);
    } else {
      this.#source = byteIterator(source);
    }
  }

  /** Bytes buffered and not yet consumed. */
  get buffered(): number {
    let n = -this.#offset;
    for (const p of this.#pieces) n += p.length;
    return n;
  }

  /** Pulls one more non-empty piece; false at the end of the source. */
  async #pull(): Promise<boolean> {
    if (this.#failure) throw this.#failure.error;
    while (!this.#ended) {
      const next = await this.#source.next();
      if (next.done) {
        this.#ended = true;
        return false;
      }
      const piece = next.value;
      if (!(piece instanceof Uint8Array)) throw new TypeError('a byte source yielded something other than bytes');
      if (piece.length > 0) {
        this.#pieces.push(piece);
        return true;
      }
    }
    return false;
  }

  #dropHead(): void {
    this.#pieces.shift();
    this.#offset = 0;
  }

  /** True when every byte has been consumed and the source has ended. */
  async atEnd(): Promise<boolean> {
    if (this.#pieces.length > 0) return false;
    return !(await this.#pull());
  }

  /**
   * Copies up to `n` bytes into `target` at `at`; fewer only at the end of the
   * source, or when the source fails after delivering some bytes (the failure
   * is then thrown by the next call). Returns the count copied.
   */
  async readInto(target: Uint8Array, at: number, n: number): Promise<number> {
    let copied = 0;
    try {
      while (copied < n) {
        const head = this.#pieces[0];
        if (head === undefined) {
          if (this.#failure) throw this.#failure.error;
          if (this.#ended) break;
          if (this.#direct) {
            // Nothing buffered: read straight into the caller's buffer.
            const got = await this.#direct.readInto(target, at + copied, n - copied);
            if (got === 0) this.#ended = true;
            copied += got;
            continue;
          }
          if (!(await this.#pull())) break;
          continue;
        }
        const take = Math.min(n - copied, head.length - this.#offset);
        target.set(head.subarray(this.#offset, this.#offset + take), at + copied);
        copied += take;
        this.#offset += take;
        if (this.#offset === head.length) this.#dropHead();
      }
    } catch (error) {
      if (copied === 0) throw error;
      this.#failure = { error };
    }
    return copied;
  }

  /** Reads exactly up to `n` bytes into a new array (shorter only at the end). */
  async read(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    const got = await this.readInto(out, 0, n);
    return got === n ? out : out.subarray(0, got);
  }

  /**
   * Reads through the next line feed, which is included. At the end of the
   * source returns what is left (possibly empty) without one. Returns null, and
   * consumes nothing, when no line feed appears within `limit` bytes.
   */
  async readLine(limit: number): Promise<Uint8Array | null> {
    let scanned = 0;
    let pieceIndex = 0;
    let start = this.#offset;
    for (;;) {
      const piece = this.#pieces[pieceIndex];
      if (piece === undefined) {
        if (scanned >= limit) return null;
        if (!(await this.#pull())) return this.read(scanned);
        continue;
      }
      const stop = Math.min(piece.length, start + (limit - scanned));
      const nl = piece.subarray(start, stop).indexOf(0x0a);
      if (nl >= 0) return this.read(scanned + nl + 1);
      scanned += stop - start;
      if (scanned >= limit) return null;
      pieceIndex++;
      start = 0;
    }
  }

  /** Up to `n` upcoming bytes, without consuming them. */
  async peek(n: number): Promise<Uint8Array> {
    while (this.buffered < n && (await this.#pull())) {
      // keep pulling
    }
    const out = new Uint8Array(Math.min(n, this.buffered));
    let at = 0;
    let offset = this.#offset;
    for (const p of this.#pieces) {
      if (at === out.length) break;
      const take = Math.min(out.length - at, p.length - offset);
      out.set(p.subarray(offset, offset + take), at);
      at += take;
      offset = 0;
    }
    return out;
  }

  /** The rest of the source, piece by piece, starting with what is buffered. */
  async *rest(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const head = this.#pieces[0];
      if (head === undefined) {
        if (!(await this.#pull())) return;
        continue;
      }
      const out = this.#offset === 0 ? head : head.subarray(this.#offset);
      this.#dropHead();
      yield out;
    }
  }

  /** Stops the source early (closing files, cancelling network reads). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pieces.length = 0;
    if (!this.#ended && typeof this.#source.return === 'function') {
      this.#ended = true;
      await this.#source.return();
    }
    await this.#direct?.close?.();
  }
}

/** Joins byte arrays; used for small things (headers, tests), never for payloads. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Collects a stream of bytes into one array; for small files and tests. */
export async function collectBytes(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return concatBytes(...parts);
}

/** A WHATWG ReadableStream over an async iterable (for fetch bodies, Response, the browser). */
export function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
