export * from './directory.js';
export * from './names.js';
