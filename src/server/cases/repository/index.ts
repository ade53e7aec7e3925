export * from './access-records.js';
export * from './case-list.js';
export * from './cases.js';
export * from './chains.js';
export * from './compartments.js';
export * from './records.js';
