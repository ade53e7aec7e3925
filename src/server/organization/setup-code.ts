import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/*
 * A new server is owned by whoever completes its first-run setup, so setup
 * asks for a one-time code that only the operator can see: the server writes it
 * into the data directory and prints it on its console at start, and
 * `clearing doctor` shows it again. It is removed once setup succeeds.
 */
export const setupCodeFile = 'setup-code';
/** No 0/O, 1/I/L: read off a console and typed by hand. */
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const groups = 4;
const groupLength = 4;

function newSetupCode(): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let part = '';
    for (let i = 0; i < groupLength; i++) part += alphabet[randomInt(alphabet.length)];
    parts.push(part);
  }
  return parts.join('-');
}

/** As typed: case, spaces and dashes do not matter. */
export function normalizeSetupCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export function readSetupCode(dataDir: string): string | null {
  try {
    const code = readFileSync(join(dataDir, setupCodeFile), 'utf8').trim();
    return code.length > 0 ? code : null;
  } catch {
    return null;
  }
}

/** The code for a server not yet set up: the existing one, or a new one written atomically (never overwritten). */
export function ensureSetupCode(dataDir: string): string {
  const existing = readSetupCode(dataDir);
  if (existing) return existing;
  const code = newSetupCode();
  try {
    const fd = openSync(join(dataDir, setupCodeFile), constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    try {
      writeSync(fd, `${code}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return code;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readSetupCode(dataDir) ?? code;
    throw e;
  }
}

export function setupCodeMatches(dataDir: string, given: string): boolean {
  const expected = readSetupCode(dataDir);
  if (!expected) return false;
  const a = createHash('sha256').update(normalizeSetupCode(expected)).digest();
  const b = createHash('sha256').update(normalizeSetupCode(given)).digest();
  return timingSafeEqual(a, b);
}

export function removeSetupCode(dataDir: string): void {
  rmSync(join(dataDir, setupCodeFile), { force: true });
}
