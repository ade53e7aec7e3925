/** Every database access of members and their logins. */
export * from './members.js';
export * from './organization-key-grants.js';
export * from './access-records.js';
export * from './invitations.js';
export * from './login-challenges.js';
export * from './sessions.js';
export * from './throttle.js';
export * from './webauthn.js';
