import { ClearingError, confusableWith, nameKey } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { lockOrganizationRow } from '../../organization/repository.js';
import { allMemberNames } from '../repository/index.js';

/**
 * Refuses a name that could be mistaken for an existing member's (same
 * UTS #39 skeleton, src/core/membership/names.ts): "аnna" with a Cyrillic а
 * beside "anna". Removed members count too: their names stay in the audit
 * history. The organization row is locked so two look-alikes cannot join at once.
 */
export async function refuseConfusableName(tx: Executor, name: string): Promise<void> {
  await lockOrganizationRow(tx);
  const names = await allMemberNames(tx);
  const similar = confusableWith(name, names);
  if (similar !== null && nameKey(similar) === nameKey(name)) throw new ClearingError('NAME_TAKEN', { status: 409 });
  if (similar !== null) throw new ClearingError('NAME_CONFUSABLE', { status: 409 });
}
