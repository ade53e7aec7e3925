/** Native implementations of core's injectable crypto primitives (node:crypto, worker threads). */
export { nodeChunkAead } from './node-aead.js';
export { createWorkerChunkAead, type WorkerChunkAead, type WorkerChunkAeadOptions } from './worker-aead.js';
