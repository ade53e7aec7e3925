import type { FastifyInstance } from 'fastify';
import { ClearingError, toBase64url } from '../../../core/index.js';
import { auditActions, AuditTree, queryAuditEntries } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { base64url32Schema, errorResponses, uuidSchema } from '../schemas.js';

const signedHeadSchema = {
  type: 'object',
  required: ['v', 'size', 'rootHash', 'timestamp', 'logId', 'signature'],
  properties: {
    v: { type: 'integer' },
    size: { type: 'integer' },
    rootHash: { type: 'string' },
    timestamp: { type: 'string' },
    logId: { type: 'string' },
    signature: { type: 'string' },
  },
} as const;
/** Query strings arrive as text; counts are checked as digits and converted here (no silent type coercion). */
const countSchema = { type: 'string', pattern: '^[0-9]{1,12}$' } as const;
const proofSchema = { type: 'array', items: { type: 'string' } } as const;

/** RFC 3339 allows instants (a leap second, say) that Date cannot hold; those are refused, not sent to SQL as NaN. */
function instant(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new ClearingError('VALIDATION_FAILED', { status: 400, params: { detail: `${name} is not a usable date` } });
  return date;
}

interface EntriesQuery {
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  before?: string;
  limit?: string;
  size?: string;
}

/**
 * The audit log for administrators: the signed head, proofs between heads and
 * of single entries, and the entries themselves. Only reads: entries are
 * written by the actions they record, never through this API.
 */
export function auditRoutes(app: FastifyInstance, database: Database, tree: AuditTree = new AuditTree()): void {
  app.get(
    '/api/audit/head',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The current signed tree head of the audit log, and the log’s public key (clients pin it at first use)',
        response: {
          200: { type: 'object', required: ['logPublicKey', 'head'], properties: { logPublicKey: base64url32Schema, head: signedHeadSchema } },
          ...errorResponses,
        },
      },
    },
    async () => {
      const head = await tree.currentHead(database.db);
      return { logPublicKey: toBase64url((await tree.logKey(database.db)).publicKey), head };
    },
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    '/api/audit/consistency',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'A consistency proof between two sizes of the log (RFC 9162 §2.1.4); take both sizes from signed heads',
        querystring: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: countSchema, to: countSchema } },
        response: { 200: { type: 'object', required: ['proof'], properties: { proof: proofSchema } }, ...errorResponses },
      },
    },
    async (request) => ({ proof: await tree.consistencyProof(database.db, Number(request.query.from), Number(request.query.to)) }),
  );

  app.get<{ Querystring: { seq: string; size: string } }>(
    '/api/audit/inclusion',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'An inclusion proof of one entry in the log of a given size (RFC 9162 §2.1.3)',
        querystring: { type: 'object', additionalProperties: false, required: ['seq', 'size'], properties: { seq: countSchema, size: countSchema } },
        response: { 200: { type: 'object', required: ['proof'], properties: { proof: proofSchema } }, ...errorResponses },
      },
    },
    async (request) => ({ proof: await tree.inclusionProof(database.db, Number(request.query.seq), Number(request.query.size)) }),
  );

  app.get<{ Querystring: EntriesQuery }>(
    '/api/audit/entries',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first, filtered by action, member (as actor or subject) and time; with `size`, only entries in the log of that size, each with its inclusion proof',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: [...auditActions] },
            actor: uuidSchema,
            from: { type: 'string', format: 'date-time', maxLength: 40 },
            to: { type: 'string', format: 'date-time', maxLength: 40 },
            before: countSchema,
            limit: { type: 'string', pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$' },
            size: countSchema,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['entries', 'nextBefore'],
            properties: {
              entries: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['seq', 'occurredAt', 'action', 'actorId', 'subjectId', 'detail', 'leafHash'],
                  properties: {
                    seq: { type: 'integer' },
                    occurredAt: { type: 'string' },
                    action: { type: 'string' },
                    actorId: { type: ['string', 'null'] },
                    subjectId: { type: ['string', 'null'] },
                    detail: { type: 'object', additionalProperties: true },
                    leafHash: { type: 'string' },
                    proof: proofSchema,
                  },
                },
              },
              nextBefore: { type: ['integer', 'null'] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const from = instant(q.from, 'from');
      const to = instant(q.to, 'to');
      if (from && to && from > to) throw new ClearingError('AUDIT_PERIOD_INVALID', { status: 400 });
      const size = q.size === undefined ? undefined : Number(q.size);
      const before = q.before === undefined ? undefined : Number(q.before);
      const page = await queryAuditEntries(database.db, {
        action: q.action,
        member: q.actor,
        from,
        to,
        before: size === undefined ? before : Math.min(before ?? size, size),
        limit: q.limit === undefined ? 100 : Number(q.limit),
      });
      if (size === undefined) return page;
      const proofs = await tree.inclusionProofs(database.db, page.entries.map((e) => e.seq), size);
      return { entries: page.entries.map((e, i) => ({ ...e, proof: proofs[i] })), nextBefore: page.nextBefore };
    },
  );
}
