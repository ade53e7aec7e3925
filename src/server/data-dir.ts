import { closeSync, constants, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statfsSync, writeSync, accessSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ClearingError } from '../core/index.js';

/**
 * The data directory holds all of a Clearing server's local state: the embedded
 * database (`pglite/`), the blob store (`blobs/`), and `clearing.lock`, which keeps
 * a second server from opening the same directory.
 */
export interface DataDirLayout {
  root: string;
  pglite: string;
  blobs: string;
  lockFile: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return { root, pglite: join(root, 'pglite'), blobs: join(root, 'blobs'), lockFile: join(root, 'clearing.lock') };
}

export function prepareDataDir(root: string): DataDirLayout {
  const layout = dataDirLayout(root);
  try {
    mkdirSync(layout.root, { recursive: true, mode: 0o700 });
    mkdirSync(layout.blobs, { recursive: true, mode: 0o700 });
    accessSync(layout.root, constants.W_OK | constants.R_OK);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ClearingError('DATA_DIR_UNUSABLE', {
      params: { dir: root, reason },
      cause,
    });
  }
  return layout;
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

function readOwner(lockFile: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') return owner as LockOwner;
  } catch {
    // A missing or half-written lock file belongs to nobody.
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * Takes the data directory for this process. The lock file is created with
 * O_EXCL, so of two servers starting at once exactly one wins; a lock left by a
 * process that no longer exists (a crash, a kill -9) is taken over.
 */
export function lockDataDir(layout: DataDirLayout): DataDirLock {
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(layout.lockFile, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      writeSync(fd, JSON.stringify(me));
      fsyncSync(fd);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          const owner = readOwner(layout.lockFile);
          if (owner?.pid === me.pid && owner.host === me.host) rmSync(layout.lockFile, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        const reason = (e as Error).message;
        throw new ClearingError('DATA_DIR_UNUSABLE', {
          params: { dir: layout.root, reason },
        });
      }
      const owner = readOwner(layout.lockFile);
      if (owner && (owner.host !== me.host || isAlive(owner.pid))) {
        throw new ClearingError('DATA_DIR_LOCKED', { params: { dir: layout.root, pid: owner.pid }, status: 409 });
      }
      // Stale: move it aside atomically so that only one contender removes it.
      const stale = `${layout.lockFile}.stale-${process.pid}`;
      try {
        renameSync(layout.lockFile, stale);
        rmSync(stale, { force: true });
      } catch {
        // Someone else took it over first; try again.
      }
    }
  }
  throw new ClearingError('DATA_DIR_LOCKED', {
    params: { dir: layout.root, pid: '?' },
  });
}

/** Who holds the data directory now, if anyone (for `clearing doctor`). */
export function dataDirHolder(layout: DataDirLayout): LockOwner | null {
  const owner = readOwner(layout.lockFile);
  if (!owner) return null;
  if (owner.host === hostname() && !isAlive(owner.pid)) return null;
  return owner;
}

export function freeDiskBytes(path: string): number {
  const s = statfsSync(path);
  return s.bavail * s.bsize;
}
