import type { Command } from 'commander';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { configFromOptions, server, withServerOptions } from './server-options.js';

export function registerMigrate(program: Command): void {
  withServerOptions(program.command('migrate').description(t('migrateDescription')), { listen: false }).action(
    async (options: Record<string, string | undefined>) => {
      try {
        const { dataDirLayout, lockDataDir, migrate, migrationStatus, openDatabase, prepareDataDir } = await server();
        const config = await configFromOptions(options);
        const layout = prepareDataDir(config.dataDir);
        // The embedded database must never be opened by two processes at once.
        const lock = lockDataDir(layout);
        try {
          const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: dataDirLayout(config.dataDir).pglite });
          try {
            const applied = await migrate(database);
            const status = await migrationStatus(database);
            process.stdout.write(
              applied.length > 0
                ? `${t('migrated', { count: applied.length, list: applied.map((m) => `${m.version} ${m.name}`).join(', ') })}\n`
                : `${t('upToDate', { count: status.applied.length })}\n`,
            );
          } finally {
            await database.close();
          }
        } finally {
          lock.release();
        }
      } catch (error) {
        fail(error);
      }
    },
  );
}
