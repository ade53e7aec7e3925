import { ClearingError } from '../../core/index.js';
import type { Database } from '../db/database.js';
import { insertOrganization, type Organization, findOrganization } from './repository.js';

export interface SetUpOrganizationInput {
  organizationName: string;
  defaultLanguage: 'en' | 'ru';
}

/** First-run setup: creates the organization exactly once. */
export async function setUpOrganization(database: Database, input: SetUpOrganizationInput): Promise<Organization> {
  const name = input.organizationName.normalize('NFC').trim();
  if (name.length === 0) {
    throw new ClearingError('VALIDATION_FAILED', 'organization name is empty', { params: { detail: 'organizationName is empty' } });
  }
  return database.db.transaction().execute(async (tx) => {
    const created = await insertOrganization(tx, { name, defaultLanguage: input.defaultLanguage });
    if (!created) throw new ClearingError('ALREADY_SET_UP', 'This server has already been set up.', { status: 409 });
    const org = await findOrganization(tx);
    if (!org) throw new Error('organization row vanished inside its own transaction');
    return org;
  });
}
