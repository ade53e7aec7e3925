#!/usr/bin/env node
import { Command } from 'commander';
import { t } from './i18n.js';

/**
 * Each command group's modules load only when that group runs, so `clearing
 * age` does not first load the server, the database layer and all of core.
 * Help and unknown commands load every group.
 */
const groups: Record<string, () => Promise<(program: Command) => void>> = {
  serve: async () => (await import('./commands/serve.js')).registerServe,
  migrate: async () => (await import('./commands/migrate.js')).registerMigrate,
  doctor: async () => (await import('./commands/doctor.js')).registerDoctor,
  age: async () => (await import('./commands/age.js')).registerAgeCommands,
  admin: async () => (await import('./commands/admin.js')).registerAdminCommands,
  audit: async () => (await import('./commands/audit.js')).registerAuditCommands,
};

const program = new Command();
program.name('clearing').description(t('description')).showHelpAfterError();

const requested = process.argv[2];
const chosen = requested !== undefined && Object.hasOwn(groups, requested) ? [requested] : Object.keys(groups);
for (const name of chosen) (await groups[name]!())(program);

await program.parseAsync(process.argv);
