import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseMoves,
  caseStatuses,
  escalationCompartments,
  mayMoveCase,
  memberSigner,
  prepareGrant,
  reopenedStatus,
  type CaseChainHead,
  type CaseId,
  type CaseKeys,
  type CaseStatus,
  type MemberId,
} from '../../../src/core/index.js';
import { addDays, utcDay } from '../../../src/core/domain/casework.js';
import { appendAuditEntry } from '../../../src/server/audit/index.js';
import { notifyOverdueTasks } from '../../../src/server/cases/housekeeping.js';
import {
  assignCase,
  changeCasePriority,
  changeCaseStatus,
  closeCase,
  countUnread,
  createTask,
  escalateCase,
  handOverCases,
  listCaseTasks,
  listHandoverCandidates,
  listMyTasks,
  listNotifications,
  markNotificationsRead,
  readCaseTimeline,
  removeCaseFlag,
  reopenCase,
  requestAccess,
  setCaseFlag,
  updateTask,
} from '../../../src/server/cases/use-cases/workflow.js';
import { startHousekeeping } from '../../../src/server/members/housekeeping.js';
import { suspendMember } from '../../../src/server/members/use-cases/index.js';
import { listActiveHolders } from '../../../src/server/cases/repository/holders.js';
import { caseKeysFor, certifiedOf, openTestCase } from '../../support/casework.js';
import { seedCaseForWorkflowTests, seedGrantForWorkflowTests, seedTaskRecordForWorkflowTests, setTaskDueForWorkflowTests } from '../../support/cases.js';
import { backends } from '../../support/databases.js';
import { joinMember, openWorld, outcome, type SeededMember, type World } from '../../support/use-cases.js';

