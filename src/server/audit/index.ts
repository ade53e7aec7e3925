/** The audit log on the server: appending inside an action's transaction, reading back, and the signed Merkle tree. */
export * from './types.js';
export { appendAuditEntry } from './log.js';
export { allAuditEntries, allTreeHeads, auditTablesExist, countAuditEntries, queryAuditEntries, storedEntry, type AuditQuery } from './repository/index.js';
export { loadOrCreateAuditLogKey, readAuditLogPublicKey, type AuditLogKey } from './log-key.js';
export { AuditTree } from './tree.js';
