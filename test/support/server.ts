import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AddressThrottle, createLogger, loadConfig, projectRoot, startServer, type RunningServer, type ServerConfig } from '../../src/server/index.js';
import { type Backend, freshPostgresDatabase } from './databases.js';
import { copyPgliteTemplate } from './pglite-template.js';

export interface TestServer extends RunningServer {
  config: ServerConfig;
  /** Everything the server logged so far, as one string. */
  logs(): string;
  /** Stops the server and removes its data (and its PostgreSQL database). */
  dispose(): Promise<void>;
}

/** Starts a real server on a random port with its own data directory and database. */
export async function startTestServer(
  backend: Backend,
  options: { dataDir?: string; databaseUrl?: string; env?: Record<string, string>; keepData?: boolean; port?: number } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'clearing-test-'));
  let pgDb: { url: string; drop: () => Promise<void> } | null = null;
  let databaseUrl = options.databaseUrl ?? null;
  if (backend.name === 'postgres' && !databaseUrl) {
    pgDb = await freshPostgresDatabase(backend.adminUrl);
    databaseUrl = pgDb.url;
  }
  if (!databaseUrl && !existsSync(join(dataDir, 'pglite'))) await copyPgliteTemplate(join(dataDir, 'pglite'));
  const config = loadConfig(
    { ...options.env },
    // A fixed port lets a restarted server keep the browser's origin (and so its localStorage).
    { port: options.port ?? 0, dataDir, databaseUrl, logLevel: 'info' },
    { cwd: process.cwd(), projectRoot: projectRoot() },
  );
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  // Every test request comes from 127.0.0.1: the per-address brake is tested on its own.
  const server = await startServer(config, { logger: createLogger('trace', sink), addressThrottle: new AddressThrottle(100_000) });
  return {
    ...server,
    config,
    logs: () => chunks.join(''),
    async dispose() {
      await server.stop();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
    },
  };
}

export async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}
