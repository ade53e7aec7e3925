/**
 * Casework shapes between the browser (or CLI) and the server: cases and
 * their list, the chain and the sealed keys, records, grants, revocations,
 * rotations and search. Crypto objects (statements, sealed keys, records)
 * are the formats of src/core/crypto, checked by core's strict parsers on
 * both sides; here they have a bounded outer shape. Plaintext fields are the
 * metadata docs/security.md lists, and nothing else.
 */
import { caseCategories, caseFlags, casePriorities, caseStatuses, escalationKinds, recordKinds, taskStates } from '../domain/cases.js';
import { caseCompartments } from '../domain/compartments.js';
import { rotationReasons } from '../crypto/case-chain/statement.js';
import { anyObjectSchema, cryptoObjectSchema, nullable, opaque, stringEnum, Type, uuidSchema, type Static } from './schema.js';

export const caseCategorySchema = stringEnum(caseCategories);
export const caseStatusSchema = stringEnum(caseStatuses);
export const casePrioritySchema = stringEnum(casePriorities);
export const caseFlagSchema = stringEnum(caseFlags);
export const caseCompartmentSchema = stringEnum(caseCompartments);
export const recordKindSchema = stringEnum(recordKinds);
export const taskStateSchema = stringEnum(taskStates);
export const escalationKindSchema = stringEnum(escalationKinds);
export const caseCodeSchema = Type.String({ pattern: '^[23456789ABCDEFGHJKMNPQRSTWXYZ]{3}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{3}$' });
/** A blind token: base64url of BLIND_TOKEN_BYTES. */
export const blindTokenSchema = Type.String({ pattern: '^[A-Za-z0-9_-]{11}$' });
/** A calendar day, YYYY-MM-DD. */
export const daySchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** A signed statement of a case's chain (src/core/crypto/case-chain). */
export const caseStatementSchema = opaque({ type: 'object', maxProperties: 10 });
/** A statement as served: whole, for the browser's audit. */
export const servedStatementSchema = anyObjectSchema;

export const caseParamsSchema = Type.Object({ caseId: uuidSchema });
export type CaseParams = Static<typeof caseParamsSchema>;
export const recordParamsSchema = Type.Object({ caseId: uuidSchema, recordId: uuidSchema });

/** POST /api/cases — a case opened in the browser: its chain's first statement and every sealed key it names. */
export const openCaseRequestSchema = Type.Object({
  caseId: uuidSchema,
  code: caseCodeSchema,
  category: caseCategorySchema,
  priority: casePrioritySchema,
  ownerId: nullable(uuidSchema),
  statement: caseStatementSchema,
  /** One per holder per compartment, all at epoch 0. */
  sealedKeys: Type.Array(cryptoObjectSchema, { minItems: 14, maxItems: 7000 }),
});
export type OpenCaseRequest = Static<typeof openCaseRequestSchema>;
export const openCaseResponseSchema = Type.Object({ caseId: uuidSchema, code: caseCodeSchema });

