export * from './directory.js';
export * from './names.js';
export * from './prepare.js';
export * from './validation.js';
