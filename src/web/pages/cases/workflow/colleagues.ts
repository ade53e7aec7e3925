/**
 * Colleagues as this browser trusts them, for choosing an assignee, a
 * specialist or a new owner and for naming who did what: only members whose
 * certificate the pinned organization key signed and whom the signed
 * membership list has as active (as the home page checks them). A grant is
 * sealed only to one of these keys, never to a key the server merely offers.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CertifiedMember, Role } from '../../../../core/index.js';
import { api } from '../../../api/client.js';
import { browserCounterStore, checkMembershipList, verifyDirectoryWithList } from '../../../membership.js';
import { useSession } from '../../../session.js';
import { caseworkKeys } from './queries.js';

export interface Colleague {
  id: string;
  name: string;
  role: Role;
  member: CertifiedMember;
}

export function useColleagues() {
  const session = useSession();
  const pinned = session.organizationKey;
  return useQuery({
    queryKey: [...caseworkKeys.colleagues, pinned ? 'pinned' : 'none'],
    enabled: pinned !== null,
    queryFn: async (): Promise<Map<string, Colleague>> => {
      const [entries, listed] = await Promise.all([api.members.directory(), api.organization.membershipList()]);
      const membership = checkMembershipList(pinned!, listed, browserCounterStore());
      const trusted = membership.state === 'verified' ? verifyDirectoryWithList(pinned!, membership.list, entries).trusted : [];
      return new Map(trusted.map(({ entry, member }) => [entry.id, { id: entry.id, name: member.name ?? entry.name, role: member.role, member }]));
    },
  });
}

/** A member's name as the organization certified it; a member this browser cannot vouch for is said so, with the start of the id. */
export function useNameOf(): (memberId: string | null | undefined) => string {
  const { t } = useTranslation();
  const colleagues = useColleagues().data;
  const me = useSession().info?.member;
  return (memberId) => {
    if (!memberId) return t('casework.people.nobody');
    if (me && memberId === me.id) return t('casework.people.you', { name: me.name });
    const known = colleagues?.get(memberId);
    return known ? known.name : t('casework.people.unknown', { id: memberId.slice(0, 8) });
  };
}

/** Roles that own and manage cases (the role table's casekeepers). */
export const casekeeperRoles: readonly Role[] = ['administrator', 'coordinator', 'specialist'];
