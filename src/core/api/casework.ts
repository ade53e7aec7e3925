/**
 * The working life of a case over HTTP: status and priority, closing and
 * reopening, assignment, escalation, flags, handover, tasks, notifications,
 * access requests and the timeline. Only plaintext workflow metadata and ids
 * cross here; a task's title is a sealed record written through the records
 * endpoint (src/core/api/cases.ts), and grants are the signed statements and
 * sealed keys of src/core/crypto, prepared in the browser.
 *
 * Every request body is closed (`additionalProperties: false`) and bounded.
 */
import { caseOutcomes, type CaseOutcome } from '../domain/cases.js';
import { closureReasons, escalationReasons, flagRemovalReasons, handoverBatchSize, notificationKinds } from '../domain/casework.js';
import {
  caseCodeSchema,
  caseCompartmentSchema,
  caseFlagSchema,
  casePrioritySchema,
  caseStatusSchema,
  caseStatementSchema,
  escalationKindSchema,
  taskStateSchema,
} from './cases.js';
import { cryptoObjectSchema, nullable, stringEnum, Type, uuidSchema, type Static } from './schema.js';

export const caseOutcomeSchema = stringEnum(caseOutcomes);
export const closureReasonSchema = stringEnum(closureReasons);
export const escalationReasonSchema = stringEnum(escalationReasons);
export const flagRemovalReasonSchema = stringEnum(flagRemovalReasons);
export const notificationKindSchema = stringEnum(notificationKinds);
/** A calendar day, YYYY-MM-DD, that exists (2026-02-30 does not). */
export const dueDaySchema = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });

const closed = { additionalProperties: false } as const;

/** One compartment key for one member: a signed grant statement of the case's chain and the key sealed to them. */
export const caseGrantSchema = Type.Object({ statement: caseStatementSchema, sealedKey: cryptoObjectSchema }, closed);
export type CaseGrant = Static<typeof caseGrantSchema>;
/** Grants that come with an assignment or an escalation: at most one per compartment. */
const grantsSchema = Type.Array(caseGrantSchema, { maxItems: 7 });

/** What every workflow change answers: the case's plaintext workflow fields as they now are. */
export const caseWorkflowStateSchema = Type.Object({
  caseId: uuidSchema,
  code: caseCodeSchema,
  status: caseStatusSchema,
  priority: casePrioritySchema,
  ownerId: nullable(uuidSchema),
  outcome: Type.Unsafe<CaseOutcome | null>({ type: ['string', 'null'], enum: [...caseOutcomes, null] }),
  closedAt: nullable(Type.String()),
  updatedAt: Type.String(),
});
export type CaseWorkflowState = Static<typeof caseWorkflowStateSchema>;

/** POST /api/cases/:caseId/status — a move the workflow allows (caseMoves); closing and reopening have their own endpoints. */
export const changeStatusRequestSchema = Type.Object({ to: caseStatusSchema }, closed);
export type ChangeStatusRequest = Static<typeof changeStatusRequestSchema>;

/** POST /api/cases/:caseId/close — from any open status, with an outcome and a reason code. */
/** `outcome` is checked by the use case, so a missing one answers CASE_OUTCOME_REQUIRED rather than a schema error. */
export const closeCaseRequestSchema = Type.Object({ outcome: Type.Optional(caseOutcomeSchema), reason: closureReasonSchema }, closed);
export type CloseCaseRequest = Static<typeof closeCaseRequestSchema>;

/** POST /api/cases/:caseId/reopen — no body (or `{}`): back to `reopenedStatus`, outcome cleared. */
export const reopenCaseRequestSchema = Type.Object({}, closed);
export type ReopenCaseRequest = Static<typeof reopenCaseRequestSchema>;

/** POST /api/cases/:caseId/priority */
export const changePriorityRequestSchema = Type.Object({ priority: casePrioritySchema }, closed);
export type ChangePriorityRequest = Static<typeof changePriorityRequestSchema>;

/**
 * POST /api/cases/:caseId/assignee — a new owner (an active, certified
 * coordinator, specialist or administrator) or none; `grants` seal the
 * compartments to the new owner in the same transaction.
 */
export const assignCaseRequestSchema = Type.Object({ memberId: nullable(uuidSchema), grants: Type.Optional(grantsSchema) }, closed);
export type AssignCaseRequest = Static<typeof assignCaseRequestSchema>;

export const caseSpecialistSchema = Type.Object({ memberId: uuidSchema, kind: escalationKindSchema, addedBy: uuidSchema, addedAt: Type.String() });
export type CaseSpecialist = Static<typeof caseSpecialistSchema>;

/**
 * POST /api/cases/:caseId/escalations — a referral adds the specialist beside
 * the owner; a transfer makes them the owner (the previous owner stays
 * involved only through the grants they still hold). `grants` are the
 * specialist's keys (escalationCompartments), applied atomically.
 */
