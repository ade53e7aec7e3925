import type { Database } from '../../server/index.js';
import { configFromOptions, server } from './server-options.js';

/**
 * Opens the database the way `migrate` does, for commands that read it while
 * no server runs: the embedded database is opened by one process at a time, so
 * the data-directory lock is held while it is open.
 */
export async function withDatabase<T>(options: Record<string, string | undefined>, fn: (db: Database) => Promise<T>): Promise<T> {
  const { dataDirLayout, lockDataDir, openDatabase, prepareDataDir } = await server();
  const config = await configFromOptions(options);
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
