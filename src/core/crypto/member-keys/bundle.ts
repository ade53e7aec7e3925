import { aeadDecrypt, aeadEncrypt, aeadTagLength, xchachaNonceLength } from '../primitives/aead.js';
import { concatBytes, constantTimeEqual, labelledJson, toBase64url, wipe } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { keyLength, type Ed25519PrivateKey, type MasterKey, type X25519PrivateKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { StrictReader } from '../primitives/strict.js';
import { deriveBundleKey, parseKdfParams, type KdfParams } from './kdf.js';
import { memberKeysFromPrivate, type MemberKeys } from './keys.js';

/**
 * A member's private keys encrypted under a key derived from their passphrase,
 * plus what the server needs in the clear: the KDF parameters (to derive the
 * key again anywhere) and the public keys (to serve them to others).
 * The plaintext is the X25519 private key followed by the Ed25519 seed.
 *
 * Version 2 also names the organization public key the member joined (or
 * last followed), bound as associated data: the server cannot change it
 * without the tag failing, so a first login on a new device pins a key that
 * the member's own passphrase vouches for, not whatever the server presents.
 */
export interface KeyBundle {
  v: 1 | 2;
  kdf: KdfParams;
  /** v2 only: base64url organization public key. */
  organizationKey?: string;
  encryptionPublicKey: string;
  signingPublicKey: string;
  nonce: string;
  ciphertext: string;
}

const plaintextLength = 2 * keyLength;
const maxBundleText = 4096;

/** The fields in the clear are bound as associated data, so none can be swapped without the tag failing. */
function associatedData(bundle: Pick<KeyBundle, 'v' | 'kdf' | 'encryptionPublicKey' | 'signingPublicKey' | 'organizationKey'>): Uint8Array {
  const head = { v: bundle.v, kdf: bundle.kdf, encryptionPublicKey: bundle.encryptionPublicKey, signingPublicKey: bundle.signingPublicKey };
  return labelledJson(labels.keyBundle, bundle.v === 2 ? { ...head, organizationKey: bundle.organizationKey } : head);
}

/**
 * `params` must be the ones `master` was derived with; they are stored so the key can be derived again.
 * With `organizationKey` (base64url) the bundle is version 2 and binds it.
 */
export function sealKeyBundle(master: MasterKey, keys: MemberKeys, params: KdfParams, organizationKey?: string): KeyBundle {
  const base = {
    kdf: parseKdfParams(params),
    encryptionPublicKey: toBase64url(keys.encryption.publicKey),
    signingPublicKey: toBase64url(keys.signing.publicKey),
  };
  if (organizationKey !== undefined) new StrictReader('KEY_BUNDLE_MALFORMED').bytes(organizationKey, 'organizationKey', keyLength);
  const head: Omit<KeyBundle, 'nonce' | 'ciphertext'> = organizationKey === undefined ? { v: 1, ...base } : { v: 2, ...base, organizationKey };
  const wrapKey = deriveBundleKey(master);
  const plaintext = concatBytes(keys.encryption.privateKey, keys.signing.privateKey);
  const { nonce, ciphertext } = aeadEncrypt(wrapKey, plaintext, associatedData(head));
  wipe(wrapKey, plaintext);
  return { ...head, nonce: toBase64url(nonce), ciphertext: toBase64url(ciphertext) };
}

/** Strict validation of a bundle from the server (object or JSON text). */
export function parseKeyBundle(input: unknown): KeyBundle {
  const r = new StrictReader('KEY_BUNDLE_MALFORMED', maxBundleText);
  const fields = ['v', 'kdf', 'encryptionPublicKey', 'signingPublicKey', 'nonce', 'ciphertext'];
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 2);
  const v = (raw as { v?: unknown } | null)?.v === 2 ? 2 : 1;
  const o = r.object(raw, 'bundle', v === 2 ? [...fields, 'organizationKey'] : fields);
  r.literal(o.v, 'bundle.v', v);
  if (v === 2) r.bytes(o.organizationKey, 'bundle.organizationKey', keyLength);
  const kdf = parseKdfParams(o.kdf, r, 'bundle.kdf');
  r.bytes(o.encryptionPublicKey, 'bundle.encryptionPublicKey', keyLength);
  r.bytes(o.signingPublicKey, 'bundle.signingPublicKey', keyLength);
  r.bytes(o.nonce, 'bundle.nonce', xchachaNonceLength);
  r.bytes(o.ciphertext, 'bundle.ciphertext', plaintextLength + aeadTagLength);
  return {
    v,
    kdf,
    ...(v === 2 ? { organizationKey: o.organizationKey as string } : {}),
    encryptionPublicKey: o.encryptionPublicKey as string,
    signingPublicKey: o.signingPublicKey as string,
    nonce: o.nonce as string,
    ciphertext: o.ciphertext as string,
  };
}

/**
 * KEY_BUNDLE_WRONG_PASSPHRASE when the tag does not verify: a wrong
 * passphrase and a bundle altered on the server look the same from here.
 */
export function openKeyBundle(master: MasterKey, input: KeyBundle | unknown): MemberKeys {
  const bundle = parseKeyBundle(input);
  const r = new StrictReader('KEY_BUNDLE_MALFORMED');
  const wrapKey = deriveBundleKey(master);
  const plaintext = aeadDecrypt(
    wrapKey,
    r.bytes(bundle.nonce, 'nonce', xchachaNonceLength),
    r.bytes(bundle.ciphertext, 'ciphertext', plaintextLength + aeadTagLength),
    associatedData(bundle),
  );
  wipe(wrapKey);
  if (!plaintext) throw cryptoError('KEY_BUNDLE_WRONG_PASSPHRASE');
  const keys = memberKeysFromPrivate(plaintext.slice(0, keyLength) as X25519PrivateKey, plaintext.slice(keyLength) as Ed25519PrivateKey);
  wipe(plaintext);
  // Only someone holding the master key could produce this; checked anyway so a
  // bundle never yields private keys that disagree with the public ones served.
  const publicOk =
    constantTimeEqual(keys.encryption.publicKey, r.bytes(bundle.encryptionPublicKey, 'encryptionPublicKey', keyLength)) &&
    constantTimeEqual(keys.signing.publicKey, r.bytes(bundle.signingPublicKey, 'signingPublicKey', keyLength));
  if (!publicOk) throw cryptoError('KEY_BUNDLE_MALFORMED', { field: 'bundle', reason: 'public keys do not match' });
  return keys;
}

/**
 * The organization key a version-2 bundle binds, or null for version 1.
 * Trustworthy only once the same bundle opened with the member's passphrase
 * (openKeyBundle), which proves the field was not changed on the server.
 */
export function boundOrganizationKey(input: KeyBundle | unknown): string | null {
  return parseKeyBundle(input).organizationKey ?? null;
}
