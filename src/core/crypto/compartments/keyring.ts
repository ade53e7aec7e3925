import { cryptoError } from '../primitives/errors.js';
import type { CaseId } from '../../domain/ids.js';
import type { CompartmentName } from '../../domain/compartments.js';
import { generateCompartmentKey, type CompartmentKey } from './key.js';
import { checkCompartmentReference } from './reference.js';

/**
 * Every epoch of one compartment that the holder has, oldest first. New data
 * goes to the current (highest) epoch; older epochs stay to read older data.
 * A member added late may hold only later epochs, so epochs can have gaps.
 * Immutable: every change returns a new keyring.
 */
export interface CompartmentKeyring {
  readonly caseId: CaseId | null;
  readonly compartment: CompartmentName;
  readonly keys: readonly CompartmentKey[];
}

/** A new compartment: a keyring holding epoch 0. */
export function newCompartmentKeyring(compartment: { caseId: CaseId | null; compartment: CompartmentName }): CompartmentKeyring {
  const key = generateCompartmentKey({ caseId: compartment.caseId, compartment: compartment.compartment, epoch: 0 });
  return { caseId: key.reference.caseId, compartment: key.reference.compartment, keys: [key] };
}

/** Builds a keyring from opened keys of one compartment (in any order). */
export function compartmentKeyring(keys: readonly CompartmentKey[]): CompartmentKeyring {
  const first = keys[0];
  if (!first) throw cryptoError('COMPARTMENT_REFERENCE_INVALID', { field: 'keys' });
  let ring: CompartmentKeyring = { caseId: first.reference.caseId, compartment: first.reference.compartment, keys: [] };
  for (const key of keys) ring = addCompartmentKey(ring, key);
  return ring;
}

/** Adds (or replaces) the key of one epoch. */
export function addCompartmentKey(keyring: CompartmentKeyring, key: CompartmentKey): CompartmentKeyring {
  const reference = checkCompartmentReference(key.reference);
  if (reference.caseId !== keyring.caseId || reference.compartment !== keyring.compartment) {
    throw cryptoError('COMPARTMENT_REFERENCE_INVALID', { field: 'compartment' });
  }
  const keys = [...keyring.keys.filter((k) => k.reference.epoch !== reference.epoch), key].sort((a, b) => a.reference.epoch - b.reference.epoch);
  return { caseId: keyring.caseId, compartment: keyring.compartment, keys };
}

export function currentCompartmentKey(keyring: CompartmentKeyring): CompartmentKey {
  const last = keyring.keys[keyring.keys.length - 1];
  if (!last) throw cryptoError('COMPARTMENT_EPOCH_UNKNOWN');
  return last;
}

export function currentEpoch(keyring: CompartmentKeyring): number {
  return currentCompartmentKey(keyring).reference.epoch;
}

export function compartmentKeyForEpoch(keyring: CompartmentKeyring, epoch: number): CompartmentKey {
  const key = keyring.keys.find((k) => k.reference.epoch === epoch);
  if (!key) throw cryptoError('COMPARTMENT_EPOCH_UNKNOWN', { epoch });
  return key;
}

/**
 * A new epoch after the current one, with a fresh key pair. The caller seals
 * the new key to the remaining members only; that is what locks out the
 * removed one (docs/security.md, promise 4).
 */
export function rotateCompartment(keyring: CompartmentKeyring): CompartmentKeyring {
  const next = generateCompartmentKey({ caseId: keyring.caseId, compartment: keyring.compartment, epoch: currentEpoch(keyring) + 1 });
  return { caseId: keyring.caseId, compartment: keyring.compartment, keys: [...keyring.keys, next] };
}
