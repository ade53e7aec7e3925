import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMemberId, memberSigner, prepareSearch, type OrganizationKeyPair } from '../../src/core/index.js';
import { backends } from '../support/databases.js';
import { Browserish, inviteAndJoin, logIn, setUpOrganization, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { certify, httpCaseKeys, httpOpenCase, httpWriteRecord } from '../support/casework-http.js';
import { foundIn, needles, seizedCopy } from '../support/seizure.js';

/** Marker strings of every kind of field a case holds; none may reach the database, the data directory or the logs. */
const markers = {
  realName: 'Григорий Маркеров',
  passport: '75 4455667',
  telegram: '@markerov_secret',
  phone: '+7 916 555 01 23',
  route: 'Верхний Ларс 14 марта',
  task: 'Купить билет Маркерову',
  word: 'паспортизация',
};

describe.each(backends())('casework over HTTP ($name)', (backend) => {
  let server: TestServer;
  let admin: TestMember;
  let adminClient: Browserish;
  let coordinator: TestMember;
  let coordinatorClient: Browserish;
  let organization: OrganizationKeyPair;

  beforeAll(async () => {
    server = await startTestServer(backend, { keepData: false });
    adminClient = new Browserish(server.url);
    const setup = await setUpOrganization(adminClient);
    admin = setup.admin;
    organization = setup.organization;
    await logIn(adminClient, admin);
    const joined = await inviteAndJoin(adminClient, server.url, 'coordinator', 'coordinator-c');
    coordinator = joined.member;
    coordinatorClient = joined.client;
    await certify(adminClient, organization, coordinator, admin.id);
    await logIn(coordinatorClient, coordinator);
  }, 120_000);
  afterAll(async () => server?.dispose());

  it('seizure: markers in names, documents, handles, phones, routes, tasks and search words appear nowhere the server keeps', async () => {
    const { caseId } = await httpOpenCase(coordinatorClient, organization, coordinator, [admin], admin.id);
    const { keys } = await httpCaseKeys(coordinatorClient, organization, coordinator, caseId);
    const writes = [
      await httpWriteRecord(coordinatorClient, coordinator, keys, 'identity', {
        kind: 'fields',
        fields: { realName: markers.realName, documentNumbers: markers.passport },
      }),
      await httpWriteRecord(coordinatorClient, coordinator, keys, 'contact', {
        kind: 'fields',
        fields: { handles: markers.telegram, channels: markers.phone },
      }),
      await httpWriteRecord(coordinatorClient, coordinator, keys, 'logistics', { kind: 'note', text: `Маршрут: ${markers.route}` }),
      await httpWriteRecord(coordinatorClient, coordinator, keys, 'logistics', { kind: 'task', title: markers.task }),
      await httpWriteRecord(coordinatorClient, coordinator, keys, 'testimony', { kind: 'note', text: `Слово для поиска: ${markers.word}` }),
    ];
    expect(writes.map((w) => w.status)).toEqual([200, 200, 200, 200, 200]);
    const search = prepareSearch({ query: markers.word, keyrings: Object.values(keys.keyrings) });
    const found = await coordinatorClient.post('/api/search', search);
    expect(found.status).toBe(200);
    expect(found.body.hits).toHaveLength(1);

    const haystacks = await seizedCopy(server, backend);
    const hits = (marker: string) => foundIn(haystacks, marker);
    // The search can find things: the case's plaintext code is in the database, a Cyrillic marker in UTF-16 would be found.
    expect(hits(keys.audited.code).some((where) => where === 'table cases')).toBe(true);
    expect(needles(markers.realName).some((n) => Buffer.from(`x ${markers.realName.toUpperCase()} y`, 'utf16le').toString('latin1').includes(n))).toBe(true);
    expect(haystacks.length).toBeGreaterThan(10);
    expect(Object.entries(markers).flatMap(([what, marker]) => hits(marker).map((where) => `${what} in ${where}`))).toEqual([]);
  });

  it('refuses malformed, hostile and oversized bodies with a clear code, and keeps nothing of them', async () => {
    const before = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases`.execute(server.database.db)).rows[0]!.n);
    const bodies: unknown[] = [
      {},
      { caseId: 'not-a-uuid' },
      { caseId: crypto.randomUUID(), code: 'AAAAAA', category: 'officer', priority: 'high', ownerId: null, statement: {}, sealedKeys: [] },
      { caseId: crypto.randomUUID(), code: 'K7F-3QX', category: 'pirate', priority: 'high', ownerId: null, statement: {}, sealedKeys: Array(14).fill({}) },
      {
        caseId: crypto.randomUUID(),
        code: 'K7F-3QX',
        category: 'officer',
        priority: 'high',
        ownerId: null,
        statement: { v: 1 },
        sealedKeys: Array(14).fill({}),
      },
    ];
    for (const body of bodies) {
      const res = await coordinatorClient.post('/api/cases', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(['VALIDATION_FAILED', 'CASE_STATEMENT_REJECTED']).toContain(res.body.error.code);
    }
    const huge = await coordinatorClient.post('/api/cases', { caseId: crypto.randomUUID(), pad: 'x'.repeat(9 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    // A real opening statement with one sealed key swapped for another compartment's.
    const { keys } = await httpCaseKeys(
      coordinatorClient,
      organization,
      coordinator,
      (await httpOpenCase(coordinatorClient, organization, coordinator, [admin], admin.id)).caseId,
    );
    const record = await httpWriteRecord(coordinatorClient, coordinator, keys, 'identity', { kind: 'note', text: 'x' });
    expect(record.status).toBe(200);
    const replay = await coordinatorClient.post(`/api/cases/${keys.audited.caseId}/records`, JSON.parse(coordinatorClient.sent.at(-1)!));
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('RECORD_CONFLICT');
    const foreign = await adminClient.post(`/api/cases/${keys.audited.caseId}/records`, JSON.parse(coordinatorClient.sent.at(-2)!));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('RECORD_REJECTED');
    const search = await coordinatorClient.post('/api/search', { groups: [] });
    expect(search.status).toBe(400);
    const notACase = await coordinatorClient.get(`/api/cases/${crypto.randomUUID()}`);
    expect([notACase.status, notACase.body.error.code]).toEqual([404, 'CASE_NOT_FOUND']);
    const after = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases`.execute(server.database.db)).rows[0]!.n);
    expect(after).toBe(before + 1);
    expect(memberSigner(asMemberId(coordinator.id), coordinator.keys).memberId).toBe(coordinator.id);
  });
});
