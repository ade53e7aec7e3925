import type { Command } from 'commander';
import { createLogger, describeDatabase, startServer, stopOnSignals } from '../../server/index.js';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { configFromOptions, withServerOptions } from './server-options.js';

export function registerServe(program: Command): void {
  withServerOptions(program.command('serve').description(t('serveDescription')), { listen: true }).action(
    async (options: Record<string, string | boolean | undefined>) => {
      try {
        const config = configFromOptions(options);
        const logger = createLogger(config.logLevel);
        const server = await startServer(config, { logger });
        stopOnSignals(server, logger);
        process.stderr.write(`${t('listening', { url: server.url, database: describeDatabase(config) })}\n`);
      } catch (error) {
        fail(error);
      }
    },
  );
}
