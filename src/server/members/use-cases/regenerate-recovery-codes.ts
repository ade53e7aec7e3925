import { appendAuditEntry } from '../../audit/index.js';
import type { AuthContext } from '../context.js';
import { withFreshFactor } from '../fresh-factor.js';
import { updateMember } from '../repository/index.js';
import { newRecoveryCodes } from '../totp.js';
import type { FreshFactorProps } from './fresh-factor-props.js';

/** A new set of recovery codes; the old set stops working in the same transaction. */
export async function regenerateRecoveryCodes(ctx: AuthContext, props: FreshFactorProps): Promise<{ recoveryCodes: string[] }> {
  const { actor, rp, fresh } = props;
  const { codes, hashes } = newRecoveryCodes();
  await withFreshFactor(ctx, actor, rp, fresh, async (tx) => {
    await updateMember(tx, actor.memberId, { recoveryCodes: hashes });
    await appendAuditEntry(tx, {
      action: 'auth.recovery_codes_regenerated',
      actorId: actor.memberId,
      subjectId: actor.memberId,
      detail: { remaining: hashes.length },
    });
  });
  return { recoveryCodes: codes };
}
