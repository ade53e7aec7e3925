import type { FastifyInstance } from 'fastify';
import { toBase64url } from '../../../core/index.js';
import { auditActions } from '../../audit/types.js';
import { AuditTree, queryAuditEntries } from '../../audit/tree.js';
import type { Database } from '../../db/database.js';
import { errorResponses, uuidSchema } from '../schemas.js';

const signedHeadSchema = {
  type: 'object',
  required: ['v', 'size', 'rootHash', 'timestamp', 'logId', 'signature'],
  properties: { v: { type: 'integer' }, size: { type: 'integer' }, rootHash: { type: 'string' }, timestamp: { type: 'string' }, logId: { type: 'string' }, signature: { type: 'string' } },
} as const;
/** Query strings arrive as text; numbers are checked as digits and converted here (no silent type coercion). */
const sizeSchema = { type: 'string', pattern: '^[0-9]{1,12}$' } as const;
const proofSchema = { type: 'object', required: ['proof'], properties: { proof: { type: 'array', items: { type: 'string' } } } } as const;

export function auditRoutes(app: FastifyInstance, database: Database, tree: AuditTree = new AuditTree()): void {
  app.get(
    '/api/audit/head',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The current signed tree head of the audit log, and the log’s public key (clients pin it at first use)',
        response: { 200: { type: 'object', required: ['logPublicKey', 'head'], properties: { logPublicKey: { type: 'string' }, head: signedHeadSchema } }, ...errorResponses },
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
        summary: 'A consistency proof between two sizes of the log (RFC 9162 §2.1.4)',
        querystring: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: sizeSchema, to: sizeSchema } },
        response: { 200: proofSchema, ...errorResponses },
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
        summary: 'An inclusion proof of one entry in the log at a size (RFC 9162 §2.1.3)',
        querystring: { type: 'object', additionalProperties: false, required: ['seq', 'size'], properties: { seq: sizeSchema, size: sizeSchema } },
        response: { 200: proofSchema, ...errorResponses },
      },
    },
    async (request) => ({ proof: await tree.inclusionProof(database.db, Number(request.query.seq), Number(request.query.size)) }),
  );

  app.get<{ Querystring: { action?: string; actor?: string; from?: string; to?: string; before?: string; limit?: string } }>(
    '/api/audit/entries',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first, filtered by action, member and time',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: [...auditActions] },
            actor: uuidSchema,
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            before: sizeSchema,
            limit: { type: 'string', pattern: '^([1-9][0-9]{0,1}|[1-4][0-9]{2}|500)$' },
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
      return queryAuditEntries(database.db, {
        action: q.action,
        actor: q.actor,
        from: q.from,
        to: q.to,
        before: q.before === undefined ? undefined : Number(q.before),
        limit: q.limit === undefined ? 100 : Number(q.limit),
      });
    },
  );
}
