import type { AuthKey } from '../primitives/keys.js';
import { canonicalJson, toBase64url, wipe } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { openKeyBundle, parseKeyBundle, sealKeyBundle, type KeyBundle } from './bundle.js';
import { defaultKdfPolicy, deriveAuthKey, deriveMasterKey, newKdfParams, parseKdfParams, type KdfParams, type KdfPolicy } from './kdf.js';
import { generateMemberKeys, type MemberKeys } from './keys.js';
import { deriveAuthKeyPair, encodeAuthPublicKey, signLoginProof, type AuthKeyPair, type LoginProofContext } from './login-proof.js';
import { signWithMemberKey } from '../trust/signatures.js';

/*
 * The use cases a person goes through: join (create keys), log in (unlock),
 * change passphrase. The master key lives only inside these functions; callers
 * get the member keys, the bundle for the server and the authentication key.
 */

export interface NewMember {
  keys: MemberKeys;
  /** Store on the server. */
  bundle: KeyBundle;
  /** Its public half goes to the server at signup; the private half signs each login's challenge. */
  auth: AuthKeyPair;
  /** The pre-proof login key (kept for tests of accounts made before proofs); never sent by new clients. */
  authKey: AuthKey;
}

/** `organizationKey` (base64url): the organization key the person compared; the bundle (v2) binds it. */
export async function createMember(
  passphrase: string,
  params: KdfParams = newKdfParams(),
  policy: KdfPolicy = defaultKdfPolicy,
  organizationKey?: string,
): Promise<NewMember> {
  const master = await deriveMasterKey(passphrase, params, policy);
  const keys = generateMemberKeys();
  const bundle = sealKeyBundle(master, keys, params, organizationKey);
  const authKey = deriveAuthKey(master);
  const auth = deriveAuthKeyPair(master);
  wipe(master);
  return { keys, bundle, authKey, auth };
}

/** Derives the login key from the passphrase and the bundle's parameters, then opens the bundle. */
export async function unlockMember(
  passphrase: string,
  bundle: KeyBundle | unknown,
  policy: KdfPolicy = defaultKdfPolicy,
): Promise<{ keys: MemberKeys; authKey: AuthKey; auth: AuthKeyPair }> {
  const parsed = parseKeyBundle(bundle);
  const master = await deriveMasterKey(passphrase, parsed.kdf, policy);
  try {
    return { keys: openKeyBundle(master, parsed), authKey: deriveAuthKey(master), auth: deriveAuthKeyPair(master) };
  } finally {
    wipe(master);
  }
}

export interface PendingLogin {
  /** Sent only once, by an account made before login proofs, to move to them (the server then forgets it). */
  authKey: AuthKey;
  /** The authentication public key, base64url: what the server stores. */
  authPublicKey: string;
  /** Signs the server's challenge for this member, origin and purpose. */
  prove(context: LoginProofContext): string;
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
  const auth = deriveAuthKeyPair(master);
  return {
    authKey: deriveAuthKey(master),
    authPublicKey: encodeAuthPublicKey(auth),
    prove: (context) => signLoginProof(auth.privateKey, context),
    openBundle: (bundle) => {
      const parsed = parseKeyBundle(bundle);
      // A bundle under other parameters cannot be this passphrase's; say so plainly.
      if (parsed.kdf.salt !== params.salt) throw cryptoError('KEY_BUNDLE_WRONG_PASSPHRASE', { field: 'kdf.salt' });
      return openKeyBundle(master, parsed);
    },
    wipe: () => wipe(master, auth.privateKey),
  };
}

/**
 * Re-wraps the same member keys under a new passphrase and a fresh salt. The
 * parameters never go down: each setting is the larger of the old bundle's
 * and the new defaults (or `newParams`, when given, as tests do).
 */
export async function rewrapKeyBundle(
  oldPassphrase: string,
  newPassphrase: string,
  bundle: KeyBundle | unknown,
  newParams?: KdfParams,
  policy: KdfPolicy = defaultKdfPolicy,
): Promise<{ bundle: KeyBundle; authKey: AuthKey; auth: AuthKeyPair; previousAuth: AuthKeyPair; keys: MemberKeys }> {
  const { keys, auth: previousAuth } = await unlockMember(oldPassphrase, bundle, policy);
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
    return {
      bundle: sealKeyBundle(master, keys, params, parseKeyBundle(bundle).organizationKey),
      authKey: deriveAuthKey(master),
      auth: deriveAuthKeyPair(master),
      previousAuth,
      keys,
    };
  } finally {
    wipe(master);
  }
}

/**
 * What the member's signing key vouches for when the passphrase changes: the
 * new bundle and the new authentication key belong to this member. The server
 * checks it against the signing key it already holds, so it cannot be talked
 * into storing a bundle that does not wrap the member's real keys.
 */
export function passphraseChangeStatement(memberId: string, keyBundle: KeyBundle, authPublicKey: string): Uint8Array {
  return canonicalJson({ memberId, keyBundle, authPublicKey });
}

/** The label of the member signature over passphraseChangeStatement (see trust/signatures.ts). */
export const passphraseChangeSignatureLabel = 'passphrase-change';

/** The request body of POST /api/me/passphrase, less the second-factor code the person types. */
export interface PassphraseChangeProof {
  challenge: string;
  /** Signed by the current authentication key: whoever sends this knows the current passphrase now. */
  proof: string;
  keyBundle: KeyBundle;
  authPublicKey: string;
  /** The member's signature (label passphraseChangeSignatureLabel) over passphraseChangeStatement. */
  bundleSignature: string;
}

/** Re-wraps the same keys under a new passphrase and proves, to a server that cannot open them, that they are the same keys. */
export async function preparePassphraseChange(input: {
  memberId: string;
  oldPassphrase: string;
  newPassphrase: string;
  bundle: KeyBundle | unknown;
  challenge: string;
  origin: string;
  newParams?: KdfParams;
  policy?: KdfPolicy;
}): Promise<PassphraseChangeProof> {
  const changed = await rewrapKeyBundle(input.oldPassphrase, input.newPassphrase, input.bundle, input.newParams, input.policy);
  try {
    const authPublicKey = encodeAuthPublicKey(changed.auth);
    const proof = signLoginProof(changed.previousAuth.privateKey, {
      purpose: 'passphrase-change',
      challenge: input.challenge,
      memberId: input.memberId,
      origin: input.origin,
    });
    const statement = passphraseChangeStatement(input.memberId, changed.bundle, authPublicKey);
    const bundleSignature = toBase64url(signWithMemberKey(changed.keys.signing.privateKey, passphraseChangeSignatureLabel, statement));
    return { challenge: input.challenge, proof, keyBundle: changed.bundle, authPublicKey, bundleSignature };
  } finally {
    wipe(changed.auth.privateKey, changed.previousAuth.privateKey, changed.keys.encryption.privateKey, changed.keys.signing.privateKey);
  }
}
