export type * from './members.js';
