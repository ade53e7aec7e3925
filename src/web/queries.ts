/**
 * Server state through TanStack Query: one key per GET endpoint, so a change
 * names exactly what it makes stale. Every mutation ends with
 * `invalidate(...)`; a tab coming back into focus refetches what it shows
 * (a colleague may have certified you, an invitation may have been used).
 */
import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { toApiError, type ApiError } from './api.js';
import { api } from './api/client.js';

export const queryKeys = {
  members: ['members'] as const,
  invitations: ['invitations'] as const,
  keyRotations: ['organization', 'key-rotations'] as const,
  membershipList: ['organization', 'membership-list'] as const,
  directory: ['members', 'directory'] as const,
  account: ['me', 'account'] as const,
  sessions: ['me', 'sessions'] as const,
  /** Every case read: the list, each case, its records (one prefix, so a change to a case can mark all of it stale). */
  cases: ['cases'] as const,
  pendingRotations: ['rotations', 'pending'] as const,
};

/** A key of queryKeys, or one under the cases prefix (a case, its records). */
export type QueryKey = (typeof queryKeys)[keyof typeof queryKeys] | readonly ['cases', ...unknown[]];

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Answers are small and the server is the only truth: refetch on focus and after changes, not on a timer.
        staleTime: 0,
        refetchOnWindowFocus: true,
        // A refused request (403, a session gone) will not succeed by trying again.
        retry: (count, error) => count < 1 && toApiError(error).status >= 500,
      },
    },
  });
}

/** Marks what a change made stale; pages await it so the table shows the new state before the busy indicator goes. */
export function useInvalidate(): (...keys: QueryKey[]) => Promise<void> {
  const client = useQueryClient();
  return async (...keys) => {
    await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
  };
}

/** The typed reads pages use. */
export const useMembers = () => useQuery({ queryKey: queryKeys.members, queryFn: api.members.list });
export const useInvitations = () => useQuery({ queryKey: queryKeys.invitations, queryFn: api.invitations.list });
export const useKeyRotations = () => useQuery({ queryKey: queryKeys.keyRotations, queryFn: api.organization.keyRotations });
export const useAccount = () => useQuery({ queryKey: queryKeys.account, queryFn: api.me.account });
export const useSessions = () => useQuery({ queryKey: queryKeys.sessions, queryFn: api.me.sessions });

/** The error of a query, as the ApiError ErrorNotice translates. */
export function queryError(error: unknown): ApiError | null {
  return error ? toApiError(error) : null;
}
