import { findOrganization } from '../../organization/repository.js';
import type { AuthContext } from '../context.js';
import { withFreshFactor } from '../fresh-factor.js';
import { setPendingTotpSecret } from '../repository/index.js';
import { newTotpSecret, totpUri } from '../totp.js';
import type { FreshFactorProps } from './fresh-factor-props.js';

const pendingTotpLifetimeMs = 10 * 60 * 1000;

/** A new TOTP secret, pending: the old one keeps working until a code from the new one confirms it. */
export async function beginTotpReenrollment(ctx: AuthContext, props: FreshFactorProps): Promise<{ secret: string; uri: string }> {
  const { actor, rp, fresh } = props;
  const secret = newTotpSecret();
  // Sealed like the secret it will replace (same member, same server secret), so confirming it just moves it.
  const sealed = ctx.secrets.sealTotpSecret(actor.memberId, secret);
  await withFreshFactor(ctx, actor, rp, fresh, async (tx) => {
    await setPendingTotpSecret(tx, actor.memberId, sealed, new Date(Date.now() + pendingTotpLifetimeMs));
  });
  const org = await findOrganization(ctx.database.db);
  return { secret, uri: totpUri(secret, org?.name ?? '', actor.name) };
}
