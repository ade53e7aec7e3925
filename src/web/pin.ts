/*
 * Moving and setting the organization pin without asking anyone, when the
 * organization itself vouches for the move:
 *
 * - a key rotation: the server presents a new key and a chain of statements,
 *   each signed by the key before it, from the pinned key to the new one;
 * - a first login on a new device: the member's own key bundle (version 2)
 *   binds the organization key they compared when joining, and it opened with
 *   their passphrase, so the server cannot have changed it.
 *
 * Anything else stays a trust failure (a mismatch), or for a version-1
 * bundle, a fingerprint comparison by the person (state "unconfirmed").
 */
import { boundOrganizationKey, constantTimeEqual, followKeyRotations, memberKeysFromPrivate, organizationFingerprint, type MemberKeys } from '../core/index.js';
import { api } from './api/client.js';
import { decodeOrganizationKeyOrNull, type PinCheck, type PinStore } from './trust.js';

export type FetchRotations = () => Promise<readonly unknown[]>;

export const fetchRotations: FetchRotations = async () => (await api.organization.keyRotations()).rotations;

/** A mismatch the chain of signed rotations explains becomes a match, and the pin moves to the new key. */
export async function followRotation(
  store: PinStore,
  pin: PinCheck,
  offered: string | null | undefined,
  rotations: FetchRotations = fetchRotations,
): Promise<PinCheck> {
  if (pin.state !== 'mismatch') return pin;
  const pinnedKey = decodeOrganizationKeyOrNull(pin.pinned);
  const offeredKey = decodeOrganizationKeyOrNull(offered);
  if (!pinnedKey || !offeredKey) return pin;
  try {
    followKeyRotations(pinnedKey, await rotations(), offeredKey);
  } catch {
    return pin;
  }
  store.set(offered as string);
  return { state: 'match', key: offeredKey };
}

/**
 * For a browser with no pin yet, once `bundle` has opened with the member's
 * passphrase: pins the offered key if the bundle binds it, or binds a key
 * from which signed rotations lead to it; a mismatch otherwise.
 */
export async function pinFromBundle(
  store: PinStore,
  bundle: unknown,
  offered: string | null | undefined,
  rotations: FetchRotations = fetchRotations,
): Promise<PinCheck> {
  const offeredKey = decodeOrganizationKeyOrNull(offered);
  const bound = boundOrganizationKey(bundle);
  if (bound === null) {
    if (!offeredKey) return { state: 'unavailable' };
    return { state: 'unconfirmed', offered: offered as string, offeredFingerprint: organizationFingerprint(offeredKey) };
  }
  const boundKey = decodeOrganizationKeyOrNull(bound);
  const mismatch: PinCheck = {
    state: 'mismatch',
    pinned: bound,
    offered: typeof offered === 'string' ? offered : null,
    offeredFingerprint: offeredKey ? organizationFingerprint(offeredKey) : null,
  };
  if (!boundKey || !offeredKey) return mismatch;
  if (!constantTimeEqual(boundKey, offeredKey)) {
    try {
      followKeyRotations(boundKey, await rotations(), offeredKey);
    } catch {
      return mismatch;
    }
  }
  store.set(offered as string);
  return { state: 'pinned', key: offeredKey };
}

/** A copy of open keys (for reloading trust without asking for the passphrase again: the session wipes the old copy). */
export function copyMemberKeys(keys: MemberKeys | null): MemberKeys {
  if (!keys) throw new Error('no keys open');
  return memberKeysFromPrivate(
    keys.encryption.privateKey.slice() as MemberKeys['encryption']['privateKey'],
    keys.signing.privateKey.slice() as MemberKeys['signing']['privateKey'],
  );
}
