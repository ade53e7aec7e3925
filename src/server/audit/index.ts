export * from './types.js';
export { appendAuditEntry, auditLeafBytes, auditLeafHash, type AuditEntry } from './log.js';
