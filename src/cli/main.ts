#!/usr/bin/env node
import { Command, Help } from 'commander';
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
  login: async () => (await import('./commands/session.js')).registerSessionCommands,
  logout: async () => (await import('./commands/session.js')).registerSessionCommands,
  case: async () => (await import('./commands/case.js')).registerCaseCommands,
};

const program = new Command();
// Commander's own words (headings, the help option) in the CLI's language; every subcommand inherits them.
const headings: Record<string, string> = {
  'Usage:': t('helpUsage'),
  'Options:': t('helpOptions'),
  'Commands:': t('helpCommands'),
  'Arguments:': t('helpArguments'),
  'Global Options:': t('helpGlobalOptions'),
};
program
  .name('clearing')
  .description(t('description'))
  .showHelpAfterError()
  .configureHelp({
    styleTitle: (title) => headings[title] ?? title,
    // An empty list as a default says nothing; other defaults are named in the CLI's language.
    optionDescription: (option) => {
      const text = Help.prototype.optionDescription.call(new Help(), option);
      return text.replace(/ \(default: \[\]\)$/, '').replace(/\(default: /, `(${t('helpDefault')}: `);
    },
  })
  .helpOption('-h, --help', t('helpOption'))
  .helpCommand('help [command]', t('helpCommand'));

const requested = process.argv[2];
const chosen = requested !== undefined && Object.hasOwn(groups, requested) ? [requested] : Object.keys(groups);
// One module may register several commands (login and logout): each registers once.
const registered = new Set<(program: Command) => void>();
for (const name of chosen) {
  const register = await groups[name]!();
  if (!registered.has(register)) register(program);
  registered.add(register);
}

await program.parseAsync(process.argv);
