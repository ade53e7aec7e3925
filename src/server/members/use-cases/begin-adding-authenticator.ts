import type { AuthContext } from '../context.js';
import { withFreshFactor } from '../fresh-factor.js';
import { registrationOptions } from '../webauthn.js';
import type { FreshFactorProps } from './fresh-factor-props.js';

/** Registration options for one more authenticator, after a fresh second factor. */
export async function beginAddingAuthenticator(ctx: AuthContext, props: FreshFactorProps): Promise<{ options: unknown }> {
  const { actor, rp, fresh } = props;
  return withFreshFactor(ctx, actor, rp, fresh, (tx) => registrationOptions(tx, actor, rp));
}
