export { randomBytes, toBase64url, fromBase64url, utf8Encode, utf8Decode, concatBytes, constantTimeEqual, canonicalJson, wipe } from './bytes.js';
export * from './keys.js';
export { cryptoError, isCryptoError, type CryptoErrorCode } from './errors.js';
export { hkdfSha256 } from './hkdf.js';
export { x25519Seal, x25519Open } from './seal.js';
