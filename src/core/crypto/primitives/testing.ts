/*
 * Helpers for the core's tests: bit flips in binary fields and in serialized
 * JSON. Not exported from any index; nothing outside tests imports this.
 */
import { ClearingError } from '../../errors/index.js';
import { fromBase64url, toBase64url } from './bytes.js';

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** A copy of a JSON object with one bit flipped in the base64url field at `path` (dot-separated). */
export function flipField<T>(value: T, path: string, bit: number): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  target[last] = toBase64url(flipBit(fromBase64url(target[last] as string), bit));
  return copy as T;
}

/** A copy with the field at `path` replaced. */
export function withField<T>(value: T, path: string, replacement: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]!] = replacement;
  return copy as T;
}

export function bitLength(value: unknown, path: string): number {
  let target = value as Record<string, unknown>;
  for (const key of path.split('.')) target = target[key] as Record<string, unknown>;
  return fromBase64url(target as unknown as string).length * 8;
}

/** The JSON text of a value with one bit of its UTF-8 flipped (decoded leniently, as a server might hand it back). */
export function flipJsonBit(value: unknown, bit: number): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return new TextDecoder().decode(flipBit(bytes, bit % (bytes.length * 8)));
}

export function jsonBitLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length * 8;
}

/** The error code `fn` throws; fails the test if it returns or throws anything but a ClearingError. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ClearingError) return error.code;
    throw error;
  }
  throw new Error('expected a ClearingError, but the call succeeded');
}

export async function asyncErrorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ClearingError) return error.code;
    throw error;
  }
  throw new Error('expected a ClearingError, but the call succeeded');
}

/** Whether a generated value carries a version tag newer than `newest` (FORMAT_VERSION_UNSUPPORTED, not damage). */
export function hasNewerVersionTag(value: unknown, newest: number): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = (value as Record<string, unknown>).v;
  return typeof v === 'number' && Number.isSafeInteger(v) && v > newest;
}
