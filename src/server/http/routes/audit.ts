import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  auditConsistencyQuerySchema,
  auditEntriesQuerySchema,
  auditEntriesResponseSchema,
  auditHeadResponseSchema,
  auditInclusionQuerySchema,
  auditProofResponseSchema,
} from '../../../core/api/audit.js';
import { ClearingError, toBase64url } from '../../../core/index.js';
import { AuditTree, queryAuditEntries } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { errorResponses } from '../schemas.js';

/** RFC 3339 allows instants (a leap second, say) that Date cannot hold; those are refused, not sent to SQL as NaN. */
function instant(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new ClearingError('VALIDATION_FAILED', { status: 400, params: { detail: `${name} is not a usable date` } });
  return date;
}

/**
 * The audit log for administrators: the signed head, proofs between heads and
 * of single entries, and the entries themselves. Only reads: entries are
 * written by the actions they record, never through this API.
 */
export function auditRoutes(fastify: FastifyInstance, database: Database, tree: AuditTree = new AuditTree()): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/audit/head',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The current signed tree head of the audit log, and the log’s public key (clients pin it at first use)',
        response: { 200: auditHeadResponseSchema, ...errorResponses },
      },
    },
    async () => {
      const head = await tree.currentHead(database.db);
      return { logPublicKey: toBase64url((await tree.logKey(database.db)).publicKey), head };
    },
  );

  app.get(
    '/api/audit/consistency',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'A consistency proof between two sizes of the log (RFC 9162 §2.1.4); take both sizes from signed heads',
        querystring: auditConsistencyQuerySchema,
        response: { 200: auditProofResponseSchema, ...errorResponses },
      },
    },
    async (request) => ({ proof: await tree.consistencyProof(database.db, Number(request.query.from), Number(request.query.to)) }),
  );

  app.get(
    '/api/audit/inclusion',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'An inclusion proof of one entry in the log of a given size (RFC 9162 §2.1.3)',
        querystring: auditInclusionQuerySchema,
        response: { 200: auditProofResponseSchema, ...errorResponses },
      },
    },
    async (request) => ({ proof: await tree.inclusionProof(database.db, Number(request.query.seq), Number(request.query.size)) }),
  );

  app.get(
    '/api/audit/entries',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary:
          'Audit entries, newest first, filtered by action, member (as actor or subject) and time; with `size`, only entries in the log of that size, each with its inclusion proof',
        querystring: auditEntriesQuerySchema,
        response: { 200: auditEntriesResponseSchema, ...errorResponses },
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
      const proofs = await tree.inclusionProofs(
        database.db,
        page.entries.map((e) => e.seq),
        size,
      );
      return { entries: page.entries.map((e, i) => ({ ...e, proof: proofs[i] })), nextBefore: page.nextBefore };
    },
  );
}
