import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { setupRequestSchema, setupResponseSchema, setupStatusSchema, type SetupStatus } from '../../../core/api/members.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import type { AddressThrottle } from '../../members/throttle.js';
import { findOrganization, organizationInfo } from '../../organization/repository.js';
import { setUpOrganization } from '../../organization/use-cases/index.js';
import { errorResponses } from '../schemas.js';

export function setupRoutes(
  fastify: FastifyInstance,
  database: Database,
  options: { auth: AuthContext; dataDir: string; addressThrottle: AddressThrottle },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/setup',
    {
      config: { action: 'setup.read' },
      schema: {
        tags: ['setup'],
        summary: 'Whether this server has been set up, and its organization',
        response: { 200: setupStatusSchema },
      },
    },
    async (): Promise<SetupStatus> => {
      const org = await findOrganization(database.db);
      return org ? { setUp: true, organization: organizationInfo(org) } : { setUp: false };
    },
  );

  app.post(
    '/api/setup',
    {
      config: { action: 'setup.create' },
      preHandler: async (request) => options.addressThrottle.check(request.ip),
      schema: {
        tags: ['setup'],
        summary: 'First-run setup: the organization, its public key and its first administrator',
        body: setupRequestSchema,
        response: { 201: setupResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const org = await setUpOrganization(options.auth, options.dataDir, request.body);
      return reply.status(201).send({ organization: organizationInfo(org) });
    },
  );
}
