import { fromBase64url } from './bytes.js';
import { cryptoError, isCryptoError, type CryptoErrorCode } from './errors.js';

/**
 * Strict reading of untrusted JSON (whatever the server hands back): exact key
 * sets, exact types, bounded sizes. Every failure becomes the one error code
 * the caller chose, with the offending field as a parameter.
 */
export class StrictReader {
  constructor(
    private readonly code: CryptoErrorCode,
    private readonly maxTextLength = 64 * 1024,
  ) {}

  fail(field: string, reason: string): never {
    throw cryptoError(this.code, { field, reason });
  }

  /** Accepts an already-parsed value or JSON text (bounded in length before parsing). */
  json(input: unknown): unknown {
    if (typeof input !== 'string') return input;
    if (input.length > this.maxTextLength) this.fail('$', 'too long');
    try {
      return JSON.parse(input) as unknown;
    } catch {
      return this.fail('$', 'not JSON');
    }
  }

  object(value: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'not an object');
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) this.fail(field, 'not a plain object');
    const own = Object.keys(value);
    for (const key of own) if (!keys.includes(key)) this.fail(`${field}.${key}`, 'unexpected field');
    for (const key of keys) if (!Object.hasOwn(value, key)) this.fail(`${field}.${key}`, 'missing');
    return value as Record<string, unknown>;
  }

  /**
   * The version tag, read before anything else: a format newer than this code
   * knows is FORMAT_VERSION_UNSUPPORTED (update, do not distrust), not damage.
   * Anything else that is not a known version is left to the usual checks.
   */
  refuseNewerVersion(value: unknown, newest: number, field = 'v'): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const v = (value as Record<string, unknown>)[field];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > newest) throw cryptoError('FORMAT_VERSION_UNSUPPORTED', { field, version: v, newest });
  }

  literal<T extends string | number>(value: unknown, field: string, expected: T): T {
    if (value !== expected) this.fail(field, 'unsupported value');
    return expected;
  }

  string(value: unknown, field: string, maxLength: number, pattern?: RegExp): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) this.fail(field, 'not a string of the right length');
    if (pattern && !pattern.test(value)) this.fail(field, 'wrong form');
    return value;
  }

  integer(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) this.fail(field, 'not an integer in range');
    return value;
  }

  /** base64url bytes; `length` exact, or [min, max]. */
  bytes(value: unknown, field: string, length: number | readonly [number, number]): Uint8Array {
    const [min, max] = typeof length === 'number' ? [length, length] : length;
    // Bound the text before decoding it: 4 characters per 3 bytes.
    if (typeof value !== 'string' || value.length > Math.ceil((max * 4) / 3)) this.fail(field, 'not base64url of the right length');
    let bytes: Uint8Array;
    try {
      bytes = fromBase64url(value);
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      return this.fail(field, 'not base64url');
    }
    if (bytes.length < min || bytes.length > max) this.fail(field, 'wrong length');
    return bytes;
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: (value: unknown) => value is T): T {
    if (!allowed(value)) this.fail(field, 'not an allowed value');
    return value;
  }
}

/** Identifiers (member, case, record) as they appear in serialized formats. */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const maxIdLength = 128;
