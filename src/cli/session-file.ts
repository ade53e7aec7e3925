/**
 * Where `clearing login` keeps its session: the server's address and the
 * session cookie, nothing else (never a key, never the passphrase), in a file
 * only its owner can read: $XDG_CONFIG_HOME/clearing/session.json.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface SavedSession {
  server: string;
  cookie: string;
}

export function sessionFilePath(env: Record<string, string | undefined> = process.env): string {
  const configured = env.XDG_CONFIG_HOME;
  // The XDG spec: a relative value is to be ignored.
  const base = configured?.startsWith('/') ? configured : join(homedir(), '.config');
  return join(base, 'clearing', 'session.json');
}

export function readSession(path = sessionFilePath()): SavedSession | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof o.server !== 'string' || typeof o.cookie !== 'string' || o.cookie === '') return null;
  return { server: o.server, cookie: o.cookie };
}

/** Written to a temporary file with mode 0600 and renamed over the old one, so it is never readable by others, even for a moment. */
export function writeSession(session: SavedSession, path = sessionFilePath()): void {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ server: session.server, cookie: session.cookie }, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

export function deleteSession(path = sessionFilePath()): void {
  rmSync(path, { force: true });
}
