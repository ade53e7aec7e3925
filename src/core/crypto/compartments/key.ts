import { x25519 } from '@noble/curves/ed25519.js';
import { labelledJson } from '../primitives/bytes.js';
import { hkdfSha256 } from '../primitives/hkdf.js';
import type { RecordKey, SearchKey, X25519PrivateKey, X25519PublicKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { checkCompartmentReference, type CompartmentReference } from './reference.js';

/**
 * One epoch of a compartment: an X25519 key pair. Anyone can seal to the
 * public key (intake page, bot, age files); members who were granted the
 * private key open, and derive the record and search keys from it.
 */
export interface CompartmentKey {
  reference: CompartmentReference;
  publicKey: X25519PublicKey;
  privateKey: X25519PrivateKey;
}

export function generateCompartmentKey(reference: CompartmentReference): CompartmentKey {
  const checked = checkCompartmentReference(reference);
  const { secretKey, publicKey } = x25519.keygen();
  return { reference: checked, publicKey: publicKey as X25519PublicKey, privateKey: secretKey as X25519PrivateKey };
}

export function compartmentKeyFromPrivate(reference: CompartmentReference, privateKey: X25519PrivateKey): CompartmentKey {
  return { reference: checkCompartmentReference(reference), publicKey: x25519.getPublicKey(privateKey) as X25519PublicKey, privateKey };
}

// The reference goes into HKDF info too, so two compartments never share a derived key.
function derive(key: CompartmentKey, label: string): Uint8Array {
  return hkdfSha256(key.privateKey, undefined, labelledJson(label, checkCompartmentReference(key.reference)));
}

/** Symmetric key that encrypts this compartment's records at this epoch. */
export function deriveRecordKey(key: CompartmentKey): RecordKey {
  return derive(key, labels.recordKey) as RecordKey;
}

// A search over 300 cases blinds each query word with every epoch key the member holds: derive each once.
const searchKeys = new WeakMap<CompartmentKey, SearchKey>();

/** Key of the blind index (HMAC of tokens) for this compartment at this epoch. */
export function deriveSearchKey(key: CompartmentKey): SearchKey {
  let derived = searchKeys.get(key);
  if (!derived) {
    derived = derive(key, labels.searchKey) as SearchKey;
    searchKeys.set(key, derived);
  }
  return derived;
}
