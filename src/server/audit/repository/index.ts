/** Every database access of the audit log. */
export * from './entries.js';
export * from './log-key.js';
export * from './tree-heads.js';
