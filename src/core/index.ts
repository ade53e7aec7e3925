/**
 * Clearing's core: pure, isomorphic domain, policies, crypto and formats.
 * It imports nothing from Node, the DOM, the database or HTTP (checked by
 * test/architecture.test.ts).
 */
export * from './errors/index.js';
export * from './i18n/index.js';
export * from './domain/index.js';
export * from './crypto/index.js';
export * from './policies/index.js';
export * from './api/index.js';
export * from './membership/index.js';
export * from './audit/index.js';
