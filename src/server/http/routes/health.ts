import type { FastifyInstance } from 'fastify';
import { ClearingError } from '../../../core/index.js';
import { pingDatabase, type Database } from '../../db/database.js';
import { migrationStatus } from '../../db/migrate.js';

const healthBody = JSON.stringify({ status: 'ok' });

export function healthRoutes(app: FastifyInstance, database: Database): void {
  app.get(
    '/api/health',
    {
      // Probes arrive every few seconds forever; logging each one would drown the log.
      config: { action: 'health.read', quiet: true },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } } },
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
          200: {
            type: 'object',
            required: ['status', 'database', 'migrations'],
            properties: {
              status: { type: 'string', const: 'ready' },
              database: { type: 'string', enum: ['pglite', 'postgres'] },
              migrations: { type: 'integer' },
            },
          },
          503: { $ref: 'ErrorEnvelope#' },
        },
      },
    },
    async () => {
      try {
        await pingDatabase(database);
      } catch (cause) {
        throw new ClearingError('DATABASE_UNAVAILABLE', 'The database cannot be reached.', { status: 503, cause });
      }
      const status = await migrationStatus(database);
      if (status.pending.length > 0) {
        throw new ClearingError('MIGRATIONS_PENDING', 'The database has not been brought up to date yet.', { status: 503 });
      }
      return { status: 'ready' as const, database: database.kind, migrations: status.applied.length };
    },
  );
}
