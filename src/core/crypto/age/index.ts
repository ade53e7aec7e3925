/** Files in the age v1 format (C2SP age): keys, encryption, decryption, armor. */
export * from './keys.js';
export { ageErrorCodes, isAgeError, type AgeErrorCode } from './errors.js';
export { ageMessages } from './messages.js';
export { nobleChunkAead, type ChunkAead, type OpenedChunk } from './aead.js';
export type { ByteSource, ReadIntoSource } from './bytes.js';
export { encryptFile, decryptFile, encryptBytes, decryptBytes, type EncryptOptions, type DecryptOptions } from './file.js';
export { chunkSize as ageChunkSize, sealedChunkSize as ageSealedChunkSize } from './stream.js';
export { maxHeaderBytes as ageMaxHeaderBytes, maxStanzas as ageMaxStanzas } from './header.js';
