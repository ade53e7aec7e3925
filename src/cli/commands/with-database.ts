import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClearingError } from '../../core/errors/index.js';
import type { Database } from '../../server/index.js';
import { configFromOptions, server } from './server-options.js';

/**
 * Opens the database the way `migrate` does, for commands that read it while
 * no server runs: the embedded database is opened by one process at a time, so
 * the data-directory lock is held while it is open. A command that only reads
 * refuses a directory without an embedded database rather than making an empty
 * one there (a mistyped --data-dir would otherwise end in a baffling SQL error).
 */
export async function withDatabase<T>(options: Record<string, string | undefined>, fn: (db: Database) => Promise<T>): Promise<T> {
  const { dataDirLayout, lockDataDir, openDatabase, prepareDataDir } = await server();
  const config = await configFromOptions(options);
  if (!config.databaseUrl && !existsSync(join(dataDirLayout(config.dataDir).pglite, 'PG_VERSION'))) {
    throw new ClearingError('NOT_A_DATA_DIR', { params: { dir: config.dataDir } });
  }
  const layout = prepareDataDir(config.dataDir);
  const lock = config.databaseUrl ? null : lockDataDir(layout);
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: dataDirLayout(config.dataDir).pglite });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}
