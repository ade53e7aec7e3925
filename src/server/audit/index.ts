export * from './types.js';
export { appendAuditEntry } from './log.js';
export * from './tree.js';
