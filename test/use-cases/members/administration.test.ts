import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeAuthPublicKey,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  sealOrganizationKey,
  type StoredAuditEntry,
} from '../../../src/core/index.js';
import { allAuditEntries } from '../../../src/server/audit/index.js';
import {
  countActiveAdministrators,
  createSession,
  findActiveSession,
  findMemberById,
  findOrganizationKeyGrant,
} from '../../../src/server/members/repository/index.js';
import {
  acceptInvitation,
  certifyMember,
  changeMemberRole,
  inviteMember,
  listAllMembers,
  readMyKeys,
  reinstateMember,
  removeMember,
  suspendMember,
} from '../../../src/server/members/use-cases/index.js';
import { findRotationPending } from '../../../src/server/organization/repository.js';
import { backends } from '../../support/databases.js';
import { newMemberMaterial } from '../../support/members.js';
import { actorOf, certificateOf, joinMember, openWorld, outcome, type World } from '../../support/use-cases.js';

async function auditActions(world: World): Promise<string[]> {
  const out: StoredAuditEntry[] = [];
  for await (const e of allAuditEntries(world.database.db)) out.push(e);
  return out.map((e) => e.action);
}

describe.each(backends())('member use cases on $name', (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld(backend);
  });
  afterAll(async () => {
    await world?.dispose();
  });

  it('certifyMember stores a certificate that verifies against the organization key, and audits it', async () => {
    const member = await joinMember(world, 'coordinator', 'to-certify');
    const stranger = generateOrganizationKey();
    expect(
      await outcome(
        certifyMember(world.database, {
          actorId: world.admin.id,
          memberId: member.id,
          certificate: certificateOf({ organization: stranger }, member, 'coordinator', world.admin.id),
        }),
      ),
    ).toBe('CERTIFICATE_REJECTED');
    // A certificate for another role than the member holds does not verify either.
    expect(
      await outcome(
        certifyMember(world.database, {
          actorId: world.admin.id,
          memberId: member.id,
          certificate: certificateOf(world, member, 'specialist', world.admin.id),
        }),
      ),
    ).toBe('CERTIFICATE_REJECTED');
    await certifyMember(world.database, {
      actorId: world.admin.id,
      memberId: member.id,
      certificate: certificateOf(world, member, 'coordinator', world.admin.id),
    });
    expect((await findMemberById(world.database.db, member.id))?.certificate).not.toBeNull();
    expect((await auditActions(world)).at(-1)).toBe('member.certified');
  });

  it('an administrator invited by a signed invitation gets the organization key only when certified with it sealed to them', async () => {
    const member = await joinMember(world, 'administrator', 'new-admin');
    expect(
      await outcome(
        certifyMember(world.database, {
          actorId: world.admin.id,
          memberId: member.id,
          certificate: certificateOf(world, member, 'administrator', world.admin.id),
        }),
      ),
    ).toBe('SEALED_KEY_REJECTED');
    expect(await findOrganizationKeyGrant(world.database.db, member.id)).toBeNull();
    await certifyMember(world.database, {
      actorId: world.admin.id,
      memberId: member.id,
      certificate: certificateOf(world, member, 'administrator', world.admin.id),
      sealedOrganizationKey: sealOrganizationKey(world.organization, member.keys.encryption.publicKey),
    });
    expect((await readMyKeys(world.database, { memberId: member.id })).sealedOrganizationKey).not.toBeNull();
    // Demoted again (for the tests that follow, which count administrators): the grant goes and a rotation falls due.
    await changeMemberRole(world.database, {
      actorId: world.admin.id,
      memberId: member.id,
      role: 'coordinator',
      certificate: certificateOf(world, member, 'coordinator', world.admin.id),
    });
    expect(await findOrganizationKeyGrant(world.database.db, member.id)).toBeNull();
    expect(await findRotationPending(world.database.db)).toBe(true);
  });

  it('nobody suspends, removes or changes the role of themselves, even past the policy (the use case is the second wall)', async () => {
    const self = { actorId: world.admin.id, memberId: world.admin.id };
    expect(await outcome(suspendMember(world.database, self))).toBe('CANNOT_CHANGE_SELF');
    expect(await outcome(removeMember(world.database, self))).toBe('CANNOT_CHANGE_SELF');
    expect(await outcome(changeMemberRole(world.database, { ...self, role: 'coordinator' }))).toBe('CANNOT_CHANGE_SELF');
    expect((await findMemberById(world.database.db, world.admin.id))?.status).toBe('active');
  });

  it('changeMemberRole: a certified member needs a new certificate, an administrator the sealed key; sessions end', async () => {
    const member = await joinMember(world, 'specialist', 'role-changer', { certify: true });
    const session = await world.database.db.transaction().execute((tx) => createSession(tx, member.id, 'full'));
    expect(await outcome(changeMemberRole(world.database, { actorId: world.admin.id, memberId: member.id, role: 'verifier' }))).toBe('CERTIFICATE_REJECTED');
    expect(
      await outcome(
        changeMemberRole(world.database, {
          actorId: world.admin.id,
          memberId: member.id,
          role: 'administrator',
          certificate: certificateOf(world, member, 'administrator', world.admin.id),
        }),
      ),
    ).toBe('SEALED_KEY_REJECTED');
    await changeMemberRole(world.database, {
      actorId: world.admin.id,
      memberId: member.id,
      role: 'verifier',
      certificate: certificateOf(world, member, 'verifier', world.admin.id),
    });
    expect((await findMemberById(world.database.db, member.id))?.role).toBe('verifier');
    expect(await findActiveSession(world.database.db, session.token)).toBeNull();
    expect((await auditActions(world)).at(-1)).toBe('member.role_changed');
  });

  it('suspendMember ends sessions and is idempotent; reinstateMember lifts it', async () => {
    const member = await joinMember(world, 'partner', 'to-suspend', { certify: true });
    const session = await world.database.db.transaction().execute((tx) => createSession(tx, member.id, 'full'));
    await suspendMember(world.database, { actorId: world.admin.id, memberId: member.id });
    await suspendMember(world.database, { actorId: world.admin.id, memberId: member.id });
    expect((await findMemberById(world.database.db, member.id))?.status).toBe('suspended');
    expect(await findActiveSession(world.database.db, session.token)).toBeNull();
    expect((await auditActions(world)).filter((a) => a === 'member.suspended')).toHaveLength(1);
    await reinstateMember(world.database, { actorId: world.admin.id, memberId: member.id });
    expect((await findMemberById(world.database.db, member.id))?.status).toBe('active');
  });

  it('removeMember wipes second factors and the grant; a removed member is no longer found', async () => {
    const member = await joinMember(world, 'psychologist', 'to-remove', { certify: true });
    await removeMember(world.database, { actorId: world.admin.id, memberId: member.id });
    const removed = await findMemberById(world.database.db, member.id);
    expect(removed).toMatchObject({ status: 'removed', totpSecret: null, recoveryCodes: [] });
    // The certificate stays, so what they signed while a member still verifies.
    expect(removed?.certificate).not.toBeNull();
    expect(await outcome(suspendMember(world.database, { actorId: world.admin.id, memberId: member.id }))).toBe('MEMBER_NOT_FOUND');
    expect(await outcome(removeMember(world.database, { actorId: world.admin.id, memberId: member.id }))).toBe('MEMBER_NOT_FOUND');
  });

  it('the last administrator who holds the organization key cannot be suspended, removed or demoted', async () => {
    // A second, key-holding administrator acts; the first is then the last one left once the second is gone.
    const second = await joinMember(world, 'administrator', 'second-admin', { certify: true });
    expect(await countActiveAdministrators(world.database.db)).toBe(2);
    await suspendMember(world.database, { actorId: world.admin.id, memberId: second.id });
    expect(await countActiveAdministrators(world.database.db)).toBe(1);
    await reinstateMember(world.database, { actorId: world.admin.id, memberId: second.id });
    // Now the second acts on the first, who is not the last: allowed, then the second is the last.
    await removeMember(world.database, { actorId: second.id, memberId: world.admin.id });
    // From here on `second` is the only key-holding administrator; another administrator not yet certified does not count.
    const uncertified = await joinMember(world, 'administrator', 'uncertified-admin');
    expect(await countActiveAdministrators(world.database.db)).toBe(1);
    expect(await outcome(suspendMember(world.database, { actorId: uncertified.id, memberId: second.id }))).toBe('LAST_ADMINISTRATOR');
    expect(await outcome(removeMember(world.database, { actorId: uncertified.id, memberId: second.id }))).toBe('LAST_ADMINISTRATOR');
    expect(
      await outcome(
        changeMemberRole(world.database, {
          actorId: uncertified.id,
          memberId: second.id,
          role: 'coordinator',
          certificate: certificateOf(world, second, 'coordinator', second.id),
        }),
      ),
    ).toBe('LAST_ADMINISTRATOR');
    expect((await findMemberById(world.database.db, second.id))?.status).toBe('active');
    world.admin = second;
  });

  it('listAllMembers presents each member with the caller’s abilities on them', async () => {
    const members = await listAllMembers(world.database, { actor: actorOf(world.admin) });
    const self = members.find((m) => m.id === world.admin.id)!;
    const other = members.find((m) => m.id !== world.admin.id && m.status === 'active')!;
    expect(self.abilities).toEqual({ certify: true, changeRole: false, suspend: false, reinstate: true, remove: false });
    expect(other.abilities).toMatchObject({ suspend: true, remove: true, changeRole: true });
    const asCoordinator = await listAllMembers(world.database, { actor: { ...actorOf(world.admin), role: 'coordinator' } });
    expect(asCoordinator.every((m) => Object.values(m.abilities).every((a) => a === false))).toBe(true);
  });
});

