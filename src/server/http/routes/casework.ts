import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { caseParamsSchema } from '../../../core/api/cases.js';
import {
  accessRequestResponseSchema,
  accessRequestSchema,
  assignCaseRequestSchema,
  caseFlagsResponseSchema,
  caseTaskSchema,
  caseTasksResponseSchema,
  caseWorkflowStateSchema,
  changePriorityRequestSchema,
  changeStatusRequestSchema,
  closeCaseRequestSchema,
  createTaskRequestSchema,
  escalateCaseRequestSchema,
  escalateCaseResponseSchema,
  flagParamsSchema,
  handoverCandidatesQuerySchema,
  handoverCandidatesResponseSchema,
  handoverRequestSchema,
  handoverResponseSchema,
  markNotificationsReadRequestSchema,
  myTasksResponseSchema,
  notificationsQuerySchema,
  notificationsResponseSchema,
  removeFlagRequestSchema,
  setFlagRequestSchema,
  taskParamsSchema,
  timelineQuerySchema,
  timelineResponseSchema,
  unreadCountResponseSchema,
  updateTaskRequestSchema,
} from '../../../core/api/casework.js';
import { asCaseId, asMemberId, asRecordId } from '../../../core/index.js';
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
} from '../../cases/use-cases/workflow.js';
import type { Database } from '../../db/database.js';
import { actorOf } from '../authorize.js';
import { errorResponses } from '../schemas.js';

/**
 * The working life of a case (src/core/api/casework.ts). Routes on one case
 * name it by `:caseId` and declare `resource: 'case'`, so the case policy
 * decides before the use case runs; the use cases check again.
 */
