import { ClearingError } from '../../errors/index.js';
import { cryptoMessages, type CryptoErrorCode } from '../messages.js';

export type { CryptoErrorCode } from '../messages.js';

/** Every failure of the cryptographic core, as a stable code the edge translates. */
export function cryptoError(code: CryptoErrorCode, params: Record<string, string | number> = {}, cause?: unknown): ClearingError<CryptoErrorCode> {
  return new ClearingError(code, { status: 400, params, cause });
}

export function isCryptoError(value: unknown, code?: CryptoErrorCode): value is ClearingError<CryptoErrorCode> {
  return value instanceof ClearingError && Object.hasOwn(cryptoMessages.en, value.code) && (code === undefined || value.code === code);
}
