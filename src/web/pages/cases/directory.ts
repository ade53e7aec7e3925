/*
 * Colleagues a case may be sealed to: the directory checked against the
 * pinned organization key AND the signed membership list (fresher than any
 * this browser saw), as the home page checks it. Nothing is ever sealed to
 * an entry outside `trusted`.
 */
import { useQuery } from '@tanstack/react-query';
import type { CertifiedMember, DirectoryEntry } from '../../../core/index.js';
import { api } from '../../api/client.js';
import { browserCounterStore, checkMembershipList, verifyDirectoryWithList } from '../../membership.js';
import { queryKeys } from '../../queries.js';
import { useSession } from '../../session.js';

export interface TrustedDirectory {
  trusted: CertifiedMember[];
  /** Why the list could not be used, when it could not (a trust failure code). */
  problem: string | null;
  byId(memberId: string | null | undefined): CertifiedMember | null;
}

export function useTrustedDirectory() {
  const session = useSession();
  const pinned = session.organizationKey;
  return useQuery({
    queryKey: [...queryKeys.directory, 'trusted', pinned ? 'pinned' : 'none'],
    enabled: pinned !== null,
    queryFn: async (): Promise<TrustedDirectory> => {
      const [entries, listed] = await Promise.all([api.members.directory(), api.organization.membershipList()]);
      const membership = checkMembershipList(pinned!, listed, browserCounterStore());
      const trusted =
        membership.state === 'verified' ? verifyDirectoryWithList<DirectoryEntry>(pinned!, membership.list, entries).trusted.map((t) => t.member) : [];
      const map = new Map(trusted.map((m) => [m.memberId as string, m]));
      return {
        trusted,
        problem: membership.state === 'failed' ? membership.code : membership.state === 'missing' ? 'MEMBERSHIP_LIST_MISSING' : null,
        byId: (memberId) => (memberId ? (map.get(memberId) ?? null) : null),
      };
    },
  });
}
