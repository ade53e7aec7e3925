/**
 * Writing a stream of chunks to a Node Writable with back-pressure, handing
 * each buffer back to the cipher that produced it once every view on it has
 * been written, so a long file reuses a few buffers instead of leaving a
 * gigabyte of garbage for the collector.
 */
import type { Writable } from 'node:stream';

/** Resolves on 'drain', or when the sink closes or fails; leaves no listener behind. */
export function drained(sink: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      sink.off('close', done);
      sink.off('error', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
    sink.on('error', done);
  });
}

export interface WriteChunksOptions {
  /** Called with a buffer once nothing more will be written from it (e.g. WorkerChunkAead.reclaim). */
  readonly reclaim?: (buffer: ArrayBufferLike) => void;
}

export async function writeChunks(source: AsyncIterable<Uint8Array>, sink: Writable, options: WriteChunksOptions = {}): Promise<void> {
  const { reclaim } = options;
  let broken: unknown;
  const onError = (error: unknown): void => {
    broken = error;
  };
  // Views of one cipher buffer arrive consecutively; a different buffer means the previous one is complete.
  const pending = new Map<ArrayBufferLike, number>();
  const complete = new Set<ArrayBufferLike>();
  let current: ArrayBufferLike | undefined;
  const release = (buffer: ArrayBufferLike): void => {
    if (!reclaim || !complete.has(buffer) || (pending.get(buffer) ?? 0) > 0) return;
    complete.delete(buffer);
    pending.delete(buffer);
    reclaim(buffer);
  };
  sink.on('error', onError);
  try {
    for await (const chunk of source) {
      if (broken) throw broken;
      const buffer = chunk.buffer;
      if (current !== undefined && current !== buffer) {
        complete.add(current);
        release(current);
      }
      current = buffer;
      pending.set(buffer, (pending.get(buffer) ?? 0) + 1);
      const ok = sink.write(chunk, () => {
        pending.set(buffer, (pending.get(buffer) ?? 1) - 1);
        release(buffer);
      });
      if (!ok) await drained(sink);
    }
    if (broken) throw broken;
  } finally {
    sink.off('error', onError);
  }
}
