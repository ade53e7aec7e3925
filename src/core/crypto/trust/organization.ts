import { ed25519 } from '@noble/curves/ed25519.js';
import { constantTimeEqual, fromBase64url, toBase64url } from '../primitives/bytes.js';
import { cryptoError, isCryptoError } from '../primitives/errors.js';
import { keyLength, type X25519PublicKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { x25519Open, x25519Seal, x25519SealOverhead } from '../primitives/seal.js';
import { StrictReader } from '../primitives/strict.js';
import type { Brand } from '../../domain/ids.js';
import { fingerprintWithLabel } from '../member-keys/fingerprint.js';
import type { MemberKeys } from '../member-keys/keys.js';

/** The organization's Ed25519 key: its own types, so it is never mistaken for a member's signing key. */
export type OrganizationPublicKey = Brand<Uint8Array, 'OrganizationPublicKey'>;
export type OrganizationPrivateKey = Brand<Uint8Array, 'OrganizationPrivateKey'>;

export interface OrganizationKeyPair {
  publicKey: OrganizationPublicKey;
  privateKey: OrganizationPrivateKey;
}

export function generateOrganizationKey(): OrganizationKeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { publicKey: publicKey as OrganizationPublicKey, privateKey: secretKey as OrganizationPrivateKey };
}

export function organizationKeyFromPrivate(privateKey: OrganizationPrivateKey): OrganizationKeyPair {
  return { publicKey: ed25519.getPublicKey(privateKey) as OrganizationPublicKey, privateKey };
}

/** What administrators read to members through another channel, and what members compare at first use. */
export function organizationFingerprint(publicKey: OrganizationPublicKey): string {
  return fingerprintWithLabel(labels.organizationFingerprint, [publicKey]);
}

export function encodeOrganizationPublicKey(publicKey: OrganizationPublicKey): string {
  if (publicKey.length !== keyLength) throw cryptoError('KEY_INVALID', { kind: 'OrganizationPublicKey' });
  return toBase64url(publicKey);
}

export function decodeOrganizationPublicKey(encoded: string): OrganizationPublicKey {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(encoded, keyLength);
  } catch (error) {
    if (isCryptoError(error)) throw cryptoError('KEY_INVALID', { kind: 'OrganizationPublicKey' }, error);
    throw error;
  }
  if (!ed25519.utils.isValidPublicKey(bytes, false)) throw cryptoError('KEY_INVALID', { kind: 'OrganizationPublicKey' });
  return bytes as OrganizationPublicKey;
}

/**
 * The organization private key sealed to one administrator's encryption key,
 * so the server can hold it for every administrator without being able to use it.
 */
export interface SealedOrganizationKey {
  v: 1;
  organizationKey: string;
  recipientKey: string;
  sealed: string;
}

const sealContext = (organizationKey: string): string => `${labels.organizationKey}\n${organizationKey}`;

export function sealOrganizationKey(organization: OrganizationKeyPair, adminEncryptionPublicKey: X25519PublicKey): SealedOrganizationKey {
  const organizationKey = encodeOrganizationPublicKey(organization.publicKey);
  return {
    v: 1,
    organizationKey,
    recipientKey: toBase64url(adminEncryptionPublicKey),
    sealed: toBase64url(x25519Seal(adminEncryptionPublicKey, organization.privateKey, sealContext(organizationKey))),
  };
}

export function parseSealedOrganizationKey(input: unknown): SealedOrganizationKey {
  const r = new StrictReader('SEALED_KEY_MALFORMED', 4096);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 1);
  const o = r.object(raw, 'sealedOrganizationKey', ['v', 'organizationKey', 'recipientKey', 'sealed']);
  r.literal(o.v, 'v', 1);
  r.bytes(o.organizationKey, 'organizationKey', keyLength);
  r.bytes(o.recipientKey, 'recipientKey', keyLength);
  r.bytes(o.sealed, 'sealed', keyLength + x25519SealOverhead);
  return { v: 1, organizationKey: o.organizationKey as string, recipientKey: o.recipientKey as string, sealed: o.sealed as string };
}

/**
 * Opens the sealed organization key and checks it is the pinned one, so a
 * server that swapped in its own key pair cannot get members certified by it.
 */
export function openOrganizationKey(
  sealed: SealedOrganizationKey | unknown,
  adminKeys: MemberKeys,
  pinnedOrganizationPublicKey: OrganizationPublicKey,
): OrganizationKeyPair {
  const s = parseSealedOrganizationKey(sealed);
  const r = new StrictReader('SEALED_KEY_MALFORMED');
  if (!constantTimeEqual(r.bytes(s.organizationKey, 'organizationKey', keyLength), pinnedOrganizationPublicKey)) throw cryptoError('ORGANIZATION_KEY_MISMATCH');
  if (!constantTimeEqual(r.bytes(s.recipientKey, 'recipientKey', keyLength), adminKeys.encryption.publicKey)) throw cryptoError('SEALED_KEY_WRONG_RECIPIENT');
  const privateKey = x25519Open(
    adminKeys.encryption.privateKey,
    r.bytes(s.sealed, 'sealed', keyLength + x25519SealOverhead),
    sealContext(s.organizationKey),
    adminKeys.encryption.publicKey,
  );
  const pair = organizationKeyFromPrivate(privateKey as OrganizationPrivateKey);
  if (!constantTimeEqual(pair.publicKey, pinnedOrganizationPublicKey)) throw cryptoError('SEALED_KEY_TAMPERED');
  return pair;
}