describe.each(backends())('invitations on $name', (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld(backend);
  });
  afterAll(async () => {
    await world?.dispose();
  });

  const join = async (token: string, name: string) => {
    const material = await newMemberMaterial(`passphrase of ${name} is long`, encodeOrganizationPublicKey(world.organization.publicKey));
    return outcome(
      acceptInvitation(world.auth, {
        token,
        member: { id: crypto.randomUUID(), name, keyBundle: material.bundle, authPublicKey: encodeAuthPublicKey(material.auth) },
      }),
    );
  };

  it('an administrator invitation must be signed with the organization key', async () => {
    expect(await outcome(inviteMember(world.database, { actorId: world.admin.id, role: 'administrator', expiresInHours: 24 }))).toBe(
      'INVITATION_STATEMENT_REJECTED',
    );
  });

  it('an invitation is spent once; look-alike names are refused', async () => {
    const invitation = await inviteMember(world.database, { actorId: world.admin.id, role: 'coordinator', expiresInHours: 24 });
    expect(await join(invitation.token, 'anna')).toBe('ok');
    expect(await join(invitation.token, 'boris')).toBe('INVITATION_USED');
    const second = await inviteMember(world.database, { actorId: world.admin.id, role: 'coordinator', expiresInHours: 24 });
    // Cyrillic а in place of the Latin a.
    expect(await join(second.token, 'аnna')).toBe('NAME_CONFUSABLE');
    expect(await join(second.token, 'ANNA')).toBe('NAME_TAKEN');
    expect(await join(second.token, 'boris')).toBe('ok');
    const actions = [];
    for await (const e of allAuditEntries(world.database.db)) actions.push(e.action);
    expect(actions.filter((a) => a === 'member.joined')).toHaveLength(2);
  });
});
