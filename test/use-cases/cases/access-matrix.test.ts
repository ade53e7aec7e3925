import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseCompartments,
  compartmentKeyring,
  currentCompartmentKey,
  mayHoldCompartment,
  memberSigner,
  openStoredRecord,
  prepareGrant,
  prepareRotation,
  type CaseCompartmentName,
  type CaseId,
  type CompartmentKey,
  type Role,
} from '../../../src/core/index.js';
import { grantCompartment, listRecords, readCase, revokeMember, rotateCompartment } from '../../../src/server/cases/use-cases/index.js';
import { backends } from '../../support/databases.js';
import { caseKeysFor, certifiedOf, openTestCase, writeTestRecord } from '../../support/casework.js';
import { actorOf, joinMember, openWorld, outcome, type SeededMember, type World } from '../../support/use-cases.js';

/**
 * Need to know, at the use-case tier so the whole matrix runs in seconds:
 * role × compartment × (granted, never granted, revoked) × case status —
 * whether the server hands out the ciphertext, whether the member can
 * decrypt what is written, and whether they may write.
 */
type Grant = 'granted' | 'never' | 'revoked';
const roles: Role[] = ['coordinator', 'specialist', 'verifier', 'psychologist', 'partner'];
const states: Grant[] = ['granted', 'never', 'revoked'];
const statuses = ['active', 'closed'] as const;
const at = () => new Date().toISOString();

