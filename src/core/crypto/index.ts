/**
 * Every cryptographic construction of Clearing. Primitives come from audited
 * libraries (see docs/decisions/); nothing here implements one.
 */
export * from './age/index.js';
export * from './merkle/index.js';
