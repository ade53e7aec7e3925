import type { MemberStatus } from '../api/members.js';
import type { MemberId } from '../domain/ids.js';
import type { Role } from '../domain/roles.js';
import type { Action } from './actions.js';

/**
 * A member account as the member policy sees it: loaded by the server
 * (src/server/members/repository/access-records.ts) for the route's `:id`, or
 * for the caller's own account.
 */
export interface MemberAccessRecord {
  kind: 'member';
  id: MemberId;
  status: MemberStatus;
  role: Role;
}

/**
 * Whom an action on a member account may touch:
 * - `own`: only the caller's own account (`/api/me/*`, sessions, logging out);
 * - `other`: only someone else's (an administrator may not suspend, remove or
 *   change the role of themselves: another administrator must, so no one
 *   locks the organization out alone);
 * - `any`: either (an administrator renews their own certificate; reinstating
 *   oneself is a harmless no-op, as it always was).
 */
export type MemberReach = 'own' | 'other' | 'any';

export const memberRules = {
  'member.certify': 'any',
  'member.changeRole': 'other',
  'member.suspend': 'other',
  'member.reinstate': 'any',
  'member.remove': 'other',
  'auth.secondFactor': 'own',
  'auth.webauthnOptions': 'own',
  'auth.webauthn': 'own',
  'auth.logout': 'own',
  'session.read': 'own',
  'session.logoutEverywhere': 'own',
  'me.keys': 'own',
  'me.changePassphrase': 'own',
  'me.challenge': 'own',
  'me.account': 'own',
  'me.addAuthenticator': 'own',
  'me.renameAuthenticator': 'own',
  'me.removeAuthenticator': 'own',
  'me.regenerateRecoveryCodes': 'own',
  'me.reenrollTotp': 'own',
  'me.sessions': 'own',
  'me.endSession': 'own',
} as const satisfies Partial<Record<Action, MemberReach>>;

export type MemberAction = keyof typeof memberRules;

export function isMemberAction(action: Action): action is MemberAction {
  return Object.hasOwn(memberRules, action);
}

/** Why the member policy refused, beyond the role table. */
export type MemberRefusal = 'not_found' | 'self' | 'not_own';

/** The member policy alone (the role table is asked first, in ./resources.ts). */
export function decideOnMember(action: MemberAction, actorId: MemberId, record: MemberAccessRecord | null): MemberRefusal | null {
  // A removed member is gone for every action: the same answer as an id that never existed.
  if (record === null || record.status === 'removed') return 'not_found';
  const own = record.id === actorId;
  const reach: MemberReach = memberRules[action];
  if (reach === 'own' && !own) return 'not_own';
  if (reach === 'other' && own) return 'self';
  return null;
}
