/*
 * The organization's signed membership list, as this browser checks it: the
 * signature against the pinned organization key, and the counter against the
 * highest one this browser has seen (kept in localStorage beside the pin), so
 * a server that serves an older list — one in which a removed member was
 * still active — is caught. Colleagues are trusted only as the list states
 * them (src/core/membership/directory.ts, trustListedMember).
 */
import {
  isClearingError,
  trustListedMember,
  verifyMembershipList,
  type MembershipListResponse,
  type OrganizationPublicKey,
  type VerifiedMembershipList,
} from '../core/index.js';
import type { DirectoryCheck, OfferedMember } from './trust.js';

export const membershipCounterKey = 'clearing.membershipListCounter';

export interface CounterStore {
  get(): number;
  set(value: number): void;
}

export function browserCounterStore(storage: Pick<Storage, 'getItem' | 'setItem'> = window.localStorage): CounterStore {
  return {
    get: () => {
      try {
        const n = Number(storage.getItem(membershipCounterKey) ?? '0');
        return Number.isSafeInteger(n) && n > 0 ? n : 0;
      } catch {
        return 0;
      }
    },
    set: (value) => storage.setItem(membershipCounterKey, String(value)),
  };
}

export type MembershipCheck =
  | { state: 'verified'; list: VerifiedMembershipList }
  /** No list published yet, and this browser never saw one. */
  | { state: 'missing' }
  /** A trust failure: forged, another organization's, or older than one seen (code from src/core/crypto/messages.ts). */
  | { state: 'failed'; code: string };

export function checkMembershipList(pinned: OrganizationPublicKey, response: Pick<MembershipListResponse, 'list'>, store: CounterStore): MembershipCheck {
  const seen = store.get();
  if (response.list === null || response.list === undefined) return seen > 0 ? { state: 'failed', code: 'MEMBERSHIP_LIST_ROLLBACK' } : { state: 'missing' };
  try {
    const list = verifyMembershipList(pinned, response.list, { minCounter: seen });
    if (list.counter > seen) store.set(list.counter);
    return { state: 'verified', list };
  } catch (error) {
    if (isClearingError(error)) return { state: 'failed', code: error.code };
    throw error;
  }
}

/** Splits the directory: trusted only when certified AND listed as active with the same name, role and keys. */
export function verifyDirectoryWithList<T extends OfferedMember>(
  pinned: OrganizationPublicKey,
  list: VerifiedMembershipList,
  entries: readonly T[],
): DirectoryCheck<T> {
  const result: DirectoryCheck<T> = { trusted: [], rejected: [] };
  for (const entry of entries) {
    try {
      result.trusted.push({ entry, member: trustListedMember(pinned, list, { ...entry, certificate: entry.certificate }) });
    } catch (error) {
      if (!isClearingError(error) || error.code !== 'KEY_SUBSTITUTION') throw error;
      result.rejected.push({ entry, code: String(error.params.reason) });
    }
  }
  return result;
}
