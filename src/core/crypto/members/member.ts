import type { AuthKey } from '../primitives/keys.js';
import { wipe } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { openKeyBundle, parseKeyBundle, sealKeyBundle, type KeyBundle } from './bundle.js';
import { defaultKdfPolicy, deriveAuthKey, deriveMasterKey, newKdfParams, parseKdfParams, type KdfParams, type KdfPolicy } from './kdf.js';
import { generateMemberKeys, type MemberKeys } from './keys.js';

/*
 * The use cases a person goes through: join (create keys), log in (unlock),
 * change passphrase. The master key lives only inside these functions; callers
 * get the member keys, the bundle for the server and the authentication key.
 */

export interface NewMember {
  keys: MemberKeys;
  /** Store on the server. */
  bundle: KeyBundle;
  /** Send to the server at signup, which keeps only a slow hash of it. */
  authKey: AuthKey;
}

/** `organizationKey` (base64url): the organization key the person compared; the bundle (v2) binds it. */
export async function createMember(passphrase: string, params: KdfParams = newKdfParams(), policy: KdfPolicy = defaultKdfPolicy, organizationKey?: string): Promise<NewMember> {
  const master = await deriveMasterKey(passphrase, params, policy);
  const keys = generateMemberKeys();
  const bundle = sealKeyBundle(master, keys, params, organizationKey);
  const authKey = deriveAuthKey(master);
  wipe(master);
  return { keys, bundle, authKey };
}

/** Derives the login key from the passphrase and the bundle's parameters, then opens the bundle. */
export async function unlockMember(passphrase: string, bundle: KeyBundle | unknown, policy: KdfPolicy = defaultKdfPolicy): Promise<{ keys: MemberKeys; authKey: AuthKey }> {
  const parsed = parseKeyBundle(bundle);
  const master = await deriveMasterKey(passphrase, parsed.kdf, policy);
  try {
    return { keys: openKeyBundle(master, parsed), authKey: deriveAuthKey(master) };
  } finally {
    wipe(master);
  }
}

export interface PendingLogin {
  /** Send this to the server to log in. */
  authKey: AuthKey;
  /** Opens the bundle the server returns after login; callable until wipe(). */
  openBundle(bundle: KeyBundle | unknown): MemberKeys;
  /** Forgets the master key. */
  wipe(): void;
}

/**
 * Login when the server releases the bundle only to an authenticated session
 * (so nobody can fetch it to guess passphrases offline): derive the
 * authentication key from the KDF parameters the server publishes for the
 * member name, log in, then open the bundle. The master key stays inside.
 */
export async function prepareLogin(passphrase: string, kdf: KdfParams | unknown, policy: KdfPolicy = defaultKdfPolicy): Promise<PendingLogin> {
  const params = parseKdfParams(kdf);
  const master = await deriveMasterKey(passphrase, params, policy);
  return {
    authKey: deriveAuthKey(master),
    openBundle: (bundle) => {
      const parsed = parseKeyBundle(bundle);
      // A bundle under other parameters cannot be this passphrase's; say so plainly.
      if (parsed.kdf.salt !== params.salt) throw cryptoError('KEY_BUNDLE_WRONG_PASSPHRASE', { field: 'kdf.salt' });
      return openKeyBundle(master, parsed);
    },
    wipe: () => wipe(master),
  };
}

/**
 * Re-wraps the same member keys under a new passphrase and a fresh salt. The
 * parameters never go down: each setting is the larger of the old bundle's
 * and the new defaults (or `newParams`, when given, as tests do).
 */
export async function changePassphrase(
  oldPassphrase: string,
  newPassphrase: string,
  bundle: KeyBundle | unknown,
  newParams?: KdfParams,
  policy: KdfPolicy = defaultKdfPolicy,
): Promise<{ bundle: KeyBundle; authKey: AuthKey }> {
  const { keys } = await unlockMember(oldPassphrase, bundle, policy);
  const old = parseKeyBundle(bundle).kdf;
  const params =
    newParams ??
    (() => {
      const fresh = newKdfParams();
      return newKdfParams({
        memoryKiB: Math.max(fresh.memoryKiB, old.memoryKiB),
        iterations: Math.max(fresh.iterations, old.iterations),
        parallelism: Math.max(fresh.parallelism, old.parallelism),
      });
    })();
  const master = await deriveMasterKey(newPassphrase, params, policy);
  try {
    // The organization key bound stays what it was: only a login that verified a rotation moves it.
    return { bundle: sealKeyBundle(master, keys, params, parseKeyBundle(bundle).organizationKey), authKey: deriveAuthKey(master) };
  } finally {
    wipe(master, keys.encryption.privateKey, keys.signing.privateKey);
  }
}
