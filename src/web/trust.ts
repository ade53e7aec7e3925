/*
 * What this browser trusts, and the checks that decide it. Pure functions over
 * a small storage interface, so the rules are unit-tested without a browser:
 * the organization key is pinned on first use (setup, invitation, first
 * login) and every later answer from the server is compared with the pin; a
 * colleague's keys count only when the pinned organization key signed them.
 */
import {
  constantTimeEqual,
  decodeOrganizationPublicKey,
  decodePublicKey,
  fingerprint,
  isClearingError,
  organizationFingerprint,
  trustDirectoryEntry,
  type CertifiedMember,
  type OrganizationPublicKey,
  type Role,
} from '../core/index.js';

/** Where the pin lives; localStorage in the app, a Map in tests. */
export interface PinStore {
  get(): string | null;
  set(value: string): void;
}

export const organizationPinKey = 'clearing.organizationKey';

export function browserPinStore(storage: Pick<Storage, 'getItem' | 'setItem'> = window.localStorage): PinStore {
  return {
    get: () => {
      try {
        return storage.getItem(organizationPinKey);
      } catch {
        return null;
      }
    },
    set: (value) => storage.setItem(organizationPinKey, value),
  };
}

export function decodeOrganizationKeyOrNull(encoded: string | null | undefined): OrganizationPublicKey | null {
  if (typeof encoded !== 'string') return null;
  try {
    return decodeOrganizationPublicKey(encoded);
  } catch {
    return null;
  }
}

/** The fingerprint computed here from the key itself: the server's own fingerprint string is never shown. */
export function organizationFingerprintOf(encoded: string | null | undefined): string | null {
  const key = decodeOrganizationKeyOrNull(encoded);
  return key ? organizationFingerprint(key) : null;
}

export type PinCheck =
  /** Nothing was pinned; the offered key is now (trust on first use). */
  | { state: 'pinned'; key: OrganizationPublicKey }
  | { state: 'match'; key: OrganizationPublicKey }
  /** The server offers another key than the pinned one, or none, or garbage. */
  | { state: 'mismatch'; pinned: string; offered: string | null; offeredFingerprint: string | null }
  /** Nothing pinned and nothing usable offered: nothing can be verified yet. */
  | { state: 'unavailable' }
  /**
   * Nothing pinned, and the key bundle (version 1) binds no organization key:
   * the person compares the fingerprint with the one an administrator gave
   * them before anything is trusted (src/web/pin.ts).
   */
  | { state: 'unconfirmed'; offered: string; offeredFingerprint: string };

/** Compares the server's organization key with the pin; pins it when there is none yet. */
export function checkOrganizationPin(store: PinStore, offered: string | null | undefined, options: { pinIfNew: boolean } = { pinIfNew: true }): PinCheck {
  const offeredKey = decodeOrganizationKeyOrNull(offered);
  const pinned = store.get();
  const pinnedKey = decodeOrganizationKeyOrNull(pinned);
  if (pinned === null || pinnedKey === null) {
    if (!offeredKey) return { state: 'unavailable' };
    if (options.pinIfNew) store.set(offered as string);
    return { state: 'pinned', key: offeredKey };
  }
  if (offeredKey && constantTimeEqual(offeredKey, pinnedKey)) return { state: 'match', key: pinnedKey };
  return {
    state: 'mismatch',
    pinned,
    offered: typeof offered === 'string' ? offered : null,
    offeredFingerprint: offeredKey ? organizationFingerprint(offeredKey) : null,
  };
}

/** Pins a key the person has just compared (setup, invitation) or explicitly accepted as the new one. */
export function pinOrganizationKey(store: PinStore, encoded: string): OrganizationPublicKey {
  const key = decodeOrganizationPublicKey(encoded);
  store.set(encoded);
  return key;
}

/** A member's key fingerprint (encryption key, then signing key), or null when a key is malformed. */
export function memberFingerprintOf(encryptionPublicKey: string, signingPublicKey: string): string | null {
  try {
    return fingerprint(decodePublicKey(encryptionPublicKey, 'x25519'), decodePublicKey(signingPublicKey, 'ed25519'));
  } catch {
    return null;
  }
}

/** The public facts the server offers about a member, beside the certificate it offers for them. */
export interface OfferedMember {
  id: string;
  /** The server's word; shown only once a certificate (v2) vouches for exactly this name. */
  name: string;
  role: Role;
  encryptionPublicKey: string;
  signingPublicKey: string;
  certificate: unknown;
}

export type CertificateCheck =
  | { state: 'none' }
  | { state: 'valid'; member: CertifiedMember }
  /** A version-1 certificate: the keys were vouched for, the name never was; an administrator certifies again. */
  | { state: 'outdated' }
  /** A certificate is there but does not vouch for these keys, this id, this name or this role under the pinned key. */
  | { state: 'invalid'; code: string };

/**
 * Checks the certificate against the pinned organization key AND against the
 * keys, id and role served beside it: a valid certificate next to substituted
 * keys is a substitution, not a certified member.
 */
export function checkMemberCertificate(pinned: OrganizationPublicKey, offered: OfferedMember): CertificateCheck {
  if (offered.certificate === null || offered.certificate === undefined) return { state: 'none' };
  try {
    return { state: 'valid', member: trustDirectoryEntry(pinned, { ...offered, certificate: offered.certificate }) };
  } catch (error) {
    // Keep the exact reason (wrong organization, bad signature, other keys) for the warning shown.
    if (isClearingError(error) && error.code === 'KEY_SUBSTITUTION') {
      return error.params.reason === 'CERTIFICATE_OUTDATED' ? { state: 'outdated' } : { state: 'invalid', code: String(error.params.reason) };
    }
    throw error;
  }
}

export interface DirectoryCheck<T extends OfferedMember> {
  trusted: Array<{ entry: T; member: CertifiedMember }>;
  /** Never to be shared with; the UI flags each one. */
  rejected: Array<{ entry: T; code: string }>;
}

/** Splits the server's directory into members whose keys the organization signed and the rest. */
export function verifyDirectory<T extends OfferedMember>(pinned: OrganizationPublicKey, entries: readonly T[]): DirectoryCheck<T> {
  const result: DirectoryCheck<T> = { trusted: [], rejected: [] };
  for (const entry of entries) {
    const check = checkMemberCertificate(pinned, entry);
    if (check.state === 'valid') result.trusted.push({ entry, member: check.member });
    else
      result.rejected.push({
        entry,
        code: check.state === 'invalid' ? check.code : check.state === 'outdated' ? 'CERTIFICATE_OUTDATED' : 'CERTIFICATE_INVALID',
      });
  }
  return result;
}
