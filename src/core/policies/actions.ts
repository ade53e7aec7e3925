import type { SessionStage } from '../domain/members.js';
import type { Role } from '../domain/roles.js';

/**
 * Who may do what by role: the one table the server enforces (src/server/http/authorize.ts)
 * and the web app reads to show only what a member may use.
 *
 * - `public`: anyone, no session (health, first-run setup, login, accepting an invitation);
 * - `session`: a member in the middle of logging in (second factor pending);
 * - `member`: any member with a full session, whatever the role;
 * - a list of roles: only those, and only once the organization certified the
 *   member's keys (an administrator invited but not yet certified holds no
 *   organization key and has no administrator's powers).
 *
 * What a member may do to one resource (their own account or another's; a
 * case, later) is decided on top of this table by the resource policies beside
 * it (./resources.ts).
 */
export type Audience = 'public' | 'session' | 'member' | readonly Role[];

/** Roles that open cases, manage them and hand compartments on. */
const casekeepers = ['administrator', 'coordinator', 'specialist'] as const;
/** Roles that can be let into a case: casekeepers, and verifiers and psychologists for what they are granted. */
const caseworkAudience = ['administrator', 'coordinator', 'specialist', 'verifier', 'psychologist'] as const;

export const policy = {
  'health.read': 'public',
  'api.describe': 'public',
  'setup.read': 'public',
  'setup.create': 'public',
  'auth.prelogin': 'public',
  'auth.login': 'public',
  'auth.secondFactor': 'session',
  'auth.logout': 'session',
  'invitation.read': 'public',
  'invitation.accept': 'public',
  'session.read': 'session',
  'session.logoutEverywhere': 'member',
  'me.keys': 'member',
  'me.changePassphrase': 'member',
  'me.challenge': 'member',
  'organization.read': 'member',
  'members.directory': 'member',
  'members.list': ['administrator'],
  'member.invite': ['administrator'],
  'members.invitations': ['administrator'],
  'member.certify': ['administrator'],
  'member.changeRole': ['administrator'],
  'member.suspend': ['administrator'],
  // Its own action because the resource policy decides it differently from suspending (src/core/policies/member.ts).
  'member.reinstate': ['administrator'],
  'member.remove': ['administrator'],
  'organization.keyGrant': ['administrator'],
  'audit.read': ['administrator'],
  // Account page and WebAuthn.
  'auth.webauthnOptions': 'session',
  'auth.webauthn': 'session',
  'me.account': 'member',
  'me.addAuthenticator': 'member',
  'me.renameAuthenticator': 'member',
  'me.removeAuthenticator': 'member',
  'me.regenerateRecoveryCodes': 'member',
  'me.reenrollTotp': 'member',
  'me.sessions': 'member',
  'me.endSession': 'member',
  // Trust: the signed membership list and organization-key rotation.
  'membership.read': 'member',
  'membership.publish': ['administrator'],
  'organization.rotations': 'public',
  'organization.rotateKey': ['administrator'],
  // Casework: the role table says who may take part at all; the case policy
  // (./case.ts) decides per case from its owner, specialists and the grants held.
  'cases.list': caseworkAudience,
  'cases.search': caseworkAudience,
  'case.open': casekeepers,
  'cases.handover': casekeepers,
  'case.read': caseworkAudience,
  'case.update': casekeepers,
  'case.assign': casekeepers,
  'case.escalate': casekeepers,
  'case.flag': caseworkAudience,
  'case.timeline': casekeepers,
  'case.requestAccess': caseworkAudience,
  'case.grant': casekeepers,
  'case.revoke': casekeepers,
  'case.rotate': caseworkAudience,
  'case.records': caseworkAudience,
  'case.writeRecord': caseworkAudience,
  'case.tasks': caseworkAudience,
  'case.export': caseworkAudience,
  'tasks.mine': 'member',
  'notifications.read': 'member',
  'notifications.markRead': 'member',
} as const satisfies Record<string, Audience>;

export type Action = keyof typeof policy;

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && Object.hasOwn(policy, value);
}

export function audienceOf(action: Action): Audience {
  return policy[action];
}

/** Whether a member with `role`, certified or not, and a session at `stage` may perform `action`. */
export function mayPerform(action: Action, actor: { role: Role; stage: SessionStage; certified: boolean } | null): boolean {
  const audience: Audience = policy[action];
  if (audience === 'public') return true;
  if (!actor) return false;
  if (audience === 'session') return true;
  if (actor.stage !== 'full') return false;
  if (audience === 'member') return true;
  return actor.certified === true && audience.includes(actor.role);
}
