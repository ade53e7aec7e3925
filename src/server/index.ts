/** The server's public surface, used by the CLI. */
export { loadConfig, configVariables, describeDatabase, type ServerConfig, type ConfigOverrides } from './config.js';
export { startServer, stopOnSignals, clearingVersion, type RunningServer } from './serve.js';
export { createLogger } from './logger.js';
export { projectRoot } from './paths.js';
export { prepareDataDir, dataDirLayout, dataDirHolder, lockDataDir, freeDiskBytes } from './data-dir.js';
export { openDatabase, type Database } from './db/database.js';
export { migrate, migrationStatus, loadMigrations } from './db/migrate.js';
export * from './file-cipher/index.js';
export { AddressThrottle } from './members/throttle.js';
export { allAuditEntries, allTreeHeads, auditTablesExist, countAuditEntries, readAuditLogPublicKey } from './audit/index.js';
export { readSetupCode } from './organization/setup-code.js';
export { findOrganization } from './organization/repository.js';
export { ServerSecrets, serverSecretFile } from './secrets.js';
