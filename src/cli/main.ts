#!/usr/bin/env node
import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.js';
import { registerAgeCommands } from './commands/age.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDoctor } from './commands/doctor.js';
import { registerMigrate } from './commands/migrate.js';
import { registerServe } from './commands/serve.js';
import { t } from './i18n.js';

const program = new Command();
program.name('clearing').description(t('description')).showHelpAfterError();

registerServe(program);
registerMigrate(program);
registerDoctor(program);
registerAgeCommands(program);
registerAdminCommands(program);
registerAuditCommands(program);

await program.parseAsync(process.argv);
