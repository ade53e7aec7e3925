/** Native implementations of core's injectable crypto primitives (OpenSSL, worker threads), and file I/O for age files. */
export { chunkCipher, nativeChunkCipher, nativeCipherProblem, nodeCryptoChunkCipher, type ChunkCipher } from './chunk-cipher.js';
export { nodeChunkAead, createNodeChunkAead } from './node-aead.js';
export { createWorkerChunkAead, type WorkerChunkAead, type WorkerChunkAeadOptions } from './worker-aead.js';
export { encryptFileAt, decryptFileAt, isBinaryAgeFile, type FileCipherOptions } from './file-cipher.js';
export { InputChangedError } from './payload-stripe.js';
export { openFileSource, type FileSource, type FileSourceOptions } from './file-source.js';
export { writeChunks, type WriteChunksOptions } from './write.js';
