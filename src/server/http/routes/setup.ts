import type { FastifyInstance } from 'fastify';
import type { SetupRequest, SetupStatus } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import type { AddressThrottle } from '../../members/throttle.js';
import { findOrganization, organizationInfo } from '../../organization/repository.js';
import { setUpOrganization } from '../../organization/use-cases/index.js';
import { cryptoObjectSchema, errorResponses, memberNameSchema, organizationInfoSchema, uuidSchema, base64url32Schema } from '../schemas.js';

export function setupRoutes(app: FastifyInstance, database: Database, options: { auth: AuthContext; dataDir: string; addressThrottle: AddressThrottle }): void {
  app.get(
    '/api/setup',
    {
      config: { action: 'setup.read' },
      schema: {
        tags: ['setup'],
        summary: 'Whether this server has been set up, and its organization',
        response: { 200: { type: 'object', required: ['setUp'], properties: { setUp: { type: 'boolean' }, organization: organizationInfoSchema } } },
      },
    },
    async (): Promise<SetupStatus> => {
      const org = await findOrganization(database.db);
      return org ? { setUp: true, organization: organizationInfo(org) } : { setUp: false };
    },
  );

  app.post<{ Body: SetupRequest }>(
    '/api/setup',
    {
      config: { action: 'setup.create' },
      preHandler: async (request) => options.addressThrottle.check(request.ip),
      schema: {
        tags: ['setup'],
        summary: 'First-run setup: the organization, its public key and its first administrator',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['setupCode', 'organizationName', 'defaultLanguage', 'organizationPublicKey', 'administrator'],
          properties: {
            setupCode: { type: 'string', minLength: 1, maxLength: 40 },
            organizationName: { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' },
            defaultLanguage: { type: 'string', enum: ['en', 'ru'] },
            organizationPublicKey: base64url32Schema,
            administrator: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'name', 'keyBundle', 'authPublicKey', 'certificate', 'sealedOrganizationKey'],
              properties: {
                id: uuidSchema,
                name: memberNameSchema,
                keyBundle: cryptoObjectSchema,
                authPublicKey: base64url32Schema,
                certificate: cryptoObjectSchema,
                sealedOrganizationKey: cryptoObjectSchema,
              },
            },
            membershipList: cryptoObjectSchema,
          },
        },
        response: { 201: { type: 'object', required: ['organization'], properties: { organization: organizationInfoSchema } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const org = await setUpOrganization(options.auth, options.dataDir, request.body);
      return reply.status(201).send({ organization: organizationInfo(org) });
    },
  );
}
