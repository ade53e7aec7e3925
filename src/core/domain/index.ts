export * from './ids.js';
export * from './roles.js';
export * from './compartments.js';
export * from './members.js';
export * from './cases.js';
export * from './casework.js';
