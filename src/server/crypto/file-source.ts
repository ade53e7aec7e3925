/**
 * A file as a ReadIntoSource: the age stream reads its batches straight into
 * the cipher's buffers, with no intermediate buffer per read.
 */
import { open } from 'node:fs/promises';
import type { ReadIntoSource } from '../../core/index.js';

export interface FileSource extends ReadIntoSource {
  readonly size: number;
  close(): Promise<void>;
}

export async function openFileSource(path: string): Promise<FileSource> {
  const handle = await open(path, 'r');
  let closed = false;
  try {
    const { size } = await handle.stat();
    return {
      size,
      async readInto(target, offset, length) {
        const { bytesRead } = await handle.read(target, offset, length, null);
        return bytesRead;
      },
      async close() {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
