/**
 * A file as a ReadIntoSource: the age stream reads its batches straight into
 * the cipher's buffers, with no intermediate buffer per read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ReadIntoSource } from '../../core/index.js';

export interface FileSource extends ReadIntoSource {
  readonly size: number;
  close(): Promise<void>;
}

export interface FileSourceOptions {
  /**
   * Read with blocking calls on the calling thread. Each asynchronous read is a
   * round trip through libuv's thread pool, which for a multi-gigabyte file
   * costs more than the read itself; a one-shot command (the CLI) has no other
   * work for its event loop, so it may block. A server must not.
   */
  readonly blocking?: boolean;
}

export async function openFileSource(path: string, options: FileSourceOptions = {}): Promise<FileSource> {
  if (options.blocking) {
    const fd = openSync(path, 'r');
    let closed = false;
    try {
      const { size } = fstatSync(fd);
      return {
        size,
        async readInto(target, offset, length) {
          return readSync(fd, target, offset, length, null);
        },
        async close() {
          if (closed) return;
          closed = true;
          closeSync(fd);
        },
      };
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }
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
