import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { describeDatabase, type ServerConfig } from './config.js';
import { dataDirLayout, lockDataDir, prepareDataDir, type DataDirLock } from './data-dir.js';
import { openDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { buildApp } from './http/app.js';
import type { AddressThrottle } from './members/throttle.js';
import { createLogger } from './logger.js';
import { startHousekeeping, sealLegacyTotpSecrets } from './members/housekeeping.js';
import { findOrganization } from './organization/repository.js';
import { ensureSetupCode } from './organization/setup-code.js';
import { projectRoot } from './paths.js';
import { ServerSecrets } from './secrets.js';
import { defaultKdfPolicy, type KdfPolicy } from '../core/index.js';

export function clearingVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  secrets: ServerSecrets;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, closes the database and releases the data directory. */
  stop(): Promise<void>;
}

/**
 * Takes the data directory, opens the database, applies migrations and listens.
 * If any step fails, everything already opened is closed again.
 */
export async function startServer(
  config: ServerConfig,
  options: { logger?: Logger; addressThrottle?: AddressThrottle; kdfPolicy?: KdfPolicy } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const layout = prepareDataDir(config.dataDir);
  const lock: DataDirLock = lockDataDir(layout);
  let database: Database | null = null;
  let app: FastifyInstance | null = null;
  let housekeeping: { stop(): Promise<void> } | null = null;
  let secrets: ServerSecrets;
  try {
    secrets = ServerSecrets.load(layout.root);
    database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: dataDirLayout(config.dataDir).pglite });
    const applied = await migrate(database);
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.version) }, 'applied migrations');
    const sealed = await sealLegacyTotpSecrets(database, secrets);
    if (sealed > 0) logger.info({ sealed }, 'sealed stored authenticator secrets with the server secret');
    if (!(await findOrganization(database.db))) {
      const code = ensureSetupCode(layout.root);
      logger.warn({ setupCode: code }, `Not set up yet. Open Clearing in a browser and enter this setup code: ${code} (clearing doctor shows it again)`);
    }
    app = await buildApp({
      config,
      database,
      logger,
      version: clearingVersion(),
      addressThrottle: options.addressThrottle,
      secrets,
      kdfPolicy: options.kdfPolicy ?? defaultKdfPolicy,
    });
    await app.listen({ host: config.host, port: config.port });
    const db = database;
    housekeeping = startHousekeeping(db, (error) => logger.warn({ err: error }, 'housekeeping failed; will try again'));
  } catch (error) {
    await housekeeping?.stop().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await database?.close().catch(() => undefined);
    lock.release();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, database: describeDatabase(config) }, 'Clearing is listening');

  let stopping: Promise<void> | null = null;
  const runningApp = app;
  const runningDb = database;
  const runningHousekeeping = housekeeping;
  return {
    app: runningApp,
    database: runningDb,
    secrets,
    url,
    stop() {
      stopping ??= (async () => {
        try {
          await runningHousekeeping?.stop();
          await runningApp.close();
        } finally {
          try {
            await runningDb.close();
          } finally {
            lock.release();
          }
        }
      })();
      return stopping;
    },
  };
}

/** Stops gracefully on SIGTERM and SIGINT; a second signal forces the exit. */
export function stopOnSignals(server: RunningServer, logger: Logger): void {
  let received = false;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    received = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    server.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
