import type { CaseCompartmentName, CaseStatus } from '../domain/cases.js';
import type { CaseId, MemberId } from '../domain/ids.js';
import type { Role } from '../domain/roles.js';
import type { Action } from './actions.js';

/**
 * A case as the case policy sees it: loaded by the server
 * (src/server/cases/repository/access-records.ts) for the route's `:caseId`,
 * with the compartments the *caller* currently holds (a grant at the current
 * epoch, not revoked).
 */
export interface CaseAccessRecord {
  kind: 'case';
  id: CaseId;
  status: CaseStatus;
  ownerId: MemberId | null;
  specialistIds: readonly MemberId[];
  held: readonly CaseCompartmentName[];
}

/**
 * Who may act on a case:
 * - `reader`: whoever is involved — its owner, a specialist on it, a holder of
 *   any compartment — and administrators. Reading ciphertext needs a grant on
 *   top (the use case checks the compartment; the key is the first wall);
 * - `manager`: the owner, its specialists and administrators (workflow);
 * - `owner`: the owner and administrators (assignment, timeline, access log);
 * - `holder`: a holder of at least one compartment (grants, rotation, records;
 *   the use case checks the compartment named in the request).
 */
export type CaseReach = 'reader' | 'manager' | 'owner' | 'holder';

export const caseRules = {
  'case.read': 'reader',
  'case.update': 'manager',
  'case.assign': 'owner',
  'case.escalate': 'manager',
  'case.flag': 'reader',
  'case.timeline': 'owner',
  'case.requestAccess': 'reader',
  'case.grant': 'holder',
  'case.revoke': 'manager',
  'case.rotate': 'holder',
  'case.records': 'holder',
  'case.writeRecord': 'holder',
  'case.tasks': 'reader',
  'case.export': 'holder',
} as const satisfies Partial<Record<Action, CaseReach>>;

export type CaseAction = keyof typeof caseRules;

export function isCaseAction(action: Action): action is CaseAction {
  return Object.hasOwn(caseRules, action);
}

export type CaseRefusal = 'not_found' | 'not_involved';

function involved(actorId: MemberId, record: CaseAccessRecord): { owner: boolean; manager: boolean; holder: boolean } {
  const owner = record.ownerId === actorId;
  const manager = owner || record.specialistIds.includes(actorId);
  return { owner, manager, holder: record.held.length > 0 };
}

/**
 * The case policy alone (the role table is asked first). A case the caller is
 * not involved in is answered as absent, so ids cannot be probed.
 */
export function decideOnCase(action: CaseAction, actor: { id: MemberId; role: Role }, record: CaseAccessRecord | null): CaseRefusal | null {
  if (record === null) return 'not_found';
  const admin = actor.role === 'administrator';
  const is = involved(actor.id, record);
  if (!admin && !is.manager && !is.holder) return 'not_found';
  const reach: CaseReach = caseRules[action];
  switch (reach) {
    case 'reader':
      return null;
    case 'manager':
      return admin || is.manager ? null : 'not_involved';
    case 'owner':
      return admin || is.owner ? null : 'not_involved';
    case 'holder':
      return is.holder ? null : 'not_involved';
  }
}

/** What the case page may offer (presented by the server with the case). */
export interface CaseAbilities {
  update: boolean;
  assign: boolean;
  escalate: boolean;
  timeline: boolean;
  revoke: boolean;
  grant: boolean;
}
