/**
 * Batch buffers for the chunk ciphers. Allocation without zeroing (every byte
 * handed on is overwritten first) and a small free list: a 1 GiB file would
 * otherwise allocate and zero 2 GiB of short-lived memory.
 */
export class BufferRecycler {
  readonly #free = new Map<number, ArrayBuffer[]>();
  readonly #limit: number;
  readonly #maxBytes: number;
  #heldBytes = 0;
  /** Only buffers this recycler made are taken back, never a caller's (or Node's pool). */
  readonly #ours = new WeakSet<ArrayBuffer>();

  /** Keeps at most `limit` spare buffers of one size and `maxBytes` in all (odd sizes come and go). */
  constructor(limit: number, maxBytes = 32 << 20) {
    this.#limit = limit;
    this.#maxBytes = maxBytes;
  }

  allocate(size: number): Uint8Array {
    const spare = this.#free.get(size)?.pop();
    if (spare) {
      this.#heldBytes -= spare.byteLength;
      return new Uint8Array(spare);
    }
    const fresh = uninitialized(size);
    this.#ours.add(fresh.buffer as ArrayBuffer);
    return fresh;
  }

  /** Whether this recycler made `buffer`, so it may be transferred to another thread. */
  owns(buffer: ArrayBufferLike): buffer is ArrayBuffer {
    return buffer instanceof ArrayBuffer && this.#ours.has(buffer);
  }

  /** Marks one of ours that came home from another thread as a new ArrayBuffer object. */
  own(buffer: ArrayBuffer): void {
    this.#ours.add(buffer);
  }

  /** Takes back one of ours that came home from another thread as a new ArrayBuffer object. */
  adopt(buffer: ArrayBuffer): void {
    this.#ours.add(buffer);
    this.recycle(buffer);
  }

  /** Takes back a buffer nobody reads any more. */
  recycle(buffer: ArrayBuffer): void {
    if (!this.#ours.has(buffer) || buffer.byteLength === 0) return;
    // Never twice: a buffer listed twice would be handed to two batches at once.
    const existing = this.#free.get(buffer.byteLength);
    if (existing?.includes(buffer)) return;
    const list = this.#free.get(buffer.byteLength) ?? [];
    if (list.length >= this.#limit || this.#heldBytes + buffer.byteLength > this.#maxBytes) return;
    list.push(buffer);
    this.#heldBytes += buffer.byteLength;
    this.#free.set(buffer.byteLength, list);
  }
}

/** A Uint8Array over fresh, unzeroed memory that it alone uses (never Node's shared pool). */
export function uninitialized(size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}
