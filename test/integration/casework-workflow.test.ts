import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseId, MemberId, Role } from '../../src/core/index.js';
import { installAuthorization } from '../../src/server/http/authorize.js';
import { seedCaseForWorkflowTests, seedGrantForWorkflowTests, seedTaskRecordForWorkflowTests } from '../support/cases.js';
import { backends } from '../support/databases.js';
import { Browserish, certificateFor, inviteAndJoin, logIn, setUpOrganization, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The case workflow over HTTP: what the schemas refuse (malformed, hostile,
 * oversized), what the case policy hides (cases a member is not involved in
 * answer CASE_NOT_FOUND) or refuses, and one pass through the workflow as a
 * browser would make it. Cases are seeded straight into the database
 * (test/support/cases.ts); opening them has its own tests.
 */
describe.each(backends())('case workflow over HTTP on $name', (backend) => {
  let server: TestServer;
  let admin: Browserish;
  let org: Awaited<ReturnType<typeof setUpOrganization>>;
  const people: Record<string, { client: Browserish; member: TestMember }> = {};

  async function certifiedMember(role: Role, name: string) {
    const joined = await inviteAndJoin(admin, server.url, role, name);
    const res = await admin.post(`/api/members/${joined.member.id}/certificate`, {
      certificate: certificateFor(org.organization, joined.member, role, org.admin.id),
    });
    if (res.status !== 200) throw new Error(`certify failed: ${JSON.stringify(res.body)}`);
    await logIn(joined.client, joined.member);
    people[name] = joined;
    return joined;
  }

  beforeAll(async () => {
    server = await startTestServer(backend);
    admin = new Browserish(server.url);
    org = await setUpOrganization(admin);
    await logIn(admin, org.admin);
    await certifiedMember('coordinator', 'owner');
    await certifiedMember('coordinator', 'holder');
    await certifiedMember('coordinator', 'stranger');
    await certifiedMember('specialist', 'specialist');
    await certifiedMember('psychologist', 'psychologist');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const id = (name: string) => people[name]!.member.id as MemberId;
  const as = (name: string) => people[name]!.client;

  /** A case owned by `owner`, held by owner, holder and the administrator; the psychologist holds `support`. */
  async function seed(status: 'new' | 'triage' | 'active' | 'closed' = 'new') {
    const c = await seedCaseForWorkflowTests(server.database, {
      createdBy: id('owner'),
      status,
      holders: [id('owner'), id('holder'), org.admin.id as MemberId],
    });
    await seedGrantForWorkflowTests(server.database, c.id, 'support', id('psychologist'), id('owner'));
    return c;
  }

  /** What a request could have changed: the case's row and its audit entries. */
  async function snapshot(caseId: CaseId) {
    const row = await server.database.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const entries = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_entries WHERE subject_id = ${caseId}`.execute(server.database.db);
    const notes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE case_id = ${caseId}`.execute(server.database.db);
    const tasks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_tasks WHERE case_id = ${caseId}`.execute(server.database.db);
    return { row, entries: entries.rows[0]!.n, notes: notes.rows[0]!.n, tasks: tasks.rows[0]!.n };
  }

  it('malformed, hostile and oversized bodies get 400 (or 413) with a clear code and change nothing', async () => {
    const c = await seed('triage');
    const before = await snapshot(c.id);
    const owner = as('owner');
    const record = await seedTaskRecordForWorkflowTests(server.database, c.id, 'logistics');
    const task = { taskId: crypto.randomUUID(), recordId: record, compartment: 'logistics', assigneeId: null, dueOn: null };
    const refused: [string, string, unknown, string][] = [
      ['POST', 'status', { to: 'flying' }, 'VALIDATION_FAILED'],
      ['POST', 'status', { to: 'active', ownerId: id('stranger') }, 'VALIDATION_FAILED'],
      ['POST', 'status', { to: ['active'] }, 'VALIDATION_FAILED'],
      ['POST', 'status', {}, 'VALIDATION_FAILED'],
      ['POST', 'close', { reason: 'goal_reached' }, 'CASE_OUTCOME_REQUIRED'],
      ['POST', 'close', { outcome: 'reached_safety', reason: 'because I said so' }, 'VALIDATION_FAILED'],
      ['POST', 'priority', { priority: 'urgent', constructor: { prototype: { status: 'closed' } } }, 'MALFORMED_JSON'],
      ['POST', 'assignee', { memberId: 'not-a-uuid' }, 'VALIDATION_FAILED'],
      ['POST', 'assignee', { memberId: id('holder'), grants: Array.from({ length: 8 }, () => ({ statement: {}, sealedKey: {} })) }, 'VALIDATION_FAILED'],
      ['POST', 'escalations', { specialistId: id('specialist'), kind: 'takeover', reasonCode: 'other', grants: [] }, 'VALIDATION_FAILED'],
      ['POST', 'escalations', { specialistId: id('specialist'), kind: 'referral', reasonCode: 'other' }, 'VALIDATION_FAILED'],
      ['POST', 'flags', { flag: "urgent'; DROP TABLE cases; --" }, 'VALIDATION_FAILED'],
      ['DELETE', 'flags/urgent', { reasonCode: 'whim' }, 'VALIDATION_FAILED'],
      ['DELETE', 'flags/urgent', {}, 'FLAG_REASON_REQUIRED'],
      ['DELETE', 'flags/nonsense', { reasonCode: 'resolved' }, 'VALIDATION_FAILED'],
      ['POST', 'tasks', { ...task, dueOn: '2026-02-30' }, 'VALIDATION_FAILED'],
      ['POST', 'tasks', { ...task, dueOn: '2026-03-01T00:00:00Z' }, 'VALIDATION_FAILED'],
      ['POST', 'tasks', { ...task, compartment: 'intake' }, 'VALIDATION_FAILED'],
      ['POST', 'tasks', { ...task, title: 'plaintext title' }, 'VALIDATION_FAILED'],
      ['PATCH', `tasks/${crypto.randomUUID()}`, {}, 'VALIDATION_FAILED'],
      ['POST', 'access-requests', { compartment: 'everything' }, 'VALIDATION_FAILED'],
    ];
    const failures: string[] = [];
    for (const [method, path, body, code] of refused) {
      const res = await owner.request(method, `/api/cases/${c.id}/${path}`, body);
      if (res.status !== 400 || res.body?.error?.code !== code)
        failures.push(`${method} ${path} ${JSON.stringify(body)}: ${res.status} ${res.body?.error?.code}`);
    }
    expect(failures).toEqual([]);

    const notJson = await fetch(`${server.url}/api/cases/${c.id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie!, 'x-csrf-token': owner.csrf! },
      body: '{"to": "active"',
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('MALFORMED_JSON');
    const poisoned = await fetch(`${server.url}/api/cases/${c.id}/priority`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie!, 'x-csrf-token': owner.csrf! },
      body: '{"priority":"urgent","__proto__":{"status":"closed"}}',
    });
    expect(poisoned.status).toBe(400);
    expect((await poisoned.json()).error.code).toBe('MALFORMED_JSON');
    const huge = await owner.post(`/api/cases/${c.id}/assignee`, {
      memberId: id('holder'),
      grants: [{ statement: { s: 'x'.repeat(2_000_000) }, sealedKey: {} }],
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('BODY_TOO_LARGE');
    const badId = await owner.post('/api/cases/not-a-case/status', { to: 'active' });
    expect([badId.status, badId.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);

    const tooMany = await owner.post('/api/cases/handover', {
      fromId: id('owner'),
      toId: id('holder'),
      caseIds: Array.from({ length: 101 }, () => crypto.randomUUID()),
      grants: [],
    });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const twice = await owner.post('/api/cases/handover', { fromId: id('owner'), toId: id('holder'), caseIds: [c.id, c.id], grants: [] });
    expect([twice.status, twice.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    for (const body of [{ ids: [] }, { all: false }, { ids: [crypto.randomUUID()], all: true }, {}]) {
      const res = await owner.post('/api/notifications/read', body);
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await owner.get('/api/notifications?limit=1000')).status).toBe(400);
    expect((await owner.get('/api/notifications?before=abc')).status).toBe(400);
    expect((await owner.get(`/api/cases/${c.id}/timeline?before=-1`)).status).toBe(400);

    expect(await snapshot(c.id)).toEqual(before);
  });

  it('a member not involved in a case gets 404 CASE_NOT_FOUND, as for a case that does not exist', async () => {
    const c = await seed('triage');
    const before = await snapshot(c.id);
    const stranger = as('stranger');
    const nowhere = crypto.randomUUID();
    for (const caseId of [c.id, nowhere]) {
      for (const [method, path, body] of [
        ['POST', 'status', { to: 'active' }],
        ['POST', 'priority', { priority: 'high' }],
        ['POST', 'flags', { flag: 'urgent' }],
        ['GET', 'tasks', undefined],
        ['GET', 'timeline', undefined],
        ['POST', 'access-requests', { compartment: 'identity' }],
      ] as const) {
        const res = await stranger.request(method, `/api/cases/${caseId}/${path}`, body);
        expect([res.status, res.body.error.code], `${method} ${path}`).toEqual([404, 'CASE_NOT_FOUND']);
      }
    }
    expect(await snapshot(c.id)).toEqual(before);
  });

  it('involvement decides: a holder who does not manage the case is refused, a psychologist cannot escalate, only the owner reads the timeline', async () => {
    const c = await seed('triage');
    const holderMove = await as('holder').post(`/api/cases/${c.id}/status`, { to: 'active' });
    expect([holderMove.status, holderMove.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const escalation = { specialistId: id('specialist'), kind: 'referral', reasonCode: 'other', grants: [] };
    const byPsychologist = await as('psychologist').post(`/api/cases/${c.id}/escalations`, escalation);
    expect([byPsychologist.status, byPsychologist.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await as('psychologist').get(`/api/cases/${c.id}/timeline`)).status).toBe(403);
    expect((await as('holder').get(`/api/cases/${c.id}/timeline`)).status).toBe(403);
    // A psychologist holding a compartment may still warn of a risk.
    expect((await as('psychologist').post(`/api/cases/${c.id}/flags`, { flag: 'health' })).status).toBe(200);
    expect((await as('owner').get(`/api/cases/${c.id}/timeline`)).body.entries.map((e: { action: string }) => e.action)).toEqual(['case.flag_set']);
    expect((await admin.get(`/api/cases/${c.id}/timeline`)).status).toBe(200);
    const handover = await as('holder').post('/api/cases/handover', { fromId: id('owner'), toId: id('holder'), caseIds: [c.id], grants: [] });
    expect([handover.status, handover.body.error.code]).toEqual([403, 'HANDOVER_NOT_ALLOWED']);
  });

  it('the hook alone refuses by the case policy: a holder who does not manage the case is forbidden, a stranger finds nothing', async () => {
    const c = await seed('triage');
    const app = Fastify();
    await app.register(cookie);
    installAuthorization(app, server.database, { https: false });
    // A handler that would do anything it is asked: only the hook stands in the way.
    app.post('/api/cases/:caseId/status', { config: { action: 'case.update', resource: 'case' } }, async () => ({ ok: true }));
    const call = async (name: string) => {
      const client = as(name);
      const res = await app.inject({ method: 'POST', url: `/api/cases/${c.id}/status`, headers: { cookie: client.cookie!, 'x-csrf-token': client.csrf! } });
      return res.json();
    };
    expect(await call('owner')).toEqual({ ok: true });
    expect((await call('holder')).code).toBe('FORBIDDEN');
    expect((await call('stranger')).code).toBe('CASE_NOT_FOUND');
    await app.close();
  });

  it('one pass through the workflow, as a browser makes it', async () => {
    const c = await seed('new');
    const owner = as('owner');
    const base = `/api/cases/${c.id}`;
    expect((await owner.post(`${base}/status`, { to: 'triage' })).body).toMatchObject({ caseId: c.id, code: c.code, status: 'triage' });
    const skip = await owner.post(`${base}/status`, { to: 'legalizing' });
    expect([skip.status, skip.body.error.code, skip.body.error.params]).toEqual([409, 'CASE_MOVE_NOT_ALLOWED', { from: 'triage', to: 'legalizing' }]);
    expect((await owner.post(`${base}/priority`, { priority: 'high' })).body.priority).toBe('high');

    const referral = await owner.post(`${base}/escalations`, { specialistId: id('specialist'), kind: 'referral', reasonCode: 'legal_expertise', grants: [] });
    expect(referral.status).toBe(200);
    expect(referral.body.specialists.map((s: { memberId: string }) => s.memberId)).toEqual([id('specialist')]);

    const record = await seedTaskRecordForWorkflowTests(server.database, c.id, 'logistics');
    const due = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const created = await owner.post(`${base}/tasks`, {
      taskId: crypto.randomUUID(),
      recordId: record,
      compartment: 'logistics',
      assigneeId: id('holder'),
      dueOn: due,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ state: 'open', dueOn: due, dueSoon: true, overdue: false });
    const mine = await as('holder').get('/api/tasks/mine');
    expect(mine.body.tasks.map((t: { taskId: string; caseCode: string }) => [t.taskId, t.caseCode])).toEqual([[created.body.taskId, c.code]]);
    const inbox = await as('holder').get('/api/notifications');
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.notifications[0]).toMatchObject({ kind: 'task_assigned', caseId: c.id, caseCode: c.code, taskId: created.body.taskId });
    expect((await as('holder').get('/api/notifications/unread-count')).body).toEqual({ unread: 1 });
    // Nobody marks another member's notification.
    const foreign = await owner.post('/api/notifications/read', { ids: [inbox.body.notifications[0].id] });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOTIFICATION_NOT_FOUND']);
    expect((await as('holder').post('/api/notifications/read', { all: true })).body).toEqual({ unread: 0 });
    const done = await as('holder').request('PATCH', `${base}/tasks/${created.body.taskId}`, { state: 'done' });
    expect(done.body.state).toBe('done');
    expect((await owner.get(`${base}/tasks`)).body.tasks).toHaveLength(1);

    const access = await as('psychologist').post(`${base}/access-requests`, { compartment: 'testimony' });
    expect(access.body).toEqual({ requested: true, notified: 3 });
    expect((await as('psychologist').post(`${base}/access-requests`, { compartment: 'testimony' })).body).toEqual({ requested: false, notified: 0 });

    expect((await owner.post(`${base}/flags`, { flag: 'legal_deadline' })).body.flags.map((f: { flag: string }) => f.flag)).toEqual(['legal_deadline']);
    const removed = await as('specialist').request('DELETE', `${base}/flags/legal_deadline`, { reasonCode: 'resolved' });
    expect(removed.body.flags).toEqual([]);

    const closed = await owner.post(`${base}/close`, { outcome: 'legal_status', reason: 'goal_reached' });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'legal_status' });
    const afterClose = await owner.post(`${base}/priority`, { priority: 'low' });
    expect([afterClose.status, afterClose.body.error.code]).toEqual([409, 'CASE_CLOSED']);
    expect((await owner.post(`${base}/reopen`)).body).toMatchObject({ status: 'triage', outcome: null, closedAt: null });

    const handoverList = await owner.get(`/api/cases/handover/candidates?fromId=${id('owner')}`);
    expect(handoverList.body.cases.map((x: { caseId: string }) => x.caseId)).toContain(c.id);
    const handover = await owner.post('/api/cases/handover', { fromId: id('owner'), toId: id('holder'), caseIds: [c.id], grants: [] });
    expect(handover.body).toEqual({ moved: [c.id], already: [], skipped: [] });

    const timeline = await admin.get(`${base}/timeline`);
    expect(timeline.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'case.handed_over',
      'case.reopened',
      'case.closed',
      'case.flag_removed',
      'case.flag_set',
      'case.access_requested',
      'case.task_updated',
      'case.task_created',
      'case.escalated',
      'case.priority_changed',
      'case.status_changed',
    ]);
    // Only codes and ids in the timeline: no free text travelled.
    expect(JSON.stringify(timeline.body)).not.toMatch(/title|name/i);
  });
});
