import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  counterResponseSchema as counterResponse,
  keyRotationsResponseSchema,
  membershipListResponseSchema,
  publishMembershipListRequestSchema,
  rotateOrganizationKeyRequestSchema,
} from '../../../core/api/members.js';
import type { Database } from '../../db/database.js';
import { publishMembershipList, readKeyRotations, readMembershipList, rotateOrganizationKey } from '../../organization/use-cases/index.js';
import { actorOf } from '../authorize.js';
import { errorResponses } from '../schemas.js';

/** The signed membership list and organization-key rotation (src/server/organization/use-cases/). */
export function trustRoutes(fastify: FastifyInstance, database: Database): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/organization/membership-list',
    {
      config: { action: 'membership.read' },
      schema: {
        tags: ['organization'],
        summary: 'The newest membership list signed with the organization key, and the chain of key rotations (browsers verify both)',
        response: { 200: membershipListResponseSchema, ...errorResponses },
      },
    },
    async () => readMembershipList(database),
  );

  app.post(
    '/api/organization/membership-list',
    {
      config: { action: 'membership.publish' },
      // A list names every member: allow more than the default body limit for large organizations.
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['organization'],
        summary: "Publish a membership list signed in an administrator's browser (counter one more than the last)",
        body: publishMembershipListRequestSchema,
        response: { 200: counterResponse, ...errorResponses },
      },
    },
    async (request) => publishMembershipList(database, { actorId: actorOf(request).memberId, list: request.body.list }),
  );

  app.get(
    '/api/organization/key-rotations',
    {
      config: { action: 'organization.rotations' },
      schema: {
        tags: ['organization'],
        summary: 'Each change of the organization key, signed by the key it replaced, oldest first; and whether a rotation is pending',
        response: { 200: keyRotationsResponseSchema, ...errorResponses },
      },
    },
    async () => readKeyRotations(database),
  );

  app.post(
    '/api/organization/key-rotation',
    {
      config: { action: 'organization.rotateKey' },
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['organization'],
        summary:
          'Replace the organization key: statement signed by the old key, new certificates, the new key sealed to each administrator, the first list under it',
        body: rotateOrganizationKeyRequestSchema,
        response: { 200: counterResponse, ...errorResponses },
      },
    },
    async (request) => rotateOrganizationKey(database, { ...request.body, actorId: actorOf(request).memberId }),
  );
}
