/** Native implementations of core's injectable crypto primitives (node:crypto, worker threads), and file I/O for age streams. */
export { nodeChunkAead } from './node-aead.js';
export { createWorkerChunkAead, type WorkerChunkAead, type WorkerChunkAeadOptions } from './worker-aead.js';
export { openFileSource, type FileSource, type FileSourceOptions } from './file-source.js';
export { writeChunks, type WriteChunksOptions } from './write.js';
