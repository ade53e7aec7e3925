import type { Command } from 'commander';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { configFromOptions, server as serverModules, withServerOptions } from './server-options.js';

export function registerServe(program: Command): void {
  withServerOptions(program.command('serve').description(t('serveDescription')), { listen: true }).action(
    async (options: Record<string, string | boolean | undefined>) => {
      try {
        const { createLogger, describeDatabase, readSetupCode, startServer, stopOnSignals } = await serverModules();
        const config = await configFromOptions(options);
        const logger = createLogger(config.logLevel);
        const server = await startServer(config, { logger });
        stopOnSignals(server, logger);
        process.stderr.write(`${t('listening', { url: server.url, database: describeDatabase(config) })}\n`);
        const setupCode = readSetupCode(config.dataDir);
        if (setupCode) process.stderr.write(`${t('setupCodeBanner', { code: setupCode, url: server.url })}\n`);
      } catch (error) {
        fail(error);
      }
    },
  );
}