export const escalateCaseRequestSchema = Type.Object(
  { specialistId: uuidSchema, kind: escalationKindSchema, reasonCode: escalationReasonSchema, grants: grantsSchema },
  closed,
);
export type EscalateCaseRequest = Static<typeof escalateCaseRequestSchema>;
export const escalateCaseResponseSchema = Type.Object({ ownerId: nullable(uuidSchema), specialists: Type.Array(caseSpecialistSchema) });
export type EscalateCaseResponse = Static<typeof escalateCaseResponseSchema>;

/** POST /api/cases/:caseId/flags */
export const setFlagRequestSchema = Type.Object({ flag: caseFlagSchema }, closed);
export type SetFlagRequest = Static<typeof setFlagRequestSchema>;
/** DELETE /api/cases/:caseId/flags/:flag — a reason code is required (its absence answers FLAG_REASON_REQUIRED). */
export const flagParamsSchema = Type.Object({ caseId: uuidSchema, flag: caseFlagSchema });
export const removeFlagRequestSchema = Type.Object({ reasonCode: Type.Optional(flagRemovalReasonSchema) }, closed);
export type RemoveFlagRequest = Static<typeof removeFlagRequestSchema>;
export const caseFlagViewSchema = Type.Object({ flag: caseFlagSchema, setBy: uuidSchema, setAt: Type.String() });
export type CaseFlagView = Static<typeof caseFlagViewSchema>;
export const caseFlagsResponseSchema = Type.Object({ flags: Type.Array(caseFlagViewSchema) });
export type CaseFlagsResponse = Static<typeof caseFlagsResponseSchema>;

/** GET /api/cases/handover/candidates?fromId= — the cases `fromId` owns, so the browser can prepare grants and send batches. */
export const handoverCandidatesQuerySchema = Type.Object({ fromId: uuidSchema }, closed);
export type HandoverCandidatesQuery = Static<typeof handoverCandidatesQuerySchema>;
export const handoverCandidatesResponseSchema = Type.Object({
  cases: Type.Array(Type.Object({ caseId: uuidSchema, code: caseCodeSchema, status: caseStatusSchema })),
});
export type HandoverCandidatesResponse = Static<typeof handoverCandidatesResponseSchema>;

export const handoverGrantSchema = Type.Object({ caseId: uuidSchema, statement: caseStatementSchema, sealedKey: cryptoObjectSchema }, closed);
export type HandoverGrant = Static<typeof handoverGrantSchema>;

/**
 * POST /api/cases/handover — one batch: ownership of these cases of `fromId`
 * moves to `toId` in one transaction. A case `toId` already owns is reported
 * as `already` (a retried batch is harmless); one `fromId` does not own (or
 * closed) is `skipped` and left alone.
 */
export const handoverRequestSchema = Type.Object(
  {
    fromId: uuidSchema,
    toId: uuidSchema,
    caseIds: Type.Array(uuidSchema, { minItems: 1, maxItems: handoverBatchSize, uniqueItems: true }),
    /** The new owner's keys, each naming its case; grants for cases that did not move are ignored. */
    grants: Type.Array(handoverGrantSchema, { maxItems: handoverBatchSize * 7 }),
  },
  closed,
);
export type HandoverRequest = Static<typeof handoverRequestSchema>;
export const handoverResponseSchema = Type.Object({
  moved: Type.Array(uuidSchema),
  already: Type.Array(uuidSchema),
  skipped: Type.Array(uuidSchema),
});
export type HandoverResponse = Static<typeof handoverResponseSchema>;

