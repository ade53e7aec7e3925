/**
 * Request and response shapes, one schema per endpoint with its type. The
 * core barrel exports only the types (the web app needs no schema at run
 * time); the server imports the schemas from these files directly.
 */
export type * from './schema.js';
export type * from './members.js';
export type * from './account.js';
export type * from './audit.js';
export type * from './health.js';
export type * from './errors.js';
export type * from './cases.js';
export type * from './casework.js';
