import type { MemberId } from '../domain/ids.js';
import type { Role } from '../domain/roles.js';
import type { SessionStage } from '../api/members.js';
import { mayPerform, type Action } from './actions.js';
import { decideOnMember, isMemberAction, type MemberAccessRecord, type MemberAction, type MemberRefusal } from './member.js';
import { decideOnCase, isCaseAction, type CaseAccessRecord, type CaseRefusal } from './case.js';

/**
 * Resource policies: what an actor may do to one loaded resource, on top of
 * the role table (./actions.ts). Outline's `server/policies/*` in spirit: one
 * small file per resource (./member.ts; `./case.ts` next, deciding from the
 * case's assignee, specialists, the grants the actor holds and its status),
 * one pure function that combines them, asked by the one hook in
 * src/server/http/authorize.ts and by the server when it presents abilities.
 */

/** Who is asking: the session's member, as far as their login has gone. */
export interface PolicyActor {
  id: MemberId;
  role: Role;
  certified: boolean;
  stage: SessionStage;
}

/** What the server loads for the resource a route acts on. `kind` tells the policies apart. */
export type AccessRecord = MemberAccessRecord | CaseAccessRecord;
export type ResourceKind = AccessRecord['kind'];

/**
 * How a route names its resource (`config.resource`):
 * - `member`: the member account whose id is the route's `:id`;
 * - `ownAccount`: the caller's own member account;
 * - `case`: the case whose id is the route's `:caseId`.
 */
export type ResourceDeclaration = 'member' | 'ownAccount' | 'case';

export function isResourceDeclaration(value: unknown): value is ResourceDeclaration {
  return value === 'member' || value === 'ownAccount' || value === 'case';
}

export type Refusal = 'auth_required' | 'second_factor_required' | 'role' | MemberRefusal | CaseRefusal;
export type Decision = { allowed: true } | { allowed: false; reason: Refusal };

const allow: Decision = { allowed: true };
const refuse = (reason: Refusal): Decision => ({ allowed: false, reason });

/** Whether an action is decided per resource: a route performing it must declare the resource it acts on. */
export function needsResource(action: Action): boolean {
  return isMemberAction(action) || isCaseAction(action);
}

/** The role table's answer, with the reason for a refusal. */
export function decideByRole(action: Action, actor: PolicyActor | null): Decision {
  if (mayPerform(action, actor)) return allow;
  if (!actor) return refuse('auth_required');
  if (actor.stage !== 'full') return refuse('second_factor_required');
  return refuse('role');
}

/**
 * The whole decision: the role table, then the resource's own policy. A
 * record of the wrong kind for the action is a programming error, refused.
 */
export function decide(action: Action, actor: PolicyActor | null, record: AccessRecord | null): Decision {
  const byRole = decideByRole(action, actor);
  if (!byRole.allowed || !actor || !needsResource(action)) return byRole;
  if (isMemberAction(action)) {
    if (record !== null && record.kind !== 'member') return refuse('not_found');
    const refusal = decideOnMember(action, actor.id, record);
    return refusal === null ? allow : refuse(refusal);
  }
  if (isCaseAction(action)) {
    if (record !== null && record.kind !== 'case') return refuse('not_found');
    const refusal = decideOnCase(action, actor, record);
    return refusal === null ? allow : refuse(refusal);
  }
  return byRole;
}

export function mayPerformOn(action: Action, actor: PolicyActor | null, record: AccessRecord | null): boolean {
  return decide(action, actor, record).allowed;
}

/** What an administrator's page may offer for one member (Outline's `presentPolicies`). */
export interface MemberAbilities {
  certify: boolean;
  changeRole: boolean;
  suspend: boolean;
  reinstate: boolean;
  remove: boolean;
}

const memberAbilityActions = {
  certify: 'member.certify',
  changeRole: 'member.changeRole',
  suspend: 'member.suspend',
  reinstate: 'member.reinstate',
  remove: 'member.remove',
} as const satisfies Record<keyof MemberAbilities, MemberAction>;

/**
 * The abilities the actor has on a member account, as the policy decides them;
 * what state the member is in (already suspended, say) is the use case's
 * concern, not the policy's.
 */
export function memberAbilities(actor: PolicyActor | null, record: MemberAccessRecord): MemberAbilities {
  const out = {} as MemberAbilities;
  for (const [ability, action] of Object.entries(memberAbilityActions) as [keyof MemberAbilities, MemberAction][]) {
    out[ability] = mayPerformOn(action, actor, record);
  }
  return out;
}
