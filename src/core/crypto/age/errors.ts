/**
 * Every way reading or writing an age file can fail, one stable code each, so
 * that a parse error is never reported as a wrong key and a damaged payload is
 * never mistaken for a damaged header. The codes are translated at the edge
 * (see messages.ts); the English text here is for logs only.
 */
import { ClearingError } from '../../errors/index.js';

export const ageErrorCodes = [
  /** The header is malformed, unsupported, too large, or cut short. */
  'AGE_HEADER',
  /** The header is well formed but no identity we hold unwraps the file key. */
  'AGE_NO_MATCH',
  /** The file key was unwrapped but the header MAC does not verify. */
  'AGE_HMAC',
  /** The payload failed authentication or is truncated; earlier chunks were genuine. */
  'AGE_PAYLOAD',
  /** The ASCII armor around the file is not the strict form age writes. */
  'AGE_ARMOR',
  /** A secret key is not an `AGE-SECRET-KEY-1…` X25519 or `AGE-SECRET-KEY-PQ-1…` hybrid identity. */
  'AGE_IDENTITY',
  /** A recipient is not an `age1…` X25519 public key, or none was given. */
  'AGE_RECIPIENT',
  /** A file could not be read or written (used by the adapters). */
  'AGE_IO',
] as const;

export type AgeErrorCode = (typeof ageErrorCodes)[number];

export function ageError(code: AgeErrorCode, message: string, cause?: unknown): ClearingError<AgeErrorCode> {
  return new ClearingError(code, cause === undefined ? { detail: message } : { detail: message, cause });
}

export function isAgeError(value: unknown): value is ClearingError<AgeErrorCode> {
  return value instanceof ClearingError && (ageErrorCodes as readonly string[]).includes(value.code);
}
