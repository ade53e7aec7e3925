/**
 * Every cryptographic construction of Clearing. Primitives come from audited
 * libraries (see docs/decisions/); nothing here implements one.
 */
export * from './age/index.js';
export * from './merkle/index.js';
export * from './primitives/index.js';
export * from './member-keys/index.js';
export * from './trust/index.js';
export * from './compartments/index.js';
export * from './records/index.js';
export { cryptoMessages } from './messages.js';
export * from './search/index.js';
export * from './case-chain/index.js';
