import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { healthResponseSchema, readyResponseSchema } from '../../../core/api/health.js';
import { ClearingError } from '../../../core/index.js';
import { pingDatabase, type Database } from '../../db/database.js';
import { migrationStatus } from '../../db/migrate.js';

const healthBody = JSON.stringify({ status: 'ok' });

export function healthRoutes(fastify: FastifyInstance, database: Database): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The untyped instance: this route answers with a pre-serialised string, not the schema's object.
  fastify.get(
    '/api/health',
    {
      // Probes arrive every few seconds forever; logging each one would drown the log.
      config: { action: 'health.read', quiet: true },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        response: { 200: healthResponseSchema },
      },
    },
    // A pre-serialised body: liveness probes are hot and the answer never changes.
    async (_request, reply) => reply.type('application/json; charset=utf-8').send(healthBody),
  );

  app.get(
    '/api/ready',
    {
      config: { action: 'health.read', quiet: true },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: {
          200: readyResponseSchema,
          503: { $ref: 'ErrorEnvelope#' },
        },
      },
    },
    async () => {
      try {
        await pingDatabase(database);
      } catch (cause) {
        throw new ClearingError('DATABASE_UNAVAILABLE', { status: 503, cause });
      }
      const status = await migrationStatus(database);
      if (status.pending.length > 0) {
        throw new ClearingError('MIGRATIONS_PENDING', { status: 503 });
      }
      return { status: 'ready' as const, database: database.kind, migrations: status.applied.length };
    },
  );
}
