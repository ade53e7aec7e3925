/** Every database access of members and their logins. */
export * from './members.js';
export * from './organization-key-grants.js';
export * from './access-records.js';
export * from './invitations.js';
