import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { findOrganization } from '../../organization/repository.js';
import { setUpOrganization } from '../../organization/set-up-organization.js';

const organizationSchema = {
  type: 'object',
  required: ['name', 'defaultLanguage'],
  properties: { name: { type: 'string' }, defaultLanguage: { type: 'string', enum: ['en', 'ru'] } },
} as const;

export function setupRoutes(app: FastifyInstance, database: Database): void {
  app.get(
    '/api/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Whether this server has been set up, and its organization',
        response: {
          200: {
            type: 'object',
            required: ['setUp'],
            properties: { setUp: { type: 'boolean' }, organization: organizationSchema },
          },
        },
      },
    },
    async () => {
      const org = await findOrganization(database.db);
      return org ? { setUp: true, organization: { name: org.name, defaultLanguage: org.defaultLanguage } } : { setUp: false };
    },
  );

  app.post<{ Body: { organizationName: string; defaultLanguage: 'en' | 'ru' } }>(
    '/api/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'First-run setup: create the organization',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['organizationName', 'defaultLanguage'],
          properties: {
            organizationName: { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' },
            defaultLanguage: { type: 'string', enum: ['en', 'ru'] },
          },
        },
        response: {
          201: { type: 'object', required: ['organization'], properties: { organization: organizationSchema } },
          409: { $ref: 'ErrorEnvelope#' },
        },
      },
    },
    async (request, reply) => {
      const org = await setUpOrganization(database, request.body);
      return reply.status(201).send({ organization: { name: org.name, defaultLanguage: org.defaultLanguage } });
    },
  );
}
