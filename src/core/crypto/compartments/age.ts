import { encodeIdentity, encodeRecipient } from '../age/keys.js';
import type { CompartmentKey } from './key.js';

/**
 * A compartment key pair is an age X25519 identity as it stands, so files
 * encrypted to a compartment open with the standard `age` tool once the
 * identity is exported (for verifiers and for recovery).
 */
export function compartmentAgeIdentity(key: CompartmentKey): string {
  return encodeIdentity(key.privateKey);
}

/** `age1…`, for `age -r` and for encrypting evidence to the compartment. */
export function compartmentAgeRecipient(key: Pick<CompartmentKey, 'publicKey'>): string {
  return encodeRecipient(key.publicKey);
}