describe.each(backends())('case access matrix on $name', (backend) => {
  let world: World;
  let owner: SeededMember;
  let backup: SeededMember;
  const members = new Map<Role, SeededMember>();
  let everyone: SeededMember[];

  beforeAll(async () => {
    world = await openWorld(backend);
    owner = await joinMember(world, 'coordinator', 'owner', { certify: true });
    backup = await joinMember(world, 'specialist', 'backup', { certify: true });
    for (const role of roles) members.set(role, await joinMember(world, role, `as-${role}`, { certify: true }));
    everyone = [world.admin, owner, backup, ...members.values()];
  }, 120_000);
  afterAll(async () => world?.dispose());

  /** A case where `subject` ends in `state` for every compartment their role may hold; a note per compartment written after that. */
  async function caseFor(subject: SeededMember, state: Grant) {
    const { caseId } = await openTestCase(world, owner, { owner: backup, category: 'contract' });
    let keys = (await caseKeysFor(world, owner, caseId, everyone)).keys;
    const saved = new Map<CaseCompartmentName, CompartmentKey>();
    const eligible = caseCompartments.filter((c) => mayHoldCompartment('contract', c, subject.role));
    if (state !== 'never' && eligible.length > 0) {
      let head = keys.audited.head;
      for (const compartment of eligible) {
        const prepared = prepareGrant({
          audited: keys.audited,
          head,
          compartment,
          keyring: keys.keyrings[compartment]!,
          recipient: certifiedOf(world, subject),
          signer: memberSigner(owner.id, owner.keys),
          at: at(),
        });
        await grantCompartment(world.database, { actorId: owner.id, caseId, request: prepared });
        head = prepared.head;
      }
      keys = (await caseKeysFor(world, owner, caseId, everyone)).keys;
      const theirs = (await caseKeysFor(world, subject, caseId, everyone)).keys;
      for (const [c, ring] of Object.entries(theirs.keyrings)) saved.set(c as CaseCompartmentName, currentCompartmentKey(ring));
    }
    if (state === 'revoked') {
      const { pending } = await revokeMember(world.database, { actorId: owner.id, caseId, memberId: subject.id });
      let head = keys.audited.head;
      for (const compartment of pending) {
        const stay = keys.audited.compartments[compartment].holders.filter((id) => id !== subject.id);
        const rotation = prepareRotation({
          audited: keys.audited,
          head,
          compartment,
          keyring: keys.keyrings[compartment]!,
          holders: everyone.filter((m) => stay.includes(m.id)).map((m) => certifiedOf(world, m)),
          dropped: [subject.id],
          reason: 'revoked',
          signer: memberSigner(owner.id, owner.keys),
          at: at(),
        });
        await rotateCompartment(world.database, { actorId: owner.id, caseId, request: rotation.request });
        head = rotation.head;
      }
      keys = (await caseKeysFor(world, owner, caseId, everyone)).keys;
    }
    for (const compartment of caseCompartments)
      await writeTestRecord(world, owner, keys, compartment, { kind: 'note', text: `written after, in ${compartment}` });
    return { caseId, saved };
  }

  it('role × compartment × grant state × status', async () => {
    const failures: string[] = [];
    for (const role of roles) {
      const subject = members.get(role)!;
      for (const state of states) {
        const { caseId, saved } = await caseFor(subject, state);
        for (const status of statuses) {
          if (status === 'closed') await sql`UPDATE cases SET status = 'closed' WHERE id = ${caseId}`.execute(world.database.db);
          const involved = state === 'granted' && caseCompartments.some((c) => mayHoldCompartment('contract', c, role));
          const read = await outcome(readCase(world.database, { actor: actorOf(subject), caseId }));
          // Revoked members stay on the case's page only if a grant remains; here nothing remains, so the case is gone for them.
          if (read !== (involved ? 'ok' : 'CASE_NOT_FOUND')) failures.push(`${role} ${state} ${status}: read case ${read}`);
          const keys = involved ? (await caseKeysFor(world, subject, caseId as CaseId, everyone)).keys : null;
          for (const compartment of caseCompartments) {
            const holds = state === 'granted' && mayHoldCompartment('contract', compartment, role);
            const label = `${role} × ${compartment} × ${state} × ${status}`;
            const served = await outcome(listRecords(world.database, { actorId: subject.id, caseId, compartment }));
            if (served !== (holds ? 'ok' : 'CASE_NOT_HOLDER')) failures.push(`${label}: server gave ciphertext: ${served}`);
            // Decrypting what the owner wrote: with the member's keys now, or with what they saved before a revocation.
            const records = await listRecords(world.database, { actorId: owner.id, caseId, compartment });
            const ring = keys?.keyrings[compartment] ?? (saved.get(compartment) ? compartmentKeyring([saved.get(compartment)!]) : null);
            const opened = ring
              ? records.map(
                  (stored) =>
                    openStoredRecord({
                      stored,
                      caseId,
                      compartment,
                      keyring: ring,
                      author: certifiedOf(world, everyone.find((m) => m.id === stored.authorId)!),
                    }).ok,
                )
              : [false];
            if (opened.some((ok) => ok !== holds)) failures.push(`${label}: decrypts ${opened.join(',')}`);
            const write = keys?.keyrings[compartment]
              ? await outcome(writeTestRecord(world, subject, keys, compartment, { kind: 'note', text: 'mine' }))
              : 'no key';
            const wantWrite = holds ? (status === 'closed' ? 'CASE_CLOSED' : 'ok') : 'no key';
            if (write !== wantWrite) failures.push(`${label}: write ${write}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('a grant to a role the policy excludes is refused for every such pair', async () => {
    const { caseId } = await openTestCase(world, owner, { owner: backup, category: 'contract' });
    const keys = (await caseKeysFor(world, owner, caseId, everyone)).keys;
    const failures: string[] = [];
    for (const role of roles) {
      for (const compartment of caseCompartments) {
        if (mayHoldCompartment('contract', compartment, role)) continue;
        const prepared = prepareGrant({
          audited: keys.audited,
          compartment,
          keyring: keys.keyrings[compartment]!,
          recipient: certifiedOf(world, members.get(role)!),
          signer: memberSigner(owner.id, owner.keys),
          at: at(),
        });
        const result = await outcome(grantCompartment(world.database, { actorId: owner.id, caseId, request: prepared }));
        if (result !== 'CASE_MEMBER_NOT_ELIGIBLE') failures.push(`${role} × ${compartment}: ${result}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
