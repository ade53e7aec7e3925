/**
 * The tamper-evident audit log as clients see it: what an entry commits to,
 * the check a browser makes on every visit, and the offline check of a whole log.
 */
export { auditActions, auditLeafBytes, auditLeafHash, auditLogId, type AuditAction, type AuditEntry, type StoredAuditEntry } from './entry.js';
export { auditHeadSigned, checkAuditVisit, checkHistory, entryInHead, type AuditPin, type HistoryCheck, type VisitCheck } from './history.js';
export { AuditLogVerifier, verifyAuditLog, type LogProblem, type LogProblemKind, type LogVerification } from './verify-log.js';
export { auditLogKeyFingerprint } from './fingerprint.js';