export function caseworkRoutes(fastify: FastifyInstance, database: Database): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['casework'];
  const caseRoute = <A extends string>(action: A) => ({ action, resource: 'case' as const });

  app.post(
    '/api/cases/:caseId/status',
    {
      config: caseRoute('case.update'),
      schema: {
        tags,
        summary: 'Move an open case to another status the workflow allows',
        params: caseParamsSchema,
        body: changeStatusRequestSchema,
        response: { 200: caseWorkflowStateSchema, ...errorResponses },
      },
    },
    async (request) => changeCaseStatus(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), to: request.body.to }),
  );

  app.post(
    '/api/cases/:caseId/close',
    {
      config: caseRoute('case.update'),
      schema: {
        tags,
        summary: 'Close a case with its outcome and a reason code',
        params: caseParamsSchema,
        body: closeCaseRequestSchema,
        response: { 200: caseWorkflowStateSchema, ...errorResponses },
      },
    },
    async (request) => closeCase(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), ...request.body }),
  );

  app.post(
    '/api/cases/:caseId/reopen',
    {
      config: caseRoute('case.update'),
      // No body is read: reopening takes nothing but the case.
      schema: {
        tags,
        summary: 'Reopen a closed case (back to triage, outcome cleared)',
        params: caseParamsSchema,
        response: { 200: caseWorkflowStateSchema, ...errorResponses },
      },
    },
    async (request) => reopenCase(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId) }),
  );

  app.post(
    '/api/cases/:caseId/priority',
    {
      config: caseRoute('case.update'),
      schema: {
        tags,
        summary: 'Set the priority of an open case',
        params: caseParamsSchema,
        body: changePriorityRequestSchema,
        response: { 200: caseWorkflowStateSchema, ...errorResponses },
      },
    },
    async (request) =>
      changeCasePriority(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), priority: request.body.priority }),
  );

  app.post(
    '/api/cases/:caseId/assignee',
    {
      config: caseRoute('case.assign'),
      schema: {
        tags,
        summary: 'Give the case a new owner (or none), with their compartment keys',
        params: caseParamsSchema,
        body: assignCaseRequestSchema,
        response: { 200: caseWorkflowStateSchema, ...errorResponses },
      },
    },
    async (request) =>
      assignCase(database, {
        actorId: actorOf(request).memberId,
        caseId: asCaseId(request.params.caseId),
        memberId: request.body.memberId === null ? null : asMemberId(request.body.memberId),
        grants: request.body.grants,
      }),
  );

  app.post(
    '/api/cases/:caseId/escalations',
    {
      config: caseRoute('case.escalate'),
      schema: {
        tags,
        summary: 'Refer the case to a specialist, or transfer it to them, with their compartment keys',
        params: caseParamsSchema,
        body: escalateCaseRequestSchema,
        response: { 200: escalateCaseResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      escalateCase(database, {
        ...request.body,
        actorId: actorOf(request).memberId,
        caseId: asCaseId(request.params.caseId),
        specialistId: asMemberId(request.body.specialistId),
      }),
  );

  app.post(
    '/api/cases/:caseId/flags',
    {
      config: caseRoute('case.flag'),
      schema: {
        tags,
        summary: 'Set a warning flag on an open case',
        params: caseParamsSchema,
        body: setFlagRequestSchema,
        response: { 200: caseFlagsResponseSchema, ...errorResponses },
      },
    },
    async (request) => setCaseFlag(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), flag: request.body.flag }),
  );

  app.delete(
    '/api/cases/:caseId/flags/:flag',
    {
      config: caseRoute('case.flag'),
      schema: {
        tags,
        summary: 'Take a warning flag off a case, with a reason code',
        params: flagParamsSchema,
        body: removeFlagRequestSchema,
        response: { 200: caseFlagsResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      removeCaseFlag(database, {
        actorId: actorOf(request).memberId,
        caseId: asCaseId(request.params.caseId),
        flag: request.params.flag,
        reasonCode: request.body.reasonCode,
      }),
  );

  app.get(
    '/api/cases/handover/candidates',
    {
      config: { action: 'cases.handover' },
      schema: {
        tags,
        summary: 'The open cases a member owns, for a handover in batches',
        querystring: handoverCandidatesQuerySchema,
        response: { 200: handoverCandidatesResponseSchema, ...errorResponses },
      },
    },
    async (request) => listHandoverCandidates(database, { actorId: actorOf(request).memberId, fromId: asMemberId(request.query.fromId) }),
  );

  app.post(
    '/api/cases/handover',
    {
      config: { action: 'cases.handover' },
      schema: {
        tags,
        summary: 'Hand one batch of a member’s open cases over to another owner, with the new owner’s keys',
        body: handoverRequestSchema,
        response: { 200: handoverResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      handOverCases(database, {
        actorId: actorOf(request).memberId,
        fromId: asMemberId(request.body.fromId),
        toId: asMemberId(request.body.toId),
        caseIds: request.body.caseIds.map(asCaseId),
        grants: request.body.grants.map((g) => ({ ...g, caseId: asCaseId(g.caseId) })),
      }),
  );

  app.get(
    '/api/cases/:caseId/tasks',
    {
      config: caseRoute('case.tasks'),
      schema: {
        tags,
        summary: 'The case’s tasks, open first by due day',
        params: caseParamsSchema,
        response: { 200: caseTasksResponseSchema, ...errorResponses },
      },
    },
    async (request) => listCaseTasks(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId) }),
  );

  app.post(
    '/api/cases/:caseId/tasks',
    {
      config: caseRoute('case.tasks'),
      schema: {
        tags,
        summary: 'Add a task whose title is a sealed record written before',
        params: caseParamsSchema,
        body: createTaskRequestSchema,
        response: { 200: caseTaskSchema, ...errorResponses },
      },
    },
    async (request) =>
      createTask(database, {
        actorId: actorOf(request).memberId,
        caseId: asCaseId(request.params.caseId),
        taskId: request.body.taskId,
        recordId: asRecordId(request.body.recordId),
        compartment: request.body.compartment,
        assigneeId: request.body.assigneeId === null ? null : asMemberId(request.body.assigneeId),
        dueOn: request.body.dueOn,
      }),
  );

  app.patch(
    '/api/cases/:caseId/tasks/:taskId',
    {
      config: caseRoute('case.tasks'),
      schema: {
        tags,
        summary: 'Change a task’s state, due day or assignee',
        params: taskParamsSchema,
        body: updateTaskRequestSchema,
        response: { 200: caseTaskSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { state, dueOn, assigneeId } = request.body;
      return updateTask(database, {
        actorId: actorOf(request).memberId,
        caseId: asCaseId(request.params.caseId),
        taskId: request.params.taskId,
        state,
        dueOn,
        assigneeId: assigneeId === undefined || assigneeId === null ? assigneeId : asMemberId(assigneeId),
      });
    },
  );

  app.get(
    '/api/tasks/mine',
    {
      config: { action: 'tasks.mine' },
      schema: { tags, summary: 'My open tasks across cases, by due day', response: { 200: myTasksResponseSchema, ...errorResponses } },
    },
    async (request) => listMyTasks(database, { actorId: actorOf(request).memberId }),
  );

  app.get(
    '/api/notifications',
    {
      config: { action: 'notifications.read' },
      schema: {
        tags,
        summary: 'My notifications, newest first, with the unread count',
        querystring: notificationsQuerySchema,
        response: { 200: notificationsResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      listNotifications(database, {
        actorId: actorOf(request).memberId,
        before: request.query.before,
        limit: request.query.limit === undefined ? undefined : Number(request.query.limit),
      }),
  );

  app.get(
    '/api/notifications/unread-count',
    {
      config: { action: 'notifications.read' },
      schema: { tags, summary: 'How many of my notifications are unread', response: { 200: unreadCountResponseSchema, ...errorResponses } },
    },
    async (request) => countUnread(database, { actorId: actorOf(request).memberId }),
  );

  app.post(
    '/api/notifications/read',
    {
      config: { action: 'notifications.markRead' },
      schema: {
        tags,
        summary: 'Mark some or all of my notifications read',
        body: markNotificationsReadRequestSchema,
        response: { 200: unreadCountResponseSchema, ...errorResponses },
      },
    },
    async (request) => markNotificationsRead(database, { actorId: actorOf(request).memberId, ids: 'ids' in request.body ? request.body.ids : 'all' }),
  );

  app.post(
    '/api/cases/:caseId/access-requests',
    {
      config: caseRoute('case.requestAccess'),
      schema: {
        tags,
        summary: 'Ask the holders of a compartment to grant it to me',
        params: caseParamsSchema,
        body: accessRequestSchema,
        response: { 200: accessRequestResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      requestAccess(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), compartment: request.body.compartment }),
  );

  app.get(
    '/api/cases/:caseId/timeline',
    {
      config: caseRoute('case.timeline'),
      schema: {
        tags,
        summary: 'The case’s audit entries, newest first, key reads included (the access log)',
        params: caseParamsSchema,
        querystring: timelineQuerySchema,
        response: { 200: timelineResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      readCaseTimeline(database, {
        actorId: actorOf(request).memberId,
        caseId: asCaseId(request.params.caseId),
        before: request.query.before === undefined ? undefined : Number(request.query.before),
        limit: request.query.limit === undefined ? undefined : Number(request.query.limit),
      }),
  );
}
