import { isAbsolute, resolve } from 'node:path';
import { ClearingError } from '../core/index.js';

/** Server configuration. Every field has an environment variable (README, "Configuration"). */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** A PostgreSQL server; when absent, the embedded PGlite database in `<dataDir>/pglite` is used. */
  databaseUrl: string | null;
  logLevel: LogLevel;
  bodyLimit: number;
  /** Directory with the built web app; absent in API-only deployments. */
  webDir: string;
  /** Set when Clearing is served over HTTPS (directly or behind a proxy): cookies get `Secure`, HSTS is sent. */
  https: boolean;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), for
   * per-address throttling behind a TLS proxy: false (none), a number of hops,
   * or a list of proxy addresses / CIDR ranges.
   */
  trustProxy: boolean | number | string[];
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** One row per setting: the README's configuration table is checked against this list by a test. */
export const configVariables = [
  { env: 'CLEARING_HOST', flag: '--host', default: '127.0.0.1', field: 'host' },
  { env: 'CLEARING_PORT', flag: '--port', default: '8080', field: 'port' },
  { env: 'CLEARING_DATA_DIR', flag: '--data-dir', default: './data', field: 'dataDir' },
  { env: 'DATABASE_URL', flag: '--database-url', default: '(embedded PGlite)', field: 'databaseUrl' },
  { env: 'CLEARING_LOG_LEVEL', flag: '--log-level', default: 'info', field: 'logLevel' },
  { env: 'CLEARING_BODY_LIMIT', flag: '--body-limit', default: '1048576', field: 'bodyLimit' },
  { env: 'CLEARING_HTTPS', flag: '--https', default: 'false', field: 'https' },
  { env: 'CLEARING_WEB_DIR', flag: '--web-dir', default: './dist/web', field: 'webDir' },
  { env: 'CLEARING_TRUST_PROXY', flag: '--trust-proxy', default: 'false', field: 'trustProxy' },
] as const;

export type ConfigOverrides = Partial<Record<(typeof configVariables)[number]['field'], string | number | boolean | null>>;

function invalid(detail: string): ClearingError {
  return new ClearingError('CONFIG_INVALID', { params: { detail } });
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw invalid(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw invalid(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function parseTrustProxy(raw: string): boolean | number | string[] {
  const v = raw.trim();
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 16) throw invalid(`trust proxy hops must be between 0 and 16, got ${hops}`);
    return hops === 0 ? false : hops;
  }
  const lower = v.toLowerCase();
  if (['', 'false', 'no', 'off'].includes(lower)) return false;
  if (['true', 'yes', 'on'].includes(lower)) return true;
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  const address = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-fA-F:]+)(?:\/[0-9]{1,3})?$|^(?:loopback|linklocal|uniquelocal)$/;
  for (const e of entries) if (!address.test(e)) throw invalid(`trust proxy must be false, true, a number of hops or a list of proxy addresses, got "${e}"`);
  return entries;
}

function parseBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw invalid(`${name} must be true or false, got "${raw}"`);
}

/**
 * Reads configuration from the environment, with command-line overrides on top.
 * `cwd` anchors relative paths; `projectRoot` locates the built web app.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: ConfigOverrides = {},
  paths: { cwd: string; projectRoot: string },
): ServerConfig {
  const pick = (field: (typeof configVariables)[number]['field'], envName: string): string | undefined => {
    const o = overrides[field];
    if (o !== undefined && o !== null) return String(o);
    const e = env[envName];
    return e === undefined || e === '' ? undefined : e;
  };
  const host = pick('host', 'CLEARING_HOST') ?? '127.0.0.1';
  const port = parseInteger('port', pick('port', 'CLEARING_PORT') ?? '8080', 0, 65535);
  const dataDirRaw = pick('dataDir', 'CLEARING_DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(paths.cwd, dataDirRaw);
  const databaseUrl = pick('databaseUrl', 'DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw invalid('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const logLevel = (pick('logLevel', 'CLEARING_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw invalid(`log level must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }
  const bodyLimit = parseInteger('body limit', pick('bodyLimit', 'CLEARING_BODY_LIMIT') ?? '1048576', 1024, 1024 * 1024 * 1024);
  const https = parseBoolean('https', pick('https', 'CLEARING_HTTPS') ?? 'false');
  const trustProxy = parseTrustProxy(pick('trustProxy', 'CLEARING_TRUST_PROXY') ?? 'false');
  const webDirRaw = pick('webDir', 'CLEARING_WEB_DIR');
  const webDir = webDirRaw ? resolve(paths.cwd, webDirRaw) : resolve(paths.projectRoot, 'dist/web');
  return {
    host,
    port,
    dataDir,
    databaseUrl,
    logLevel: logLevel as LogLevel,
    bodyLimit,
    webDir,
    https,
    trustProxy,
  };
}

/** The database URL with its password masked, for messages and logs. */
export function describeDatabase(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `PGlite (${resolve(config.dataDir, 'pglite')})`;
  try {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = '***';
    return `PostgreSQL (${url.toString()})`;
  } catch {
    return 'PostgreSQL';
  }
}
