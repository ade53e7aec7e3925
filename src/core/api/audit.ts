/** The audit log over HTTP (administrators): the signed head, proofs, and entries. */
import { auditActions } from '../audit/entry.js';
import { base64url32Schema, nullable, stringEnum, Type, uuidSchema, type Static } from './schema.js';

/** A signed tree head (src/core/crypto/merkle/tree-head.ts) as the server sends it. */
export const signedTreeHeadSchema = Type.Object({
  v: Type.Integer(),
  size: Type.Integer(),
  rootHash: Type.String(),
  timestamp: Type.String(),
  logId: Type.String(),
  signature: Type.String(),
});
/** GET /api/audit/head — and the log's public key, which clients pin at first use. */
export const auditHeadResponseSchema = Type.Object({ logPublicKey: base64url32Schema, head: signedTreeHeadSchema });
export type AuditHeadResponse = Static<typeof auditHeadResponseSchema>;

/** Query strings arrive as text; counts are checked as digits and converted by the route (no silent type coercion). */
const countSchema = Type.String({ pattern: '^[0-9]{1,12}$' });
const proofSchema = Type.Array(Type.String());
export const auditProofResponseSchema = Type.Object({ proof: proofSchema });
export type AuditProofResponse = Static<typeof auditProofResponseSchema>;
/** GET /api/audit/consistency — between two sizes of the log, both from signed heads. */
export const auditConsistencyQuerySchema = Type.Object({ from: countSchema, to: countSchema }, { additionalProperties: false });
export type AuditConsistencyQuery = Static<typeof auditConsistencyQuerySchema>;
/** GET /api/audit/inclusion — one entry in the log of a given size. */
export const auditInclusionQuerySchema = Type.Object({ seq: countSchema, size: countSchema }, { additionalProperties: false });
export type AuditInclusionQuery = Static<typeof auditInclusionQuerySchema>;

const instantSchema = Type.String({ format: 'date-time', maxLength: 40 });
/** GET /api/audit/entries — filtered by action, member (as actor or subject) and time; with `size`, each entry with its inclusion proof. */
export const auditEntriesQuerySchema = Type.Object(
  {
    action: Type.Optional(stringEnum(auditActions)),
    actor: Type.Optional(uuidSchema),
    from: Type.Optional(instantSchema),
    to: Type.Optional(instantSchema),
    before: Type.Optional(countSchema),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' })),
    size: Type.Optional(countSchema),
  },
  { additionalProperties: false },
);
export type AuditEntriesQuery = Static<typeof auditEntriesQuerySchema>;
export const auditEntrySchema = Type.Object({
  seq: Type.Integer(),
  occurredAt: Type.String(),
  action: Type.String(),
  actorId: nullable(Type.String()),
  subjectId: nullable(Type.String()),
  detail: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
  leafHash: Type.String(),
  proof: Type.Optional(proofSchema),
});
export type AuditEntryView = Static<typeof auditEntrySchema>;
export const auditEntriesResponseSchema = Type.Object({ entries: Type.Array(auditEntrySchema), nextBefore: nullable(Type.Integer()) });
export type AuditEntriesResponse = Static<typeof auditEntriesResponseSchema>;
