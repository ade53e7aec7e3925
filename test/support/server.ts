import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { insecureKdfPolicyForTests, type KdfPolicy } from '../../src/core/index.js';
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

/** Data directories of the test servers running in this process, by URL: tests read the setup code a server printed. */
const dataDirs = new Map<string, string>();

/** The one-time setup code of the test server at `base`, as the operator would read it off the console. */
export function setupCodeFor(base: string): string | null {
  const dir = dataDirs.get(new URL(base).origin);
  if (!dir) return null;
  try {
    return readFileSync(join(dir, 'setup-code'), 'utf8').trim();
  } catch {
    return null;
  }
}

/** Starts a real server on a random port with its own data directory and database. */
export async function startTestServer(
  backend: Backend,
  options: {
    dataDir?: string;
    databaseUrl?: string;
    env?: Record<string, string>;
    keepData?: boolean;
    port?: number;
    kdfPolicy?: KdfPolicy;
    addressLimit?: number;
  } = {},
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
  // Test members use tiny Argon2id settings (the web app's and the default policy's floor is tested on its own).
  const server = await startServer(config, {
    logger: createLogger('trace', sink),
    addressThrottle: new AddressThrottle(options.addressLimit ?? 100_000),
    kdfPolicy: options.kdfPolicy ?? insecureKdfPolicyForTests,
  });
  dataDirs.set(new URL(server.url).origin, dataDir);
  return {
    ...server,
    config,
    logs: () => chunks.join(''),
    async dispose() {
      await server.stop();
      dataDirs.delete(new URL(server.url).origin);
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
    },
  };
}

export async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}
