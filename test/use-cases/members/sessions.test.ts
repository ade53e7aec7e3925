import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAuditEntries } from '../../../src/server/audit/index.js';
import { createSession, findActiveSession } from '../../../src/server/members/repository/index.js';
import { logOut, logOutEverywhere, readMyKeys } from '../../../src/server/members/use-cases/index.js';
import { backends } from '../../support/databases.js';
import { joinMember, openWorld, type World } from '../../support/use-cases.js';

async function lastAction(world: World): Promise<{ action: string; detail: unknown }> {
  let last: { action: string; detail: unknown } = { action: '', detail: null };
  for await (const e of allAuditEntries(world.database.db)) last = { action: e.action, detail: e.detail };
  return last;
}

describe.each(backends())('own-account use cases on $name', (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld(backend);
  });
  afterAll(async () => {
    await world?.dispose();
  });

  const sessionOf = (memberId: World['admin']['id']) => world.database.db.transaction().execute((tx) => createSession(tx, memberId, 'full'));

  it('logOut ends this session only, and audits it', async () => {
    const member = await joinMember(world, 'coordinator', 'logs-out');
    const here = await sessionOf(member.id);
    const elsewhere = await sessionOf(member.id);
    const actor = await findActiveSession(world.database.db, here.token);
    await logOut(world.database, { memberId: member.id, sessionHash: actor!.sessionHash });
    expect(await findActiveSession(world.database.db, here.token)).toBeNull();
    expect(await findActiveSession(world.database.db, elsewhere.token)).not.toBeNull();
    expect((await lastAction(world)).action).toBe('auth.logout');
  });

  it('logOutEverywhere ends every session of the member and counts them', async () => {
    const member = await joinMember(world, 'specialist', 'logs-out-everywhere');
    const sessions = [await sessionOf(member.id), await sessionOf(member.id)];
    const other = await sessionOf(world.admin.id);
    expect(await logOutEverywhere(world.database, { memberId: member.id })).toBe(2);
    for (const s of sessions) expect(await findActiveSession(world.database.db, s.token)).toBeNull();
    expect(await findActiveSession(world.database.db, other.token)).not.toBeNull();
    expect(await lastAction(world)).toEqual({ action: 'auth.logout_everywhere', detail: { sessions: 2 } });
  });

  it('readMyKeys gives the bundle and certificate, and the sealed organization key to administrators only', async () => {
    const admin = await readMyKeys(world.database, { memberId: world.admin.id });
    expect(admin.keyBundle).toBeTruthy();
    expect(admin.certificate).not.toBeNull();
    expect(admin.sealedOrganizationKey).not.toBeNull();
    const member = await joinMember(world, 'verifier', 'reads-keys', { certify: true });
    const mine = await readMyKeys(world.database, { memberId: member.id });
    expect(mine.certificate).not.toBeNull();
    expect(mine.sealedOrganizationKey).toBeNull();
  });
});
