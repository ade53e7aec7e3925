import type { Command } from 'commander';
import { ClearingError, decodeOrganizationPublicKey, organizationFingerprint } from '../../core/index.js';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { server, withServerOptions } from './server-options.js';
import { withDatabase } from './with-database.js';

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description(t('adminDescription'));
  withServerOptions(admin.command('fingerprint').description(t('fingerprintDescription')), { listen: false }).action(
    async (options: Record<string, string | undefined>) => {
      try {
        await withDatabase(options, async (database) => {
          const { findOrganization } = await server();
          const org = await findOrganization(database.db);
          if (!org?.publicKey) throw new ClearingError('NOT_SET_UP', { status: 409 });
          process.stdout.write(`${t('fingerprintOf', { organization: org.name })}\n${organizationFingerprint(decodeOrganizationPublicKey(org.publicKey))}\n`);
        });
      } catch (error) {
        fail(error);
      }
    },
  );
}