describe.each(backends())('case workflow on $name', (backend) => {
  let world: World;
  let owner: SeededMember;
  let colleague: SeededMember;
  let specialist: SeededMember;
  let psychologist: SeededMember;
  let uncertified: SeededMember;
  let stranger: SeededMember;

  beforeAll(async () => {
    world = await openWorld(backend);
    owner = await joinMember(world, 'coordinator', 'owner', { certify: true });
    colleague = await joinMember(world, 'coordinator', 'colleague', { certify: true });
    specialist = await joinMember(world, 'specialist', 'specialist', { certify: true });
    psychologist = await joinMember(world, 'psychologist', 'psychologist', { certify: true });
    uncertified = await joinMember(world, 'coordinator', 'uncertified');
    stranger = await joinMember(world, 'coordinator', 'stranger', { certify: true });
  });
  afterAll(async () => {
    await world?.dispose();
  });

  const db = () => world.database.db;

  /** A case owned by `owner`, held by the owner and the administrator (as opening leaves it). */
  async function seed(extra: Partial<Parameters<typeof seedCaseForWorkflowTests>[1]> = {}) {
    return seedCaseForWorkflowTests(world.database, { createdBy: owner.id, holders: [owner.id, world.admin.id], ...extra });
  }

  async function caseRow(id: CaseId) {
    return db().selectFrom('cases').selectAll().select(sql<string | null>`next_due_on::text`.as('due')).where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function caseActions(id: CaseId): Promise<string[]> {
    const rows = await db().selectFrom('audit_entries').select(['action', 'seq']).where('subject_id', '=', id).orderBy('seq').execute();
    return rows.map((r) => r.action);
  }

  async function notificationsOf(member: MemberId, caseId?: CaseId) {
    let q = db().selectFrom('notifications').selectAll().where('member_id', '=', member);
    if (caseId) q = q.where('case_id', '=', caseId);
    return q.orderBy('created_at').execute();
  }

  describe('status', () => {
    it('every move the workflow allows between open statuses is made, audited, and touches the case', async () => {
      for (const from of caseStatuses) {
        if (from === 'closed') continue;
        for (const to of caseMoves[from]) {
          if (to === 'closed') continue;
          const c = await seed({ status: from });
          const before = (await caseRow(c.id)).updated_at;
          await new Promise((r) => setTimeout(r, 2));
          const state = await changeCaseStatus(world.database, { actorId: owner.id, caseId: c.id, to });
          expect(state.status, `${from} → ${to}`).toBe(to);
          const row = await caseRow(c.id);
          expect(row.status).toBe(to);
          expect(row.updated_at.getTime()).toBeGreaterThan(before.getTime());
          expect(await caseActions(c.id)).toEqual(['case.status_changed']);
        }
      }
    });

    it('refuses moves the workflow does not allow, and closing without an outcome, changing nothing', async () => {
      const refused: [CaseStatus, CaseStatus][] = [
        ['new', 'active'],
        ['new', 'new'],
        ['triage', 'arrived'],
        ['triage', 'legalizing'],
        ['in_transit', 'legalizing'],
        ['legalizing', 'in_transit'],
        ['legalizing', 'triage'],
        ['arrived', 'new'],
      ];
      for (const [from, to] of refused) {
        expect(mayMoveCase(from, to)).toBe(false);
        const c = await seed({ status: from });
        expect(await outcome(changeCaseStatus(world.database, { actorId: owner.id, caseId: c.id, to })), `${from} → ${to}`).toBe('CASE_MOVE_NOT_ALLOWED');
        expect((await caseRow(c.id)).status).toBe(from);
        expect(await caseActions(c.id)).toEqual([]);
      }
      const c = await seed({ status: 'active' });
      expect(await outcome(changeCaseStatus(world.database, { actorId: owner.id, caseId: c.id, to: 'closed' }))).toBe('CASE_OUTCOME_REQUIRED');
      const closed = await seed({ status: 'closed' });
      expect(await outcome(changeCaseStatus(world.database, { actorId: owner.id, caseId: closed.id, to: 'triage' }))).toBe('CASE_CLOSED');
      expect((await caseRow(closed.id)).status).toBe('closed');
    });

    it('closing needs an outcome; reopening goes back to triage and clears the outcome', async () => {
      const c = await seed({ status: 'active' });
      expect(await outcome(closeCase(world.database, { actorId: owner.id, caseId: c.id, reason: 'goal_reached' }))).toBe('CASE_OUTCOME_REQUIRED');
      expect((await caseRow(c.id)).status).toBe('active');
      const closed = await closeCase(world.database, { actorId: owner.id, caseId: c.id, outcome: 'reached_safety', reason: 'goal_reached' });
      expect(closed).toMatchObject({ status: 'closed', outcome: 'reached_safety' });
      expect(closed.closedAt).not.toBeNull();
      expect(await outcome(closeCase(world.database, { actorId: owner.id, caseId: c.id, outcome: 'other', reason: 'other' }))).toBe('CASE_CLOSED');
      const reopened = await reopenCase(world.database, { actorId: owner.id, caseId: c.id });
      expect(reopened).toMatchObject({ status: reopenedStatus, outcome: null, closedAt: null });
      const row = await caseRow(c.id);
      expect([row.status, row.outcome, row.closed_at]).toEqual(['triage', null, null]);
      expect(await outcome(reopenCase(world.database, { actorId: owner.id, caseId: c.id }))).toBe('CASE_MOVE_NOT_ALLOWED');
      const closing = await db()
        .selectFrom('audit_entries')
        .select('detail')
        .where('subject_id', '=', c.id)
        .where('action', '=', 'case.closed')
        .executeTakeFirstOrThrow();
      expect(closing.detail).toEqual({ from: 'active', outcome: 'reached_safety', reason: 'goal_reached' });
      expect(await caseActions(c.id)).toEqual(['case.closed', 'case.reopened']);
    });

    it('a closed case refuses every change but reopening', async () => {
      const c = await seed({ status: 'closed' });
      const record = await seedTaskRecordForWorkflowTests(world.database, c.id, 'logistics');
      const attempts: (() => Promise<unknown>)[] = [
        () => changeCasePriority(world.database, { actorId: owner.id, caseId: c.id, priority: 'high' }),
        () => assignCase(world.database, { actorId: owner.id, caseId: c.id, memberId: colleague.id }),
        () => escalateCase(world.database, { actorId: owner.id, caseId: c.id, specialistId: specialist.id, kind: 'referral', reasonCode: 'other', grants: [] }),
        () => setCaseFlag(world.database, { actorId: owner.id, caseId: c.id, flag: 'urgent' }),
        () =>
          createTask(world.database, {
            actorId: owner.id,
            caseId: c.id,
            taskId: crypto.randomUUID(),
            recordId: record,
            compartment: 'logistics',
            assigneeId: null,
            dueOn: null,
          }),
      ];
      for (const attempt of attempts) expect(await outcome(attempt())).toBe('CASE_CLOSED');
      expect(await caseActions(c.id)).toEqual([]);
      expect((await reopenCase(world.database, { actorId: owner.id, caseId: c.id })).status).toBe('triage');
    });

    it('priority changes are audited once; the same priority again records nothing', async () => {
      const c = await seed();
      expect((await changeCasePriority(world.database, { actorId: owner.id, caseId: c.id, priority: 'urgent' })).priority).toBe('urgent');
      await changeCasePriority(world.database, { actorId: owner.id, caseId: c.id, priority: 'urgent' });
      expect(await caseActions(c.id)).toEqual(['case.priority_changed']);
    });

    it('only the owner, its specialists and administrators move a case; others are refused, strangers do not see it', async () => {
      const c = await seed({ holders: [owner.id, world.admin.id, colleague.id], specialists: [specialist.id] });
      expect(await outcome(changeCaseStatus(world.database, { actorId: colleague.id, caseId: c.id, to: 'triage' }))).toBe('FORBIDDEN');
      expect(await outcome(changeCaseStatus(world.database, { actorId: stranger.id, caseId: c.id, to: 'triage' }))).toBe('CASE_NOT_FOUND');
      expect(await outcome(changeCaseStatus(world.database, { actorId: uncertified.id, caseId: c.id, to: 'triage' }))).toBe('FORBIDDEN');
      expect(await outcome(changeCaseStatus(world.database, { actorId: owner.id, caseId: crypto.randomUUID() as CaseId, to: 'triage' }))).toBe(
        'CASE_NOT_FOUND',
      );
      expect((await changeCaseStatus(world.database, { actorId: specialist.id, caseId: c.id, to: 'triage' })).status).toBe('triage');
      expect((await changeCaseStatus(world.database, { actorId: world.admin.id, caseId: c.id, to: 'active' })).status).toBe('active');
    });
  });

  describe('assignment and escalation', () => {
    it('assigns to an active, certified casekeeper and tells them; refuses anyone else', async () => {
      const c = await seed();
      for (const member of [psychologist, uncertified]) {
        expect(await outcome(assignCase(world.database, { actorId: owner.id, caseId: c.id, memberId: member.id }))).toBe('CASE_OWNER_INVALID');
      }
      expect(await outcome(assignCase(world.database, { actorId: owner.id, caseId: c.id, memberId: crypto.randomUUID() as MemberId }))).toBe(
        'CASE_OWNER_INVALID',
      );
      const state = await assignCase(world.database, { actorId: owner.id, caseId: c.id, memberId: colleague.id });
      expect(state.ownerId).toBe(colleague.id);
      expect((await notificationsOf(colleague.id, c.id)).map((n) => [n.kind, n.actor_id])).toEqual([['assigned', owner.id]]);
      // The previous owner is no longer the owner: assigning again is not theirs to do.
      expect(await outcome(assignCase(world.database, { actorId: owner.id, caseId: c.id, memberId: owner.id }))).toBe('FORBIDDEN');
      expect((await assignCase(world.database, { actorId: world.admin.id, caseId: c.id, memberId: null })).ownerId).toBeNull();
      expect(await caseActions(c.id)).toEqual(['case.assigned', 'case.assigned']);
    });

    it('a referral adds the specialist beside the owner and tells them; a second referral is refused', async () => {
      const c = await seed();
      expect(
        await outcome(
          escalateCase(world.database, { actorId: owner.id, caseId: c.id, specialistId: psychologist.id, kind: 'referral', reasonCode: 'other', grants: [] }),
        ),
      ).toBe('CASE_SPECIALIST_INVALID');
      expect(
        await outcome(
          escalateCase(world.database, { actorId: owner.id, caseId: c.id, specialistId: owner.id, kind: 'referral', reasonCode: 'other', grants: [] }),
        ),
      ).toBe('CASE_SPECIALIST_INVALID');
      const result = await escalateCase(world.database, {
        actorId: owner.id,
        caseId: c.id,
        specialistId: specialist.id,
        kind: 'referral',
        reasonCode: 'legal_expertise',
        grants: [],
      });
      expect(result.ownerId).toBe(owner.id);
      expect(result.specialists.map((s) => [s.memberId, s.kind])).toEqual([[specialist.id, 'referral']]);
      expect((await notificationsOf(specialist.id, c.id)).map((n) => [n.kind, n.detail])).toEqual([['escalated', { kind: 'referral' }]]);
      expect(
        await outcome(
          escalateCase(world.database, { actorId: owner.id, caseId: c.id, specialistId: specialist.id, kind: 'referral', reasonCode: 'other', grants: [] }),
        ),
      ).toBe('CASE_SPECIALIST_INVALID');
      const entry = await db()
        .selectFrom('audit_entries')
        .select('detail')
        .where('subject_id', '=', c.id)
        .where('action', '=', 'case.escalated')
        .executeTakeFirstOrThrow();
      expect(entry.detail).toEqual({ specialistId: specialist.id, kind: 'referral', reasonCode: 'legal_expertise', previousOwnerId: owner.id, grants: 0 });
    });

    it('a transfer makes the specialist the owner; the previous owner stays involved only through the grants they hold', async () => {
      const c = await seed();
      const result = await escalateCase(world.database, {
        actorId: owner.id,
        caseId: c.id,
        specialistId: specialist.id,
        kind: 'transfer',
        reasonCode: 'capacity',
        grants: [],
      });
      expect(result).toEqual({ ownerId: specialist.id, specialists: [] });
      expect((await caseRow(c.id)).owner_id).toBe(specialist.id);
      // The previous owner holds grants, so still sees the case, but no longer manages it.
      expect(await outcome(changeCaseStatus(world.database, { actorId: owner.id, caseId: c.id, to: 'triage' }))).toBe('FORBIDDEN');
      expect(await outcome(setCaseFlag(world.database, { actorId: owner.id, caseId: c.id, flag: 'health' }))).toBe('ok');
      // Without grants, a previous owner is not involved at all.
      const bare = await seed({ holders: [world.admin.id] });
      await escalateCase(world.database, {
        actorId: owner.id,
        caseId: bare.id,
        specialistId: specialist.id,
        kind: 'transfer',
        reasonCode: 'capacity',
        grants: [],
      });
      expect(await outcome(setCaseFlag(world.database, { actorId: owner.id, caseId: bare.id, flag: 'health' }))).toBe('CASE_NOT_FOUND');
    });

    it('a psychologist holding a compartment cannot escalate', async () => {
      const c = await seed({ holders: [owner.id, world.admin.id] });
      await seedGrantForWorkflowTests(world.database, c.id, 'support', psychologist.id, owner.id);
      expect(
        await outcome(
          escalateCase(world.database, {
            actorId: psychologist.id,
            caseId: c.id,
            specialistId: specialist.id,
            kind: 'referral',
            reasonCode: 'other',
            grants: [],
          }),
        ),
      ).toBe('FORBIDDEN');
      expect(await caseActions(c.id)).toEqual([]);
    });
  });

  describe('flags', () => {
    it('setting tells the owner and the specialists (not the one who set it); removing needs a reason code', async () => {
      const c = await seed({ specialists: [specialist.id] });
      await seedGrantForWorkflowTests(world.database, c.id, 'support', psychologist.id, owner.id);
      const set = await setCaseFlag(world.database, { actorId: psychologist.id, caseId: c.id, flag: 'safety_risk' });
      expect(set.flags.map((f) => [f.flag, f.setBy])).toEqual([['safety_risk', psychologist.id]]);
      expect((await notificationsOf(owner.id, c.id)).map((n) => [n.kind, n.detail])).toEqual([['flag_set', { flag: 'safety_risk' }]]);
      expect((await notificationsOf(specialist.id, c.id)).map((n) => n.kind)).toEqual(['flag_set']);
      expect(await notificationsOf(psychologist.id, c.id)).toEqual([]);
      // Set again: nothing new.
      await setCaseFlag(world.database, { actorId: owner.id, caseId: c.id, flag: 'safety_risk' });
      expect(await notificationsOf(specialist.id, c.id)).toHaveLength(1);

      expect(await outcome(removeCaseFlag(world.database, { actorId: owner.id, caseId: c.id, flag: 'safety_risk' }))).toBe('FLAG_REASON_REQUIRED');
      expect(await outcome(removeCaseFlag(world.database, { actorId: owner.id, caseId: c.id, flag: 'health', reasonCode: 'resolved' }))).toBe('FLAG_NOT_SET');
      const removed = await removeCaseFlag(world.database, { actorId: owner.id, caseId: c.id, flag: 'safety_risk', reasonCode: 'set_in_error' });
      expect(removed.flags).toEqual([]);
      const entries = await db().selectFrom('audit_entries').select(['action', 'detail']).where('subject_id', '=', c.id).orderBy('seq').execute();
      expect(entries).toEqual([
        { action: 'case.flag_set', detail: { flag: 'safety_risk' } },
        { action: 'case.flag_removed', detail: { flag: 'safety_risk', reasonCode: 'set_in_error' } },
      ]);
    });
  });

  describe('handover', () => {
    it('moves the open cases of one member to another in one batch; closed and others’ cases stay; a retry is harmless', async () => {
      const leaving = await joinMember(world, 'coordinator', 'leaving', { certify: true });
      const taking = await joinMember(world, 'coordinator', 'taking', { certify: true });
      const mine = [];
      for (let i = 0; i < 3; i++)
        mine.push(await seedCaseForWorkflowTests(world.database, { createdBy: leaving.id, holders: [leaving.id, world.admin.id, taking.id] }));
      const closed = await seedCaseForWorkflowTests(world.database, { createdBy: leaving.id, status: 'closed' });
      const others = await seed();

      const candidates = await listHandoverCandidates(world.database, { actorId: leaving.id, fromId: leaving.id });
      expect(candidates.cases.map((c) => c.caseId).sort()).toEqual(mine.map((c) => c.id).sort());
      expect(await outcome(listHandoverCandidates(world.database, { actorId: colleague.id, fromId: leaving.id }))).toBe('HANDOVER_NOT_ALLOWED');
      expect(
        await outcome(
          handOverCases(world.database, { actorId: colleague.id, fromId: leaving.id, toId: colleague.id, caseIds: mine.map((c) => c.id), grants: [] }),
        ),
      ).toBe('HANDOVER_NOT_ALLOWED');
      expect(
        await outcome(handOverCases(world.database, { actorId: leaving.id, fromId: leaving.id, toId: psychologist.id, caseIds: [mine[0]!.id], grants: [] })),
      ).toBe('CASE_OWNER_INVALID');
      expect(
        await outcome(handOverCases(world.database, { actorId: leaving.id, fromId: leaving.id, toId: leaving.id, caseIds: [mine[0]!.id], grants: [] })),
      ).toBe('CASE_OWNER_INVALID');

      const batch = [mine[0]!.id, mine[1]!.id, closed.id, others.id];
      const first = await handOverCases(world.database, { actorId: leaving.id, fromId: leaving.id, toId: taking.id, caseIds: batch, grants: [] });
      expect(first.moved.sort()).toEqual([mine[0]!.id, mine[1]!.id].sort());
      expect(first.skipped.sort()).toEqual([closed.id, others.id].sort());
      expect(first.already).toEqual([]);
      const again = await handOverCases(world.database, { actorId: leaving.id, fromId: leaving.id, toId: taking.id, caseIds: batch, grants: [] });
      expect(again.moved).toEqual([]);
      expect(again.already.sort()).toEqual([mine[0]!.id, mine[1]!.id].sort());
      for (const c of [mine[0]!, mine[1]!]) {
        expect((await caseRow(c.id)).owner_id).toBe(taking.id);
        expect(await caseActions(c.id)).toEqual(['case.handed_over']);
      }
      expect((await caseRow(closed.id)).owner_id).toBe(leaving.id);
      expect((await caseRow(others.id)).owner_id).toBe(owner.id);
      // One notification for the batch, none for the retry.
      expect((await notificationsOf(taking.id)).map((n) => [n.kind, n.case_id, n.detail])).toEqual([['assigned', null, { cases: 2, from: leaving.id }]]);

      // An administrator hands over what is left of a suspended member.
      await suspendMember(world.database, { actorId: world.admin.id, memberId: leaving.id });
      const rest = await handOverCases(world.database, { actorId: world.admin.id, fromId: leaving.id, toId: taking.id, caseIds: [mine[2]!.id], grants: [] });
      expect(rest.moved).toEqual([mine[2]!.id]);
      expect((await listHandoverCandidates(world.database, { actorId: world.admin.id, fromId: leaving.id })).cases).toEqual([]);
    });
  });

  describe('tasks', () => {
    it('creates tasks whose title record is in the case, keeps the open count and next due day, and tells the assignee', async () => {
      const c = await seed({ holders: [owner.id, world.admin.id, colleague.id], compartments: ['logistics'] });
      const today = utcDay(new Date());
      const record = await seedTaskRecordForWorkflowTests(world.database, c.id, 'logistics');
      const elsewhere = await seedTaskRecordForWorkflowTests(world.database, c.id, 'identity');
      const other = await seed();
      const foreign = await seedTaskRecordForWorkflowTests(world.database, other.id, 'logistics');
      const task = (over: Partial<Parameters<typeof createTask>[1]> = {}) =>
        createTask(world.database, {
          actorId: owner.id,
          caseId: c.id,
          taskId: crypto.randomUUID(),
          recordId: record,
          compartment: 'logistics',
          assigneeId: null,
          dueOn: null,
          ...over,
        });
      expect(await outcome(task({ recordId: elsewhere }))).toBe('RECORD_NOT_FOUND');
      expect(await outcome(task({ recordId: foreign }))).toBe('RECORD_NOT_FOUND');
      expect(await outcome(task({ compartment: 'identity', recordId: elsewhere }))).toBe('CASE_NOT_HOLDER');
      expect(await outcome(task({ assigneeId: specialist.id }))).toBe('CASE_MEMBER_NOT_ELIGIBLE');
      expect(await outcome(task({ assigneeId: stranger.id }))).toBe('CASE_MEMBER_NOT_ELIGIBLE');
      expect((await caseRow(c.id)).open_tasks).toBe(0);

      const later = await task({ assigneeId: colleague.id, dueOn: addDays(today, 20) });
      expect(later).toMatchObject({ state: 'open', assigneeId: colleague.id, overdue: false, dueSoon: false });
      const soon = await task({ assigneeId: colleague.id, dueOn: addDays(today, 3) });
      expect(soon).toMatchObject({ overdue: false, dueSoon: true });
      const undated = await task();
      let row = await caseRow(c.id);
      expect([row.open_tasks, row.due]).toEqual([3, addDays(today, 3)]);
      expect((await notificationsOf(colleague.id, c.id)).map((n) => [n.kind, n.task_id])).toEqual([
        ['task_assigned', later.taskId],
        ['task_assigned', soon.taskId],
      ]);
      // The same request again answers the same task; the id used otherwise is a conflict.
      expect((await task({ taskId: soon.taskId })).taskId).toBe(soon.taskId);
      expect(await outcome(task({ taskId: soon.taskId, recordId: (await seedTaskRecordForWorkflowTests(world.database, c.id, 'logistics')) as never }))).toBe(
        'RECORD_CONFLICT',
      );

      await updateTask(world.database, { actorId: colleague.id, caseId: c.id, taskId: soon.taskId, state: 'done' });
      row = await caseRow(c.id);
      expect([row.open_tasks, row.due]).toEqual([2, addDays(today, 20)]);
      await updateTask(world.database, { actorId: owner.id, caseId: c.id, taskId: undated.taskId, dueOn: addDays(today, 1) });
      row = await caseRow(c.id);
      expect([row.open_tasks, row.due]).toEqual([2, addDays(today, 1)]);
      await updateTask(world.database, { actorId: owner.id, caseId: c.id, taskId: undated.taskId, state: 'cancelled' });
      await updateTask(world.database, { actorId: owner.id, caseId: c.id, taskId: later.taskId, state: 'done' });
      row = await caseRow(c.id);
      expect([row.open_tasks, row.due]).toEqual([0, null]);
      await updateTask(world.database, { actorId: owner.id, caseId: c.id, taskId: soon.taskId, state: 'open' });
      row = await caseRow(c.id);
      expect([row.open_tasks, row.due]).toEqual([1, addDays(today, 3)]);

      expect(await outcome(updateTask(world.database, { actorId: owner.id, caseId: other.id, taskId: soon.taskId, state: 'done' }))).toBe('TASK_NOT_FOUND');
      expect(await outcome(updateTask(world.database, { actorId: owner.id, caseId: c.id, taskId: soon.taskId, assigneeId: specialist.id }))).toBe(
        'CASE_MEMBER_NOT_ELIGIBLE',
      );
      expect(await outcome(updateTask(world.database, { actorId: stranger.id, caseId: c.id, taskId: soon.taskId, state: 'done' }))).toBe('CASE_NOT_FOUND');
      // A psychologist let into `support` only does not touch a logistics task.
      await seedGrantForWorkflowTests(world.database, c.id, 'support', psychologist.id, owner.id);
      expect(await outcome(updateTask(world.database, { actorId: psychologist.id, caseId: c.id, taskId: soon.taskId, state: 'done' }))).toBe('CASE_NOT_HOLDER');

      const listed = await listCaseTasks(world.database, { actorId: colleague.id, caseId: c.id });
      // Open first, then the others by due day (the cancelled one was due sooner than the done one).
      expect(listed.tasks.map((t) => t.taskId)).toEqual([soon.taskId, undated.taskId, later.taskId]);
      const mine = await listMyTasks(world.database, { actorId: colleague.id });
      expect(mine.tasks.filter((t) => t.caseId === c.id).map((t) => [t.taskId, t.caseCode, t.dueSoon])).toEqual([[soon.taskId, c.code, true]]);
      const actions = await caseActions(c.id);
      expect(actions.filter((a) => a === 'case.task_created')).toHaveLength(3);
      expect(actions.filter((a) => a === 'case.task_updated')).toHaveLength(5);
    });

    it('an overdue task is reported once to its assignee (or the owner), again only after its day changes', async () => {
      const c = await seed({ holders: [owner.id, world.admin.id, colleague.id], compartments: ['logistics'] });
      const record = await seedTaskRecordForWorkflowTests(world.database, c.id, 'logistics');
      const today = utcDay(new Date());
      const assigned = await createTask(world.database, {
        actorId: owner.id,
        caseId: c.id,
        taskId: crypto.randomUUID(),
        recordId: record,
        compartment: 'logistics',
        assigneeId: colleague.id,
        dueOn: addDays(today, 2),
      });
      const unassigned = await createTask(world.database, {
        actorId: owner.id,
        caseId: c.id,
        taskId: crypto.randomUUID(),
        recordId: record,
        compartment: 'logistics',
        assigneeId: null,
        dueOn: addDays(today, -1),
      });
      const closedCase = await seed({ compartments: ['logistics'] });
      const closedRecord = await seedTaskRecordForWorkflowTests(world.database, closedCase.id, 'logistics');
      const closedTask = await createTask(world.database, {
        actorId: owner.id,
        caseId: closedCase.id,
        taskId: crypto.randomUUID(),
        recordId: closedRecord,
        compartment: 'logistics',
        assigneeId: null,
        dueOn: addDays(today, -3),
      });
      await closeCase(world.database, { actorId: owner.id, caseId: closedCase.id, outcome: 'other', reason: 'other' });

      await notifyOverdueTasks(world.database);
      const overdue = async (member: MemberId) => (await notificationsOf(member)).filter((n) => n.kind === 'task_overdue').map((n) => n.task_id);
      expect(await overdue(owner.id)).toEqual([unassigned.taskId]);
      expect(await overdue(colleague.id)).toEqual([]);
      expect((await listCaseTasks(world.database, { actorId: owner.id, caseId: c.id })).tasks.find((t) => t.taskId === unassigned.taskId)).toMatchObject({
        overdue: true,
        dueSoon: false,
      });

      // Two days on, the assigned one is over too; the first is not reported again.
      expect(await notifyOverdueTasks(world.database, new Date(Date.now() + 3 * 86_400_000))).toBe(1);
      expect(await overdue(colleague.id)).toEqual([assigned.taskId]);
      expect(await notifyOverdueTasks(world.database, new Date(Date.now() + 3 * 86_400_000))).toBe(0);
      expect(await overdue(owner.id)).toEqual([unassigned.taskId]);

      // A new due day re-arms the notice.
      await updateTask(world.database, { actorId: owner.id, caseId: c.id, taskId: unassigned.taskId, dueOn: addDays(today, -2) });
      await notifyOverdueTasks(world.database);
      expect(await overdue(owner.id)).toEqual([unassigned.taskId, unassigned.taskId]);
      // A done task is never reported; nor the closed case's.
      await setTaskDueForWorkflowTests(world.database, closedTask.taskId, addDays(today, -10));
      expect(await notifyOverdueTasks(world.database)).toBe(0);
    });
  });

  it('the housekeeping timer sends the overdue notices too', async () => {
    const c = await seed({ compartments: ['logistics'] });
    const record = await seedTaskRecordForWorkflowTests(world.database, c.id, 'logistics');
    const task = await createTask(world.database, {
      actorId: owner.id,
      caseId: c.id,
      taskId: crypto.randomUUID(),
      recordId: record,
      compartment: 'logistics',
      assigneeId: owner.id,
      dueOn: addDays(utcDay(new Date()), -1),
    });
    const errors: unknown[] = [];
    const timer = startHousekeeping(world.database, (error) => errors.push(error), 3_600_000);
    await timer.stop();
    expect(errors).toEqual([]);
    expect((await notificationsOf(owner.id, c.id)).filter((n) => n.kind === 'task_overdue').map((n) => n.task_id)).toEqual([task.taskId]);
  });

  describe('notifications', () => {
    it('lists a member’s own, newest first, in pages, with the unread count; marks some or all read', async () => {
      const reader = await joinMember(world, 'coordinator', 'reader', { certify: true });
      const cases = [];
      for (let i = 0; i < 5; i++) {
        const c = await seed();
        cases.push(c);
        await assignCase(world.database, { actorId: owner.id, caseId: c.id, memberId: reader.id });
      }
      const first = await listNotifications(world.database, { actorId: reader.id, limit: 2 });
      expect(first.unread).toBe(5);
      expect(first.notifications.map((n) => n.caseCode)).toEqual([cases[4]!.code, cases[3]!.code]);
      expect(first.notifications[0]).toMatchObject({ kind: 'assigned', caseId: cases[4]!.id, actorId: owner.id, readAt: null, taskId: null });
      const second = await listNotifications(world.database, { actorId: reader.id, limit: 2, before: first.nextBefore! });
      expect(second.notifications.map((n) => n.caseCode)).toEqual([cases[2]!.code, cases[1]!.code]);
      const last = await listNotifications(world.database, { actorId: reader.id, limit: 2, before: second.nextBefore! });
      expect(last.notifications.map((n) => n.caseCode)).toEqual([cases[0]!.code]);
      expect(last.nextBefore).toBeNull();

      const someoneElses = (await notificationsOf(owner.id))[0];
      const ids = first.notifications.map((n) => n.id);
      if (someoneElses) {
        expect(await outcome(markNotificationsRead(world.database, { actorId: reader.id, ids: [...ids, someoneElses.id] }))).toBe('NOTIFICATION_NOT_FOUND');
        expect((await countUnread(world.database, { actorId: reader.id })).unread).toBe(5);
      }
      expect(await markNotificationsRead(world.database, { actorId: reader.id, ids })).toEqual({ unread: 3 });
      expect(await markNotificationsRead(world.database, { actorId: reader.id, ids })).toEqual({ unread: 3 });
      expect(await markNotificationsRead(world.database, { actorId: reader.id, ids: 'all' })).toEqual({ unread: 0 });
      expect((await listNotifications(world.database, { actorId: reader.id })).notifications.every((n) => n.readAt !== null)).toBe(true);
    });
  });

  describe('access requests', () => {
    it('tells every current holder of the compartment, once an hour per member and compartment', async () => {
      const c = await seed({ holders: [owner.id, world.admin.id], compartments: ['identity'] });
      await seedGrantForWorkflowTests(world.database, c.id, 'support', psychologist.id, owner.id);
      expect(await outcome(requestAccess(world.database, { actorId: psychologist.id, caseId: c.id, compartment: 'support' }))).toBe('CASE_ALREADY_HOLDER');
      expect(await requestAccess(world.database, { actorId: psychologist.id, caseId: c.id, compartment: 'identity' })).toEqual({
        requested: true,
        notified: 2,
      });
      for (const holder of [owner.id, world.admin.id]) {
        expect((await notificationsOf(holder, c.id)).map((n) => [n.kind, n.actor_id, n.detail])).toEqual([
          ['access_requested', psychologist.id, { compartment: 'identity' }],
        ]);
      }
      expect(await requestAccess(world.database, { actorId: psychologist.id, caseId: c.id, compartment: 'identity' })).toEqual({
        requested: false,
        notified: 0,
      });
      expect(await notificationsOf(owner.id, c.id)).toHaveLength(1);
      expect(await outcome(requestAccess(world.database, { actorId: stranger.id, caseId: c.id, compartment: 'identity' }))).toBe('CASE_NOT_FOUND');
      const later = new Date(Date.now() + 61 * 60_000);
      expect(await requestAccess(world.database, { actorId: psychologist.id, caseId: c.id, compartment: 'identity', now: later })).toEqual({
        requested: true,
        notified: 2,
      });
      expect(await caseActions(c.id)).toEqual(['case.access_requested', 'case.access_requested']);
    });
  });

  describe('timeline', () => {
    it('shows the case’s audit entries, key reads included, newest first, to its owner and administrators only', async () => {
      const c = await seed({ specialists: [specialist.id] });
      await changeCaseStatus(world.database, { actorId: owner.id, caseId: c.id, to: 'triage' });
      await world.database.db.transaction().execute(async (tx) => {
        await appendAuditEntry(tx, { action: 'case.keys_read', actorId: specialist.id, subjectId: c.id, detail: { compartments: 6 } });
      });
      await setCaseFlag(world.database, { actorId: owner.id, caseId: c.id, flag: 'urgent' });
      const timeline = await readCaseTimeline(world.database, { actorId: owner.id, caseId: c.id });
      expect(timeline.entries.map((e) => [e.action, e.actorId])).toEqual([
        ['case.flag_set', owner.id],
        ['case.keys_read', specialist.id],
        ['case.status_changed', owner.id],
      ]);
      expect(timeline.entries[0]!.seq).toBeGreaterThan(timeline.entries[1]!.seq);
      expect(timeline.entries[0]!.leafHash).toMatch(/^[A-Za-z0-9_-]+$/);
      const paged = await readCaseTimeline(world.database, { actorId: world.admin.id, caseId: c.id, limit: 2 });
      expect(paged.entries).toHaveLength(2);
      const rest = await readCaseTimeline(world.database, { actorId: world.admin.id, caseId: c.id, before: paged.nextBefore! });
      expect(rest.entries.map((e) => e.action)).toEqual(['case.status_changed']);
      expect(await outcome(readCaseTimeline(world.database, { actorId: specialist.id, caseId: c.id }))).toBe('FORBIDDEN');
      expect(await outcome(readCaseTimeline(world.database, { actorId: stranger.id, caseId: c.id }))).toBe('CASE_NOT_FOUND');
    });
  });

  describe('with real keys', () => {
    /** The grants a browser prepares for one member, chained one after another from the case's audited head. */
    function grantsFor(by: SeededMember, keys: CaseKeys, to: SeededMember, compartments: readonly (keyof CaseKeys['keyrings'])[]) {
      let head: CaseChainHead = keys.audited.head;
      return compartments.map((compartment) => {
        const prepared = prepareGrant({
          audited: keys.audited,
          head,
          compartment,
          keyring: keys.keyrings[compartment]!,
          recipient: certifiedOf(world, to),
          signer: memberSigner(by.id, by.keys),
          at: new Date().toISOString(),
        });
        head = prepared.head;
        return { statement: prepared.statement, sealedKey: prepared.sealedKey };
      });
    }
    const everyone = () => [world.admin, owner, colleague, specialist, psychologist, stranger];

    it('an escalation seals the specialist in with it, or not at all', async () => {
      const { caseId } = await openTestCase(world, owner, { owner });
      const { keys } = await caseKeysFor(world, owner, caseId, everyone());
      const compartments = escalationCompartments('referral');
      // A grant for somebody else does not ride along: nothing of the escalation happens.
      const wrong = grantsFor(owner, keys, colleague, compartments.slice(0, 1));
      expect(
        await outcome(
          escalateCase(world.database, { actorId: owner.id, caseId, specialistId: specialist.id, kind: 'referral', reasonCode: 'verification', grants: wrong }),
        ),
      ).toBe('CASE_STATEMENT_REJECTED');
      expect((await listActiveHolders(db(), caseId, 'identity')).includes(colleague.id)).toBe(false);
      expect(await db().selectFrom('case_specialists').select('member_id').where('case_id', '=', caseId).execute()).toEqual([]);

      const grants = grantsFor(owner, keys, specialist, compartments);
      const result = await escalateCase(world.database, {
        actorId: owner.id,
        caseId,
        specialistId: specialist.id,
        kind: 'referral',
        reasonCode: 'verification',
        grants,
      });
      expect(result.specialists.map((s) => s.memberId)).toEqual([specialist.id]);
      for (const compartment of compartments) expect(await listActiveHolders(db(), caseId, compartment)).toContain(specialist.id);
      expect(await listActiveHolders(db(), caseId, 'support')).not.toContain(specialist.id);
      const actions = await caseActions(caseId);
      expect(actions.filter((a) => a === 'case.granted')).toHaveLength(compartments.length);
      expect(actions.at(-1)).toBe('case.escalated');
      // The specialist's browser can now open what it was granted.
      const opened = await caseKeysFor(world, specialist, caseId, everyone());
      expect(Object.keys(opened.keys.keyrings).sort()).toEqual([...compartments].sort());
    });

    it('an assignment and a handover bring the new owner’s keys in the same transaction', async () => {
      const { caseId } = await openTestCase(world, owner, { owner });
      let { keys } = await caseKeysFor(world, owner, caseId, everyone());
      await assignCase(world.database, {
        actorId: owner.id,
        caseId,
        memberId: colleague.id,
        grants: grantsFor(owner, keys, colleague, ['identity', 'contact']),
      });
      expect((await caseRow(caseId)).owner_id).toBe(colleague.id);
      expect(await listActiveHolders(db(), caseId, 'contact')).toContain(colleague.id);

      ({ keys } = await caseKeysFor(world, colleague, caseId, everyone()));
      const taker = await joinMember(world, 'coordinator', 'key-taker', { certify: true });
      const moved = await handOverCases(world.database, {
        actorId: colleague.id,
        fromId: colleague.id,
        toId: taker.id,
        caseIds: [caseId],
        grants: grantsFor(colleague, keys, taker, ['identity']).map((g) => ({ ...g, caseId })),
      });
      expect(moved.moved).toEqual([caseId]);
      expect(await listActiveHolders(db(), caseId, 'identity')).toContain(taker.id);
    });
  });

  describe.runIf(backend.name === 'postgres')('races', () => {
    it('two concurrent moves from the same status: one wins, the other is refused, one audit entry', async () => {
      for (let round = 0; round < 5; round++) {
        const c = await seed({ status: 'triage', specialists: [specialist.id] });
        const results = await Promise.all([
          outcome(changeCaseStatus(world.database, { actorId: owner.id, caseId: c.id, to: 'active' })),
          outcome(changeCaseStatus(world.database, { actorId: specialist.id, caseId: c.id, to: 'active' })),
          outcome(closeCase(world.database, { actorId: world.admin.id, caseId: c.id, outcome: 'other', reason: 'other' })),
        ]);
        const row = await caseRow(c.id);
        const actions = await caseActions(c.id);
        // Whatever order they ran in, the case's status is what its audit entries say, move by move.
        const ok = results.filter((r) => r === 'ok').length;
        expect(actions).toHaveLength(ok);
        expect(results.every((r) => ['ok', 'CASE_MOVE_NOT_ALLOWED', 'CASE_CLOSED'].includes(r))).toBe(true);
        expect(results.slice(0, 2).filter((r) => r === 'ok').length).toBeLessThanOrEqual(1);
        expect(['active', 'closed']).toContain(row.status);
      }
    });

    it('two concurrent handovers of the same cases: each case moves once, to one of them', async () => {
      const from = await joinMember(world, 'coordinator', 'race-from', { certify: true });
      const a = await joinMember(world, 'coordinator', 'race-a', { certify: true });
      const b = await joinMember(world, 'coordinator', 'race-b', { certify: true });
      const ids: CaseId[] = [];
      for (let i = 0; i < 12; i++) ids.push((await seedCaseForWorkflowTests(world.database, { createdBy: from.id })).id);
      const reversed = [...ids].reverse();
      const [ra, rb] = await Promise.all([
        handOverCases(world.database, { actorId: world.admin.id, fromId: from.id, toId: a.id, caseIds: ids, grants: [] }),
        handOverCases(world.database, { actorId: world.admin.id, fromId: from.id, toId: b.id, caseIds: reversed, grants: [] }),
      ]);
      expect(ra.moved.length + rb.moved.length).toBe(12);
      for (const id of ids) {
        const row = await caseRow(id);
        expect([a.id, b.id]).toContain(row.owner_id);
        expect(await caseActions(id)).toEqual(['case.handed_over']);
        expect((row.owner_id === a.id ? ra : rb).moved).toContain(id);
      }
    });

    it('concurrent task changes keep the open count and next due day exact', async () => {
      const c = await seed({ holders: [owner.id, world.admin.id, colleague.id], compartments: ['logistics'] });
      const record = await seedTaskRecordForWorkflowTests(world.database, c.id, 'logistics');
      const today = utcDay(new Date());
      const tasks = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          createTask(world.database, {
            actorId: i % 2 ? owner.id : colleague.id,
            caseId: c.id,
            taskId: crypto.randomUUID(),
            recordId: record,
            compartment: 'logistics',
            assigneeId: null,
            dueOn: addDays(today, i + 1),
          }),
        ),
      );
      expect((await caseRow(c.id)).open_tasks).toBe(12);
      await Promise.all(
        tasks.map((t, i) =>
          updateTask(world.database, {
            actorId: i % 2 ? owner.id : colleague.id,
            caseId: c.id,
            taskId: t.taskId,
            ...(i % 3 === 0 ? { state: 'done' as const } : { dueOn: addDays(today, 30 - i) }),
          }),
        ),
      );
      const counted = await db()
        .selectFrom('case_tasks')
        .select([sql<number>`count(*)::int`.as('n'), sql<string | null>`min(due_on)::text`.as('d')])
        .where('case_id', '=', c.id)
        .where('state', '=', 'open')
        .executeTakeFirstOrThrow();
      const row = await caseRow(c.id);
      expect(row.open_tasks).toBe(counted.n);
      expect(row.open_tasks).toBe(8);
      expect(row.due).toBe(counted.d);
    });
  });
});