/** A task as the server knows it: the title is the sealed record `recordId` in `compartment`. */
export const caseTaskSchema = Type.Object({
  taskId: uuidSchema,
  caseId: uuidSchema,
  recordId: uuidSchema,
  compartment: caseCompartmentSchema,
  assigneeId: nullable(uuidSchema),
  dueOn: nullable(dueDaySchema),
  state: taskStateSchema,
  createdBy: uuidSchema,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** Open and its day is over (server's UTC day). */
  overdue: Type.Boolean(),
  /** Open and due today or within `taskSoonDays`. */
  dueSoon: Type.Boolean(),
});
export type CaseTask = Static<typeof caseTaskSchema>;
export const taskParamsSchema = Type.Object({ caseId: uuidSchema, taskId: uuidSchema });
export type TaskParams = Static<typeof taskParamsSchema>;

/** POST /api/cases/:caseId/tasks — the browser chose `taskId` and wrote the title as record `recordId` (kind `task`) first. */
export const createTaskRequestSchema = Type.Object(
  { taskId: uuidSchema, recordId: uuidSchema, compartment: caseCompartmentSchema, assigneeId: nullable(uuidSchema), dueOn: nullable(dueDaySchema) },
  closed,
);
export type CreateTaskRequest = Static<typeof createTaskRequestSchema>;

/** PATCH /api/cases/:caseId/tasks/:taskId — any of state, due day, assignee. */
export const updateTaskRequestSchema = Type.Object(
  { state: Type.Optional(taskStateSchema), dueOn: Type.Optional(nullable(dueDaySchema)), assigneeId: Type.Optional(nullable(uuidSchema)) },
  { ...closed, minProperties: 1 },
);
export type UpdateTaskRequest = Static<typeof updateTaskRequestSchema>;

/** GET /api/cases/:caseId/tasks — open first, by due day. */
export const caseTasksResponseSchema = Type.Object({ tasks: Type.Array(caseTaskSchema) });
export type CaseTasksResponse = Static<typeof caseTasksResponseSchema>;

/** GET /api/tasks/mine — the caller's open tasks across cases, by due day. */
export const myTaskSchema = Type.Object({ ...caseTaskSchema.properties, caseCode: caseCodeSchema });
export type MyTask = Static<typeof myTaskSchema>;
export const myTasksResponseSchema = Type.Object({ tasks: Type.Array(myTaskSchema) });
export type MyTasksResponse = Static<typeof myTasksResponseSchema>;

/**
 * A notification: a kind and ids; the words come from the catalogue
 * (`casework.notifications.<kind>`). `detail` holds codes only (a flag, a
 * compartment, an escalation kind).
 */
export const notificationSchema = Type.Object({
  id: uuidSchema,
  kind: notificationKindSchema,
  caseId: nullable(uuidSchema),
  caseCode: nullable(caseCodeSchema),
  taskId: nullable(uuidSchema),
  actorId: nullable(uuidSchema),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  createdAt: Type.String(),
  readAt: nullable(Type.String()),
});
export type NotificationView = Static<typeof notificationSchema>;

/** GET /api/notifications?before=&limit= — newest first; `before` is the previous page's `nextBefore`. */
export const notificationsQuerySchema = Type.Object(
  {
    /** The id of the last notification of the previous page. */
    before: Type.Optional(uuidSchema),
    limit: Type.Optional(Type.String({ pattern: '^([1-9]|[1-9][0-9]|100)$' })),
  },
  closed,
);
export type NotificationsQuery = Static<typeof notificationsQuerySchema>;
export const notificationsResponseSchema = Type.Object({
  notifications: Type.Array(notificationSchema),
  nextBefore: nullable(uuidSchema),
  unread: Type.Integer(),
});
export type NotificationsResponse = Static<typeof notificationsResponseSchema>;

/** GET /api/notifications/unread-count, and what marking read answers. */
export const unreadCountResponseSchema = Type.Object({ unread: Type.Integer() });
export type UnreadCountResponse = Static<typeof unreadCountResponseSchema>;

/** POST /api/notifications/read — these (the caller's own) or all. */
export const markNotificationsReadRequestSchema = Type.Union([
  Type.Object({ ids: Type.Array(uuidSchema, { minItems: 1, maxItems: 200, uniqueItems: true }) }, closed),
  Type.Object({ all: Type.Literal(true) }, closed),
]);
export type MarkNotificationsReadRequest = Static<typeof markNotificationsReadRequestSchema>;

/**
 * POST /api/cases/:caseId/access-requests — ask the holders of a compartment
 * to grant it. `requested` is false when the caller already asked within
 * `accessRequestWindowMinutes` (nobody is told twice).
 */
export const accessRequestSchema = Type.Object({ compartment: caseCompartmentSchema }, closed);
export type AccessRequest = Static<typeof accessRequestSchema>;
export const accessRequestResponseSchema = Type.Object({ requested: Type.Boolean(), notified: Type.Integer() });
export type AccessRequestResponse = Static<typeof accessRequestResponseSchema>;

/**
 * GET /api/cases/:caseId/timeline?before=&limit= — the case's audit entries,
 * newest first, `case.keys_read` (the access log) included. `seq` and
 * `leafHash` tie each entry to the signed tree heads of /api/audit.
 */
export const timelineQuerySchema = Type.Object(
  {
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9]|[1-9][0-9]|[1-4][0-9]{2}|500)$' })),
  },
  closed,
);
export type TimelineQuery = Static<typeof timelineQuerySchema>;
export const timelineEntrySchema = Type.Object({
  seq: Type.Integer(),
  occurredAt: Type.String(),
  action: Type.String(),
  actorId: nullable(Type.String()),
  detail: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
  leafHash: Type.String(),
});
export type TimelineEntry = Static<typeof timelineEntrySchema>;
export const timelineResponseSchema = Type.Object({ entries: Type.Array(timelineEntrySchema), nextBefore: nullable(Type.Integer()) });
export type TimelineResponse = Static<typeof timelineResponseSchema>;
