import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asMemberId,
  decide,
  memberAbilities,
  memberRules,
  policy,
  roles,
  type Action,
  type MemberAccessRecord,
  type PolicyActor,
  type Role,
} from '../../../src/core/index.js';
import { findMemberAccessRecord } from '../../../src/server/members/repository/index.js';
import { backends } from '../../support/databases.js';
import { actorOf, joinMember, openWorld, type World } from '../../support/use-cases.js';

/**
 * The resource dimension of the access matrix, written out independently of
 * src/core/policies/member.ts: for every action decided per member account,
 * whether it may touch the caller's own account and whether another's.
 */
const reach: Record<string, { own: boolean; other: boolean }> = {
  'member.certify': { own: true, other: true },
  'member.changeRole': { own: false, other: true },
  'member.suspend': { own: false, other: true },
  'member.reinstate': { own: true, other: true },
  'member.remove': { own: false, other: true },
  'auth.secondFactor': { own: true, other: false },
  'auth.webauthnOptions': { own: true, other: false },
  'auth.webauthn': { own: true, other: false },
  'auth.logout': { own: true, other: false },
  'session.read': { own: true, other: false },
  'session.logoutEverywhere': { own: true, other: false },
  'me.keys': { own: true, other: false },
  'me.changePassphrase': { own: true, other: false },
  'me.challenge': { own: true, other: false },
  'me.account': { own: true, other: false },
  'me.addAuthenticator': { own: true, other: false },
  'me.renameAuthenticator': { own: true, other: false },
  'me.removeAuthenticator': { own: true, other: false },
  'me.regenerateRecoveryCodes': { own: true, other: false },
  'me.reenrollTotp': { own: true, other: false },
  'me.sessions': { own: true, other: false },
  'me.endSession': { own: true, other: false },
};

const selfId = asMemberId('11111111-1111-4111-8111-111111111111');
const otherId = asMemberId('22222222-2222-4222-8222-222222222222');
const record = (id = otherId, status: MemberAccessRecord['status'] = 'active', role: Role = 'coordinator'): MemberAccessRecord => ({
  kind: 'member',
  id,
  status,
  role,
});

type Caller = { label: string; actor: PolicyActor | null };
const callers: Caller[] = [
  { label: 'anonymous', actor: null },
  { label: 'second factor pending', actor: { id: selfId, role: 'coordinator', certified: false, stage: 'second_factor' } },
  { label: 'uncertified administrator', actor: { id: selfId, role: 'administrator', certified: false, stage: 'full' } },
  ...roles.map((role) => ({ label: role, actor: { id: selfId, role, certified: true, stage: 'full' as const } })),
];

/** The role dimension, as the HTTP access matrix writes it. */
function allowedByRole(action: Action, actor: PolicyActor | null): boolean {
  const who = policy[action];
  if (who === 'public') return true;
  if (!actor) return false;
  if (who === 'session') return true;
  if (actor.stage !== 'full') return false;
  if (who === 'member') return true;
  return actor.certified && (who as readonly Role[]).includes(actor.role);
}

describe('resource policy: member accounts', () => {
  it('every action decided per member account has an expectation here, and every expectation an action', () => {
    expect(Object.keys(memberRules).sort()).toEqual(Object.keys(reach).sort());
  });

  it('decides own versus another member for every action and every caller', () => {
    const failures: string[] = [];
    for (const [action, expected] of Object.entries(reach) as [Action, { own: boolean; other: boolean }][]) {
      for (const { label, actor } of callers) {
        for (const [target, id] of [
          ['own', selfId],
          ['other', otherId],
        ] as const) {
          const want = allowedByRole(action, actor) && expected[target];
          const got = decide(action, actor, record(id)).allowed;
          if (got !== want) failures.push(`${label} ${want ? 'was refused' : 'was allowed'} ${action} on ${target} account`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('says why: the role table first, then self or not-own, and a removed or missing member is not found', () => {
    const admin: PolicyActor = { id: selfId, role: 'administrator', certified: true, stage: 'full' };
    const coordinator: PolicyActor = { ...admin, role: 'coordinator' };
    expect(decide('member.suspend', null, record())).toEqual({ allowed: false, reason: 'auth_required' });
    expect(decide('member.suspend', { ...admin, stage: 'second_factor' }, record())).toEqual({ allowed: false, reason: 'second_factor_required' });
    expect(decide('member.suspend', coordinator, record())).toEqual({ allowed: false, reason: 'role' });
    expect(decide('member.suspend', admin, record(selfId))).toEqual({ allowed: false, reason: 'self' });
    expect(decide('member.suspend', admin, record(otherId, 'removed'))).toEqual({ allowed: false, reason: 'not_found' });
    expect(decide('member.suspend', admin, null)).toEqual({ allowed: false, reason: 'not_found' });
    expect(decide('me.keys', coordinator, record(otherId))).toEqual({ allowed: false, reason: 'not_own' });
    // Actions not decided per resource answer by role alone, whatever record comes along.
    expect(decide('members.list', admin, null)).toEqual({ allowed: true });
  });

  it('presents abilities: an administrator may act on others but not suspend, remove or re-role themselves', () => {
    const admin: PolicyActor = { id: selfId, role: 'administrator', certified: true, stage: 'full' };
    expect(memberAbilities(admin, record(otherId))).toEqual({ certify: true, changeRole: true, suspend: true, reinstate: true, remove: true });
    expect(memberAbilities(admin, record(selfId, 'active', 'administrator'))).toEqual({
      certify: true,
      changeRole: false,
      suspend: false,
      reinstate: true,
      remove: false,
    });
    expect(memberAbilities({ ...admin, certified: false }, record(otherId))).toEqual({
      certify: false,
      changeRole: false,
      suspend: false,
      reinstate: false,
      remove: false,
    });
    expect(memberAbilities({ ...admin, role: 'specialist' }, record(otherId))).toEqual({
      certify: false,
      changeRole: false,
      suspend: false,
      reinstate: false,
      remove: false,
    });
  });
});

describe.each(backends())('access records from the database on $name', (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld(backend);
  });
  afterAll(async () => {
    await world?.dispose();
  });

  it('loads what the member policy decides from, and nothing for an id that is no member', async () => {
    const member = await joinMember(world, 'specialist', 'record-holder');
    expect(await findMemberAccessRecord(world.database.db, member.id)).toEqual({ kind: 'member', id: member.id, status: 'active', role: 'specialist' });
    expect(await findMemberAccessRecord(world.database.db, asMemberId('00000000-0000-4000-8000-000000000000'))).toBeNull();
    expect(await findMemberAccessRecord(world.database.db, asMemberId('not-a-uuid'))).toBeNull();
    const admin = actorOf(world.admin);
    expect(decide('member.suspend', admin, await findMemberAccessRecord(world.database.db, member.id)).allowed).toBe(true);
    expect(decide('member.suspend', admin, await findMemberAccessRecord(world.database.db, world.admin.id))).toEqual({ allowed: false, reason: 'self' });
  });
});
