import type { Command } from 'commander';
import { ClearingError, decodeOrganizationPublicKey, organizationFingerprint } from '../../core/index.js';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { withServerOptions } from './server-options.js';
import { withDatabase } from './with-database.js';

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description(t('adminDescription'));
  withServerOptions(admin.command('fingerprint').description(t('fingerprintDescription')), { listen: false }).action(async (options: Record<string, string | undefined>) => {
    try {
      await withDatabase(options, async (database) => {
        const org = await database.db.selectFrom('organization').select(['name', 'public_key']).executeTakeFirst();
        if (!org?.public_key) throw new ClearingError('NOT_SET_UP', { status: 409 });
        process.stdout.write(`${t('fingerprintOf', { organization: org.name })}\n${organizationFingerprint(decodeOrganizationPublicKey(org.public_key))}\n`);
      });
    } catch (error) {
      fail(error);
    }
  });
}
