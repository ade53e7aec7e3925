export type * from './members.js';
export type * from './account.js';
