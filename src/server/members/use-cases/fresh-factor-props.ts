import type { FreshFactor } from '../../../core/index.js';
import type { Actor } from '../../http/authorize.js';
import type { RelyingParty } from '../webauthn.js';

/** What a change behind a fresh second factor needs: who, where the browser talks to us, and the factor. */
export interface FreshFactorProps {
  actor: Actor;
  rp: RelyingParty;
  fresh: FreshFactor;
}