/** GET /api/cases — one page of the list, newest activity first unless asked otherwise. */
export const caseSortFields = ['updated', 'created', 'code', 'status', 'priority', 'category', 'openTasks', 'nextDue'] as const;
export const caseListQuerySchema = Type.Object({
  status: Type.Optional(Type.Array(caseStatusSchema, { maxItems: 7 })),
  category: Type.Optional(Type.Array(caseCategorySchema, { maxItems: 5 })),
  priority: Type.Optional(Type.Array(casePrioritySchema, { maxItems: 4 })),
  flag: Type.Optional(Type.Array(caseFlagSchema, { maxItems: 6 })),
  owner: Type.Optional(Type.Union([uuidSchema, Type.Literal('me'), Type.Literal('none')])),
  specialist: Type.Optional(Type.Union([uuidSchema, Type.Literal('me')])),
  overdue: Type.Optional(Type.Boolean()),
  code: Type.Optional(Type.String({ maxLength: 7, pattern: '^[0-9A-Za-z-]*$' })),
  sort: Type.Optional(stringEnum(caseSortFields)),
  direction: Type.Optional(stringEnum(['asc', 'desc'] as const)),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type CaseListQuery = Static<typeof caseListQuerySchema>;

export const caseSummarySchema = Type.Object({
  id: uuidSchema,
  code: caseCodeSchema,
  status: caseStatusSchema,
  category: caseCategorySchema,
  priority: casePrioritySchema,
  ownerId: nullable(uuidSchema),
  specialistIds: Type.Array(uuidSchema),
  flags: Type.Array(caseFlagSchema),
  openTasks: Type.Integer(),
  overdueTasks: Type.Integer(),
  nextDueOn: nullable(daySchema),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** True when a compartment waits for a rotation that this member can do. */
  rotationPending: Type.Boolean(),
});
export type CaseSummary = Static<typeof caseSummarySchema>;
export const caseListResponseSchema = Type.Object({
  cases: Type.Array(caseSummarySchema),
  nextCursor: nullable(Type.String()),
  /** How many cases match the filters (for the list's height and the count shown). */
  total: Type.Integer(),
});
export type CaseListResponse = Static<typeof caseListResponseSchema>;

export const pendingRemovalSchema = Type.Object({ memberId: uuidSchema, reason: stringEnum(rotationReasons), requestedBy: nullable(uuidSchema) });
export const compartmentStateSchema = Type.Object({
  compartment: caseCompartmentSchema,
  epoch: Type.Integer(),
  /** Members with a sealed key at the current epoch (what the browser audits against the chain). */
  holders: Type.Array(uuidSchema),
  /** Members to leave at the next rotation; until then writes to the compartment are refused. */
  pendingRemovals: Type.Array(pendingRemovalSchema),
  /** Epoch links, oldest first (epoch 1 wraps epoch 0, …). */
  links: Type.Array(Type.Object({ epoch: Type.Integer(), link: Type.String() })),
});
export type CompartmentState = Static<typeof compartmentStateSchema>;

export const caseDetailSchema = Type.Object({
  case: caseSummarySchema,
  outcome: nullable(Type.String()),
  closedAt: nullable(Type.String()),
  specialists: Type.Array(Type.Object({ memberId: uuidSchema, kind: escalationKindSchema })),
  chain: Type.Array(servedStatementSchema),
  compartments: Type.Array(compartmentStateSchema),
  /** The caller's own sealed keys: the current epoch of each compartment they hold. */
  myKeys: Type.Array(anyObjectSchema),
  /** Certificates of everyone the chain and the holders name, members who left included (verify each against the pinned key). */
  certificates: Type.Array(Type.Object({ memberId: uuidSchema, certificate: anyObjectSchema, status: Type.String() })),
  abilities: Type.Object({
    update: Type.Boolean(),
    assign: Type.Boolean(),
    escalate: Type.Boolean(),
    timeline: Type.Boolean(),
    revoke: Type.Boolean(),
    grant: Type.Boolean(),
  }),
});
export type CaseDetail = Static<typeof caseDetailSchema>;

/** GET /api/cases/:caseId/records?compartment= — the newest version of each record. */
export const recordListQuerySchema = Type.Object({ compartment: caseCompartmentSchema });
export const storedRecordSchema = Type.Object({
  recordId: uuidSchema,
  kind: recordKindSchema,
  version: Type.Integer(),
  epoch: Type.Integer(),
  authorId: uuidSchema,
  createdAt: Type.String(),
  sealed: anyObjectSchema,
});
export type StoredRecord = Static<typeof storedRecordSchema>;

/** POST /api/cases/:caseId/records — a new record (version 0) or a new version of one. */
export const writeRecordRequestSchema = Type.Object({
  kind: recordKindSchema,
  sealed: opaque({ type: 'object', maxProperties: 12 }),
  /** Blind tokens of the plaintext, keyed with the compartment's search key at the record's epoch. */
  tokens: Type.Array(blindTokenSchema, { maxItems: 5000 }),
});
export type WriteRecordRequest = Static<typeof writeRecordRequestSchema>;
export const writeRecordResponseSchema = Type.Object({ recordId: uuidSchema, version: Type.Integer() });

/** POST /api/cases/:caseId/grants — a holder seals the current key of one compartment to one more member. */
export const grantRequestSchema = Type.Object({ statement: caseStatementSchema, sealedKey: cryptoObjectSchema });
export type GrantRequest = Static<typeof grantRequestSchema>;

/** POST /api/cases/:caseId/revocations — take a member out of the case (all or some compartments); rotation follows. */
export const revokeRequestSchema = Type.Object({
  memberId: uuidSchema,
  compartments: Type.Optional(Type.Array(caseCompartmentSchema, { minItems: 1, maxItems: 7 })),
});
export const revokeResponseSchema = Type.Object({ pending: Type.Array(caseCompartmentSchema) });

/** POST /api/cases/:caseId/rotations — a new epoch, its keys sealed to the remaining holders, the old key linked. */
export const rotateRequestSchema = Type.Object({
  statement: caseStatementSchema,
  sealedKeys: Type.Array(cryptoObjectSchema, { minItems: 2, maxItems: 1000 }),
  link: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }),
});
export type RotateRequest = Static<typeof rotateRequestSchema>;

/** GET /api/rotations/pending — compartments waiting for a rotation that the caller holds. */
export const pendingRotationSchema = Type.Object({ caseId: uuidSchema, code: caseCodeSchema, compartment: caseCompartmentSchema });

/** POST /api/search — blind tokens of the query per compartment epoch the member holds; all words must match. */
export const searchRequestSchema = Type.Object({
  /** One group per query word: a record matches when it carries a token of every group. */
  groups: Type.Array(Type.Array(blindTokenSchema, { minItems: 1, maxItems: 20_000 }), { minItems: 1, maxItems: 8 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type SearchRequest = Static<typeof searchRequestSchema>;
export const searchHitSchema = Type.Object({ caseId: uuidSchema, code: caseCodeSchema, record: storedRecordSchema, compartment: caseCompartmentSchema });
export type SearchHit = Static<typeof searchHitSchema>;
export const searchResponseSchema = Type.Object({ hits: Type.Array(searchHitSchema), more: Type.Boolean() });
