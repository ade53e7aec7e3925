import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberSigner, prepareGrant, prepareRotation, type CaseId } from '../../../src/core/index.js';
import { grantCompartment, readCase, revokeMember, rotateCompartment } from '../../../src/server/cases/use-cases/index.js';
import type { Executor } from '../../../src/server/db/executor.js';
import { backends } from '../../support/databases.js';
import { caseKeysFor, certifiedOf, openTestCase, writeTestRecord } from '../../support/casework.js';
import { actorOf, joinMember, openWorld, outcome, type SeededMember, type World } from '../../support/use-cases.js';

/**
 * Nothing lost, nothing half-written: a failure at any statement of a write
 * (as a crash or a killed connection would cause) leaves the database as it
 * was, and the same request then succeeds. Failures are injected by a
 * trigger on each table the write touches, one table at a time.
 */
const tables = [
  'cases',
  'case_statements',
  'compartments',
  'compartment_epochs',
  'compartment_grants',
  'pending_rotations',
  'case_records',
  'record_heads',
  'record_tokens',
  'audit_entries',
] as const;

async function installFailPoints(db: Executor): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS test_fail_points (t text PRIMARY KEY)`.execute(db);
  await sql`CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM test_fail_points WHERE t = TG_TABLE_NAME) THEN RAISE EXCEPTION 'injected failure in %', TG_TABLE_NAME; END IF;
      RETURN NULL;
    END $$`.execute(db);
  for (const t of tables) {
    await sql`DROP TRIGGER IF EXISTS test_fail ON ${sql.table(t)}`.execute(db);
    await sql`CREATE TRIGGER test_fail AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(t)} FOR EACH ROW EXECUTE FUNCTION test_fail()`.execute(db);
  }
}

/** Every row of every casework table and the audit log, as text: what "unchanged" means. */
async function snapshot(db: Executor): Promise<string> {
  let out = '';
  for (const t of tables) out += `${t}:${JSON.stringify((await sql`SELECT * FROM ${sql.table(t)} ORDER BY 1, 2`.execute(db)).rows)}\n`;
  return out;
}

describe.each(backends())('casework writes are atomic on $name', (backend) => {
  let world: World;
  let coordinator: SeededMember;
  let specialist: SeededMember;
  let everyone: SeededMember[];

  beforeAll(async () => {
    world = await openWorld(backend);
    coordinator = await joinMember(world, 'coordinator', 'coord', { certify: true });
    specialist = await joinMember(world, 'specialist', 'spec', { certify: true });
    everyone = [world.admin, coordinator, specialist];
    await installFailPoints(world.database.db);
  }, 120_000);
  afterAll(async () => world?.dispose());

  /** Runs `attempt` once with a failure at each table; each failure changes nothing; the last try, with no failure, succeeds. */
  async function failEverywhere(label: string, attempt: () => Promise<unknown>, touches: readonly (typeof tables)[number][]) {
    const db = world.database.db;
    const failures: string[] = [];
    for (const t of touches) {
      const before = await snapshot(db);
      await sql`INSERT INTO test_fail_points VALUES (${t})`.execute(db);
      const result = await attempt().then(
        () => 'ok',
        (error: unknown) => String((error as Error).message),
      );
      await sql`DELETE FROM test_fail_points`.execute(db);
      if (!result.includes('injected failure')) failures.push(`${label}: a failure in ${t} did not stop it (${result})`);
      if ((await snapshot(db)) !== before) failures.push(`${label}: a failure in ${t} left rows behind`);
    }
    expect(failures).toEqual([]);
    await attempt();
  }

  it('opening a case, writing a record, granting, revoking and rotating', async () => {
    // Opening: the case id and code are drawn anew by each attempt, so retrying is the same request in all that matters.
    await failEverywhere('open case', () => openTestCase(world, coordinator), [
      'cases',
      'case_statements',
      'compartments',
      'compartment_epochs',
      'compartment_grants',
      'audit_entries',
    ]);
    const { caseId } = await openTestCase(world, coordinator);
    let keys = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    const recordId = crypto.randomUUID();
    await failEverywhere(
      'write record',
      () => writeTestRecord(world, coordinator, keys, 'identity', { kind: 'note', text: 'паспорт в сейфе части' }, { recordId }),
      ['case_records', 'record_heads', 'record_tokens', 'cases', 'audit_entries'],
    );
    const grant = prepareGrant({
      audited: keys.audited,
      compartment: 'legal',
      keyring: keys.keyrings.legal!,
      recipient: certifiedOf(world, specialist),
      signer: memberSigner(coordinator.id, coordinator.keys),
      at: new Date().toISOString(),
    });
    await failEverywhere('grant', () => grantCompartment(world.database, { actorId: coordinator.id, caseId, request: grant }), [
      'case_statements',
      'compartment_grants',
      'cases',
      'audit_entries',
    ]);
    await failEverywhere('revoke', () => revokeMember(world.database, { actorId: coordinator.id, caseId, memberId: specialist.id }), [
      'pending_rotations',
      'cases',
      'audit_entries',
    ]);
    keys = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    const rotation = prepareRotation({
      audited: keys.audited,
      compartment: 'legal',
      keyring: keys.keyrings.legal!,
      holders: [certifiedOf(world, coordinator), certifiedOf(world, world.admin)],
      dropped: [specialist.id],
      reason: 'revoked',
      signer: memberSigner(coordinator.id, coordinator.keys),
      at: new Date().toISOString(),
    });
    await failEverywhere('rotate', () => rotateCompartment(world.database, { actorId: coordinator.id, caseId, request: rotation.request }), [
      'case_statements',
      'compartment_epochs',
      'compartments',
      'compartment_grants',
      'pending_rotations',
      'cases',
      'audit_entries',
    ]);
    const after = (await caseKeysFor(world, coordinator, caseId as CaseId, everyone)).keys;
    expect(after.audited.compartments.legal).toMatchObject({ epoch: 1, holders: [coordinator.id, world.admin.id] });
    expect((await readCase(world.database, { actor: actorOf(specialist), caseId }).catch(() => null))?.myKeys ?? []).toEqual([]);
  });

  it('concurrent grants on one case: one statement per chain position, the chain stays valid', async () => {
    const { caseId } = await openTestCase(world, coordinator);
    const keys = (await caseKeysFor(world, coordinator, caseId, everyone)).keys;
    const grants = (['identity', 'contact', 'logistics', 'legal', 'evidence'] as const).map((compartment) =>
      prepareGrant({
        audited: keys.audited,
        compartment,
        keyring: keys.keyrings[compartment]!,
        recipient: certifiedOf(world, specialist),
        signer: memberSigner(coordinator.id, coordinator.keys),
        at: new Date().toISOString(),
      }),
    );
    const results = await Promise.all(grants.map((g) => outcome(grantCompartment(world.database, { actorId: coordinator.id, caseId, request: g }))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'CASE_CHAIN_CONFLICT')).toHaveLength(4);
    const audited = (await caseKeysFor(world, coordinator, caseId, everyone)).keys.audited;
    expect(audited.head.seq).toBe(1);
    const held = Object.values(audited.compartments).filter((c) => c.holders.includes(specialist.id));
    expect(held).toHaveLength(1);
  });
});
