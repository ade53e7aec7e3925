import type { Command } from 'commander';
import type { ServerConfig } from '../../server/index.js';
import { t } from '../i18n.js';

/** The server's modules load only when a command runs, so `--help` and `age` start fast. */
export const server = () => import('../../server/index.js');

/** The flags every command that touches the data directory shares; each mirrors an environment variable. */
export function withServerOptions(command: Command, { listen }: { listen: boolean }): Command {
  if (listen) {
    command
      .option('--host <address>', `${t('optHost')} (CLEARING_HOST)`)
      .option('--port <number>', `${t('optPort')} (CLEARING_PORT)`)
      .option('--body-limit <bytes>', `${t('optBodyLimit')} (CLEARING_BODY_LIMIT)`)
      .option('--https', `${t('optHttps')} (CLEARING_HTTPS)`)
      .option('--web-dir <dir>', `${t('optWebDir')} (CLEARING_WEB_DIR)`)
      .option('--trust-proxy <proxies>', `${t('optTrustProxy')} (CLEARING_TRUST_PROXY)`);
  }
  return command
    .option('--data-dir <dir>', `${t('optDataDir')} (CLEARING_DATA_DIR)`)
    .option('--database-url <url>', `${t('optDatabaseUrl')} (DATABASE_URL)`)
    .option('--log-level <level>', `${t('optLogLevel')} (CLEARING_LOG_LEVEL)`);
}

export async function configFromOptions(options: Record<string, string | boolean | undefined>): Promise<ServerConfig> {
  const { loadConfig, projectRoot } = await server();
  return loadConfig(
    process.env,
    {
      host: options.host as string | undefined,
      port: options.port as string | undefined,
      dataDir: options.dataDir as string | undefined,
      databaseUrl: options.databaseUrl as string | undefined,
      logLevel: options.logLevel as string | undefined,
      bodyLimit: options.bodyLimit as string | undefined,
      https: options.https as boolean | undefined,
      webDir: options.webDir as string | undefined,
      trustProxy: options.trustProxy as string | undefined,
    },
    { cwd: process.cwd(), projectRoot: projectRoot() },
  );
}
