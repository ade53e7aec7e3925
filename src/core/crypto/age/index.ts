/** Files in the age v1 format (C2SP age): keys, encryption, decryption, armor. */
export * from './keys.js';
export { ageErrorCodes, isAgeError, type AgeErrorCode } from './errors.js';
export { ageMessages } from './messages.js';
export { nobleChunkAead, type ChunkAead, type OpenedChunk } from './aead.js';
export type { ByteSource, ReadIntoSource } from './bytes.js';
export {
  encryptFile,
  decryptFile,
  encryptBytes,
  decryptBytes,
  startAgeFile,
  openAgeFile,
  type AgeFileStart,
  type OpenedAgeFile,
  type EncryptOptions,
  type DecryptOptions,
} from './file.js';
export {
  chunkSize as ageChunkSize,
  sealedChunkSize as ageSealedChunkSize,
  tagSize as ageTagSize,
  chunkNonce as ageChunkNonce,
  chunkFailure as ageChunkFailure,
  sealedPayloadLength as ageSealedPayloadLength,
  planPayload as planAgePayload,
  planProblem as agePlanProblem,
  plannedNonces as agePlannedNonces,
  plannedAlternateFailure as agePlannedAlternateFailure,
  type PayloadPlan as AgePayloadPlan,
} from './stream.js';
export { maxHeaderBytes as ageMaxHeaderBytes, maxStanzas as ageMaxStanzas } from './header.js';
