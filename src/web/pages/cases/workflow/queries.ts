/**
 * Server state of the casework workflow through TanStack Query: the keys live
 * here (beside src/web/queries.ts, which holds the membership ones). Every key
 * of one case starts with `['cases', caseId]`, so a change invalidates the
 * case page's own reads with the same prefix.
 */
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { caseworkApi } from '../../../api/casework.js';
import { useSession } from '../../../session.js';

export const caseworkKeys = {
  /** Everything about cases: the list, each case, its tasks and timeline. */
  cases: ['cases'] as const,
  case: (caseId: string) => ['cases', caseId] as const,
  caseTasks: (caseId: string) => ['cases', caseId, 'tasks'] as const,
  timeline: (caseId: string) => ['cases', caseId, 'timeline'] as const,
  taskTitles: (caseId: string) => ['cases', caseId, 'task-titles'] as const,
  handoverCandidates: (fromId: string) => ['cases', 'handover', fromId] as const,
  myTasks: ['tasks', 'mine'] as const,
  myTaskTitles: ['tasks', 'mine', 'titles'] as const,
  notifications: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  colleagues: ['casework', 'colleagues'] as const,
};

/** Marks what a change made stale (each key a prefix), and waits for the refetch. */
export function useRefresh(): (...keys: QueryKey[]) => Promise<void> {
  const client = useQueryClient();
  return async (...keys) => {
    await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
  };
}

export const useCaseTasks = (caseId: string) => useQuery({ queryKey: caseworkKeys.caseTasks(caseId), queryFn: () => caseworkApi.tasks.ofCase(caseId) });
export const useMyTasks = () => useQuery({ queryKey: caseworkKeys.myTasks, queryFn: caseworkApi.tasks.mine });
export const useNotifications = () => useQuery({ queryKey: caseworkKeys.notifications, queryFn: () => caseworkApi.notifications.list() });

/** How often the bell asks when nothing else made it look: a colleague's escalation should not wait for a reload. */
const unreadEveryMs = 30_000;

export function useUnreadCount(enabled: boolean) {
  return useQuery({ queryKey: caseworkKeys.unread, queryFn: caseworkApi.notifications.unread, enabled, refetchInterval: enabled ? unreadEveryMs : false });
}

/** The signed-in member's id, once the session knows it. */
export function useMyId(): string | null {
  return useSession().info?.member.id ?? null;
}
