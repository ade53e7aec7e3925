import { aeadDecrypt, aeadEncrypt, aeadTagLength, xchachaNonceLength } from '../primitives/aead.js';
import { concatBytes, labelledJson, toBase64url } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { hkdfSha256 } from '../primitives/hkdf.js';
import { keyLength, type X25519PrivateKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { StrictReader } from '../primitives/strict.js';
import { compartmentKeyFromPrivate, type CompartmentKey } from './key.js';
import { checkCompartmentReference, type CompartmentReference } from './reference.js';

/**
 * The previous epoch's private key, wrapped by the next epoch's: a rotation
 * seals only the new key to the remaining holders, and whoever holds an epoch
 * walks back through the links to every older one, so history stays readable
 * without re-encrypting it. Nothing leads forward: a member removed at a
 * rotation keeps what they had and gets nothing written afterwards.
 *
 * Encoded as base64url(nonce ‖ ciphertext) under a key derived from the newer
 * private key; the associated data names both epochs.
 */
export type EpochLink = string;

const linkKey = (newer: CompartmentKey): Uint8Array =>
  hkdfSha256(newer.privateKey, undefined, labelledJson(labels.epochLinkKey, checkCompartmentReference(newer.reference)));

function linkData(newer: CompartmentReference, older: CompartmentReference): Uint8Array {
  return labelledJson(labels.epochLink, { newer: checkCompartmentReference(newer), older: checkCompartmentReference(older) });
}

function previousReference(newer: CompartmentReference): CompartmentReference {
  if (newer.epoch === 0) throw cryptoError('COMPARTMENT_EPOCH_UNKNOWN');
  return { ...newer, epoch: newer.epoch - 1 };
}

export function linkPreviousEpoch(newer: CompartmentKey, previous: CompartmentKey): EpochLink {
  const want = previousReference(newer.reference);
  const got = checkCompartmentReference(previous.reference);
  if (got.caseId !== want.caseId || got.compartment !== want.compartment || got.epoch !== want.epoch) {
    throw cryptoError('COMPARTMENT_REFERENCE_INVALID', { field: 'epoch' });
  }
  const { nonce, ciphertext } = aeadEncrypt(linkKey(newer), previous.privateKey, linkData(newer.reference, want));
  return toBase64url(concatBytes(nonce, ciphertext));
}

/** Opens the key of epoch `newer.epoch - 1`; EPOCH_LINK_TAMPERED for anything that does not open as exactly that. */
export function openPreviousEpoch(newer: CompartmentKey, link: unknown): CompartmentKey {
  const want = previousReference(newer.reference);
  const r = new StrictReader('EPOCH_LINK_TAMPERED', 256);
  const bytes = r.bytes(link, 'link', xchachaNonceLength + keyLength + aeadTagLength);
  const opened = aeadDecrypt(linkKey(newer), bytes.subarray(0, xchachaNonceLength), bytes.subarray(xchachaNonceLength), linkData(newer.reference, want));
  if (!opened || opened.length !== keyLength) throw cryptoError('EPOCH_LINK_TAMPERED');
  return compartmentKeyFromPrivate(want, opened as X25519PrivateKey);
}
