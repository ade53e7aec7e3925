/**
 * The one place the browser holds private keys, outside React (in the manner
 * of Bitwarden's key service): typed getters, the organization key opened only
 * for the length of one call, and `wipeAll()` on lock, idle, logout and
 * session loss. React state holds only whether keys are open, never the keys,
 * so nothing renders, copies or logs them by accident.
 */
import { openOrganizationKey, wipeMemberKeys, type MemberKeys, type OrganizationKeyPair, type OrganizationPublicKey } from '../../core/index.js';
import { ApiError } from '../api.js';

export class KeyStore {
  #member: MemberKeys | null = null;
  /** Ciphertext the server keeps for administrators; opened only for the moment a signature needs it. */
  #sealedOrganizationKey: unknown = null;
  /**
   * The authentication public key the server accepted a proof for at this
   * session's login. Public, but kept in memory only (with it a reader could
   * test passphrase guesses offline); it survives lock so that Unlock can
   * tell a mistyped passphrase from a bundle changed on the server.
   */
  #authPublicKey: string | null = null;
  readonly #listeners = new Set<() => void>();

  rememberAuthPublicKey(key: string): void {
    this.#authPublicKey = key;
  }

  /** Null after a reload: then Unlock cannot tell the two apart and says the usual thing. */
  authPublicKey(): string | null {
    return this.#authPublicKey;
  }

  /** Logout or session loss: the keys and everything about the login. */
  forgetSession(): void {
    this.#authPublicKey = null;
    this.wipeAll();
  }

  /** The member's own keys, or null while locked. */
  memberKeys(): MemberKeys | null {
    return this.#member;
  }

  hasMemberKeys(): boolean {
    return this.#member !== null;
  }

  /** Whether this member can open the organization key (an administrator whose key was sealed to them). */
  hasOrganizationKey(): boolean {
    return this.#member !== null && this.#sealedOrganizationKey !== null;
  }

  /** Replaces the open keys (the old ones are wiped, unless they are the same object). */
  setMemberKeys(keys: MemberKeys, sealedOrganizationKey: unknown): void {
    if (this.#member && this.#member !== keys) wipeMemberKeys(this.#member);
    this.#member = keys;
    this.#sealedOrganizationKey = sealedOrganizationKey ?? null;
    this.#changed();
  }

  /**
   * Opens the organization key, checked against `pinned`, for one call, and
   * wipes its private half right after, whatever the call does.
   */
  withOrganizationKey<T>(pinned: OrganizationPublicKey | null, use: (pair: OrganizationKeyPair) => T): T {
    if (!this.#member || !pinned || this.#sealedOrganizationKey === null) throw new ApiError('FORBIDDEN', 0, 'no organization key');
    const pair = openOrganizationKey(this.#sealedOrganizationKey, this.#member, pinned);
    try {
      return use(pair);
    } finally {
      pair.privateKey.fill(0);
    }
  }

  /** Forgets every key: lock, idle, logout, session loss, the app unmounting. */
  wipeAll(): void {
    const had = this.#member !== null || this.#sealedOrganizationKey !== null;
    if (this.#member) wipeMemberKeys(this.#member);
    this.#member = null;
    this.#sealedOrganizationKey = null;
    if (had) this.#changed();
  }

  /** Called after every change, so a React provider can re-render. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** The app's key store; tests make their own. */
export const keyStore = new KeyStore();
