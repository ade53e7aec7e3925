import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asMemberId,
  compartmentKeyring,
  currentCompartmentKey,
  memberSigner,
  openStoredRecord,
  prepareGrant,
  prepareRotation,
  type CaseCompartmentName,
  type CaseId,
  type CaseKeys,
} from '../../../src/core/index.js';
import { allAuditEntries } from '../../../src/server/audit/index.js';
import {
  grantCompartment,
  listCases,
  listPendingRotations,
  listRecords,
  readCase,
  readRecordHistory,
  revokeMember,
  rotateCompartment,
} from '../../../src/server/cases/use-cases/index.js';
import { removeMember, suspendMember } from '../../../src/server/members/use-cases/index.js';
import { backends } from '../../support/databases.js';
import { caseKeysFor, certifiedOf, openTestCase, readableTexts, writeTestRecord } from '../../support/casework.js';
import { actorOf, joinMember, openWorld, outcome, type SeededMember, type World } from '../../support/use-cases.js';

const at = () => new Date().toISOString();

describe.each(backends())('case use cases on $name', (backend) => {
  let world: World;
  let coordinator: SeededMember;
  let specialist: SeededMember;
  let psychologist: SeededMember;
  let partner: SeededMember;
  let everyone: SeededMember[];

  beforeAll(async () => {
    world = await openWorld(backend);
    coordinator = await joinMember(world, 'coordinator', 'coord', { certify: true });
    specialist = await joinMember(world, 'specialist', 'spec', { certify: true });
    psychologist = await joinMember(world, 'psychologist', 'psy', { certify: true });
    partner = await joinMember(world, 'partner', 'partner', { certify: true });
    everyone = [world.admin, coordinator, specialist, psychologist, partner];
  }, 120_000);
  afterAll(async () => world?.dispose());

  async function grant(by: SeededMember, keys: CaseKeys, compartment: CaseCompartmentName, to: SeededMember) {
    const prepared = prepareGrant({
      audited: keys.audited,
      compartment,
      keyring: keys.keyrings[compartment]!,
      recipient: certifiedOf(world, to),
      signer: memberSigner(by.id, by.keys),
      at: at(),
    });
    return grantCompartment(world.database, { actorId: by.id, caseId: keys.audited.caseId, request: prepared });
  }

  async function rotate(
    by: SeededMember,
    keys: CaseKeys,
    compartment: CaseCompartmentName,
    dropped: SeededMember[],
    reason: 'revoked' | 'member_left' = 'revoked',
  ) {
    const stay = keys.audited.compartments[compartment].holders.filter((id) => !dropped.some((d) => d.id === id));
    const prepared = prepareRotation({
      audited: keys.audited,
      compartment,
      keyring: keys.keyrings[compartment]!,
      holders: everyone.filter((m) => stay.includes(m.id)).map((m) => certifiedOf(world, m)),
      dropped: dropped.map((d) => d.id),
      reason,
      signer: memberSigner(by.id, by.keys),
      at: at(),
    });
    return rotateCompartment(world.database, { actorId: by.id, caseId: keys.audited.caseId, request: prepared.request });
  }

  it('a case opens sealed to the creator and the administrators; reading its keys is in the audit log', async () => {
    const { caseId, code } = await openTestCase(world, coordinator);
    const { detail, keys } = await caseKeysFor(world, coordinator, caseId, everyone);
    expect(detail.case).toMatchObject({ code, status: 'new', category: 'mobilized' });
    expect(keys.audited.compartments.identity.holders.sort()).toEqual([coordinator.id, world.admin.id].sort());
    expect(Object.keys(keys.keyrings)).toHaveLength(7);
    const actions: string[] = [];
    for await (const e of allAuditEntries(world.database.db)) if (e.subjectId === caseId) actions.push(e.action);
    expect(actions).toEqual(['case.opened', 'case.keys_read']);
    // A member who is not involved is told there is no such case.
    expect(await outcome(readCase(world.database, { actor: actorOf(specialist), caseId }))).toBe('CASE_NOT_FOUND');
    const list = await listCases(world.database, { actor: actorOf(specialist), query: {} });
    expect(list.cases.some((c) => c.id === caseId)).toBe(false);
    expect((await listCases(world.database, { actor: actorOf(coordinator), query: { code: code.slice(0, 3) } })).cases.map((c) => c.id)).toContain(caseId);
  });

  it('records keep every version, and a stale save is a conflict, never an overwrite', async () => {
    const { caseId } = await openTestCase(world, coordinator);
    const { keys } = await caseKeysFor(world, coordinator, caseId, everyone);
    const first = await writeTestRecord(world, coordinator, keys, 'identity', { kind: 'fields', fields: { realName: 'Пётр Сидоров' } });
    const adminKeys = (await caseKeysFor(world, world.admin, caseId, everyone)).keys;
    await writeTestRecord(
      world,
      world.admin,
      adminKeys,
      'identity',
      { kind: 'fields', fields: { realName: 'Пётр Сидоров', rank: 'капитан' } },
      { recordId: first.recordId, version: 1 },
    );
    // The coordinator still had version 0 open.
    expect(
      await outcome(
        writeTestRecord(world, coordinator, keys, 'identity', { kind: 'fields', fields: { realName: 'П. Сидоров' } }, { recordId: first.recordId, version: 1 }),
      ),
    ).toBe('RECORD_CONFLICT');
    const history = await readRecordHistory(world.database, { actorId: coordinator.id, caseId, recordId: first.recordId });
    expect(history.map((h) => [h.version, h.authorId])).toEqual([
      [1, world.admin.id],
      [0, coordinator.id],
    ]);
    expect((await readableTexts(world, coordinator, keys, 'identity', everyone)).map((t) => JSON.parse(t))).toEqual([
      { realName: 'Пётр Сидоров', rank: 'капитан' },
    ]);
    // Versions that skip ahead or go back are refused too.
    expect(await outcome(writeTestRecord(world, coordinator, keys, 'identity', { kind: 'fields', fields: {} }, { recordId: first.recordId, version: 5 }))).toBe(
      'RECORD_CONFLICT',
    );
    expect(
      await outcome(writeTestRecord(world, coordinator, keys, 'identity', { kind: 'note', text: 'x' }, { recordId: crypto.randomUUID(), version: 3 })),
    ).toBe('RECORD_NOT_FOUND');
  });

  it('concurrent saves of the same version: exactly one lands', async () => {
    const { caseId } = await openTestCase(world, coordinator);
    const { keys } = await caseKeysFor(world, coordinator, caseId, everyone);
    const { recordId } = await writeTestRecord(world, coordinator, keys, 'legal', { kind: 'note', text: 'v0' });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => outcome(writeTestRecord(world, coordinator, keys, 'legal', { kind: 'note', text: `v1 from ${i}` }, { recordId, version: 1 }))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'RECORD_CONFLICT')).toHaveLength(4);
    expect((await readRecordHistory(world.database, { actorId: coordinator.id, caseId, recordId })).map((h) => h.version)).toEqual([1, 0]);
  });

  it('a grant lets a member in; nobody can grant what they do not hold, or to a role the policy excludes', async () => {
    const { caseId } = await openTestCase(world, coordinator);
    const { keys } = await caseKeysFor(world, coordinator, caseId, everyone);
    await writeTestRecord(world, coordinator, keys, 'support', { kind: 'note', text: 'после кризиса' });
    await grant(coordinator, keys, 'support', psychologist);
    const theirs = await caseKeysFor(world, psychologist, caseId, everyone);
    expect(Object.keys(theirs.keys.keyrings)).toEqual(['support']);
    expect(await readableTexts(world, psychologist, theirs.keys, 'support', everyone)).toEqual(['после кризиса']);
    // The psychologist holds support only: the server refuses identity's ciphertext to them.
    expect(await outcome(listRecords(world.database, { actorId: psychologist.id, caseId, compartment: 'identity' }))).toBe('CASE_NOT_HOLDER');
    // A psychologist may not hold identity; a partner holds nothing.
    const fresh = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    expect(await outcome(grant(coordinator, fresh, 'identity', psychologist))).toBe('CASE_MEMBER_NOT_ELIGIBLE');
    expect(await outcome(grant(coordinator, fresh, 'legal', partner))).toBe('CASE_MEMBER_NOT_ELIGIBLE');
    // A grant signed by someone who does not hold the compartment is refused by the server's own audit.
    const forged = prepareGrant({
      audited: {
        ...fresh.audited,
        compartments: {
          ...fresh.audited.compartments,
          legal: { ...fresh.audited.compartments.legal, holders: [...fresh.audited.compartments.legal.holders, specialist.id] },
        },
      },
      compartment: 'legal',
      keyring: fresh.keyrings.legal!,
      recipient: certifiedOf(world, psychologist),
      signer: memberSigner(specialist.id, specialist.keys),
      at: at(),
    });
    expect(await outcome(grantCompartment(world.database, { actorId: specialist.id, caseId, request: forged }))).toBe('CASE_STATEMENT_REJECTED');
    // A grant made on a stale chain position is a conflict.
    expect(await outcome(grant(coordinator, keys, 'legal', specialist))).toBe('CASE_CHAIN_CONFLICT');
  });

  it('revocation: writes wait for the rotation, the revoked member gets nothing new, remaining holders read old and new', async () => {
    const { caseId } = await openTestCase(world, coordinator, { owner: specialist });
    let keys = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    await writeTestRecord(world, coordinator, keys, 'contact', { kind: 'note', text: 'старый канал @ivan_safe' });
    const specKeys = (await caseKeysFor(world, specialist, caseId, everyone)).keys;
    const saved = currentCompartmentKey(specKeys.keyrings.contact!);

    const { pending } = await revokeMember(world.database, { actorId: coordinator.id, caseId, memberId: specialist.id });
    expect(pending.sort()).toEqual(['contact', 'evidence', 'identity', 'legal', 'logistics', 'support', 'testimony']);
    expect(await outcome(readCase(world.database, { actor: actorOf(specialist), caseId }))).toBe('ok');
    expect((await readCase(world.database, { actor: actorOf(specialist), caseId })).myKeys).toEqual([]);
    expect(await outcome(listRecords(world.database, { actorId: specialist.id, caseId, compartment: 'contact' }))).toBe('CASE_NOT_HOLDER');
    expect(await outcome(writeTestRecord(world, coordinator, keys, 'contact', { kind: 'note', text: 'x' }))).toBe('CASE_ROTATION_PENDING');
    expect((await listPendingRotations(world.database, { actorId: coordinator.id })).filter((p) => p.caseId === caseId)).toHaveLength(7);
    expect(await listPendingRotations(world.database, { actorId: specialist.id })).toEqual([]);

    // A rotation that does not drop exactly the pending member is refused.
    keys = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    expect(await outcome(rotate(coordinator, keys, 'contact', []))).toBe('CASE_STATEMENT_REJECTED');
    keys = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    await rotate(coordinator, keys, 'contact', [specialist]);
    keys = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    expect(keys.keyrings.contact!.keys.map((k) => k.reference.epoch)).toEqual([0, 1]);
    await writeTestRecord(world, coordinator, keys, 'contact', { kind: 'note', text: 'новый канал @ivan_new' });
    const adminKeys = (await caseKeysFor(world, world.admin, caseId, everyone)).keys;
    expect((await readableTexts(world, world.admin, adminKeys, 'contact', everyone)).sort()).toEqual(['новый канал @ivan_new', 'старый канал @ivan_safe']);

    // What the revoked specialist kept opens nothing written after the rotation.
    const newest = (await listRecords(world.database, { actorId: coordinator.id, caseId, compartment: 'contact' })).find((r) => r.epoch === 1)!;
    const theirs = openStoredRecord({
      stored: newest,
      caseId,
      compartment: 'contact',
      keyring: compartmentKeyring([saved]),
      author: certifiedOf(world, coordinator),
    });
    expect(theirs).toMatchObject({ ok: false, problem: 'COMPARTMENT_EPOCH_UNKNOWN' });
    const relabelled = openStoredRecord({
      stored: { ...newest, epoch: 0 },
      caseId,
      compartment: 'contact',
      keyring: compartmentKeyring([saved]),
      author: certifiedOf(world, coordinator),
    });
    expect(relabelled.ok).toBe(false);
  });

  it('no compartment drops below two holders: revocation and removal are refused until someone else is granted', async () => {
    const { caseId } = await openTestCase(world, coordinator);
    expect(await outcome(revokeMember(world.database, { actorId: world.admin.id, caseId, memberId: coordinator.id }))).toBe('CASE_HOLDERS_TOO_FEW');
    expect(await outcome(removeMember(world.database, { actorId: world.admin.id, memberId: coordinator.id }))).toBe('CASE_HOLDERS_TOO_FEW');
    expect(await outcome(suspendMember(world.database, { actorId: world.admin.id, memberId: coordinator.id }))).toBe('CASE_HOLDERS_TOO_FEW');
    expect((await readCase(world.database, { actor: actorOf(coordinator), caseId })).compartments.every((c) => c.pendingRemovals.length === 0)).toBe(true);
  });

  it("removing a member from the organization marks every compartment they held; the administrator's browser rotates them all", async () => {
    const leaver = await joinMember(world, 'coordinator', `leaver-${Date.now()}`, { certify: true });
    everyone.push(leaver);
    const cases: CaseId[] = [];
    for (let i = 0; i < 3; i++) cases.push((await openTestCase(world, coordinator, { owner: leaver })).caseId);
    await removeMember(world.database, { actorId: world.admin.id, memberId: leaver.id });
    const pending = (await listPendingRotations(world.database, { actorId: world.admin.id })).filter((p) => cases.includes(p.caseId as CaseId));
    expect(pending).toHaveLength(21);
    for (const caseId of cases) {
      for (const compartment of ['identity', 'contact', 'logistics', 'testimony', 'evidence', 'support', 'legal'] as const) {
        const keys = (await caseKeysFor(world, world.admin, caseId, everyone)).keys;
        await rotate(world.admin, keys, compartment, [leaver], 'member_left');
      }
      const after = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
      expect(Object.values(after.audited.compartments).every((c) => c.epoch === 1 && !c.holders.includes(leaver.id))).toBe(true);
    }
    expect((await listPendingRotations(world.database, { actorId: world.admin.id })).filter((p) => cases.includes(p.caseId as CaseId))).toEqual([]);
    // The removed member's statements and records still verify: their certificate stays, marked removed.
    const detail = await readCase(world.database, { actor: actorOf(coordinator), caseId: cases[0]! });
    expect(detail.certificates.find((c) => c.memberId === leaver.id)?.status).toBe('removed');
    expect(asMemberId(leaver.id)).toBeTruthy();
  });
});
