import type { FastifyInstance } from 'fastify';
import type { PublishMembershipListRequest, RotateOrganizationKeyRequest } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { publishMembershipList, readKeyRotations, readMembershipList, rotateOrganizationKey } from '../../organization/use-cases/index.js';
import { actorOf } from '../authorize.js';
import { cryptoObjectSchema, errorResponses, uuidSchema } from '../schemas.js';

const listObject = { type: 'object', additionalProperties: true } as const;
const counterResponse = { type: 'object', required: ['counter'], properties: { counter: { type: 'integer' } } } as const;

/** The signed membership list and organization-key rotation (src/server/organization/use-cases/). */
export function trustRoutes(app: FastifyInstance, database: Database): void {
  app.get(
    '/api/organization/membership-list',
    {
      config: { action: 'membership.read' },
      schema: {
        tags: ['organization'],
        summary: 'The newest membership list signed with the organization key, and the chain of key rotations (browsers verify both)',
        response: {
          200: { type: 'object', required: ['list', 'rotations'], properties: { list: { anyOf: [listObject, { type: 'null' }] }, rotations: { type: 'array', items: listObject } } },
          ...errorResponses,
        },
      },
    },
    async () => readMembershipList(database),
  );

  app.post<{ Body: PublishMembershipListRequest }>(
    '/api/organization/membership-list',
    {
      config: { action: 'membership.publish' },
      // A list names every member: allow more than the default body limit for large organizations.
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['organization'],
        summary: "Publish a membership list signed in an administrator's browser (counter one more than the last)",
        body: { type: 'object', additionalProperties: false, required: ['list'], properties: { list: cryptoObjectSchema } },
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
        response: {
          200: { type: 'object', required: ['rotations', 'rotationPending'], properties: { rotations: { type: 'array', items: listObject }, rotationPending: { type: 'boolean' } } },
          ...errorResponses,
        },
      },
    },
    async () => readKeyRotations(database),
  );

  app.post<{ Body: RotateOrganizationKeyRequest }>(
    '/api/organization/key-rotation',
    {
      config: { action: 'organization.rotateKey' },
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['organization'],
        summary: 'Replace the organization key: statement signed by the old key, new certificates, the new key sealed to each administrator, the first list under it',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['statement', 'certificates', 'sealedKeys', 'membershipList'],
          properties: {
            statement: cryptoObjectSchema,
            certificates: {
              type: 'array',
              maxItems: 5000,
              items: { type: 'object', additionalProperties: false, required: ['memberId', 'certificate'], properties: { memberId: uuidSchema, certificate: cryptoObjectSchema } },
            },
            sealedKeys: {
              type: 'array',
              maxItems: 5000,
              items: { type: 'object', additionalProperties: false, required: ['memberId', 'sealedOrganizationKey'], properties: { memberId: uuidSchema, sealedOrganizationKey: cryptoObjectSchema } },
            },
            membershipList: cryptoObjectSchema,
          },
        },
        response: { 200: counterResponse, ...errorResponses },
      },
    },
    async (request) => rotateOrganizationKey(database, { ...request.body, actorId: actorOf(request).memberId }),
  );
}
