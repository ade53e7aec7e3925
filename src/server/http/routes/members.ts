import type { FastifyInstance } from 'fastify';
import { asMemberId, type AcceptInvitationRequest, type CertifyRequest, type ChangeRoleRequest, type InvitationLookupRequest, type InviteRequest } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import type { AddressThrottle } from '../../members/throttle.js';
import {
  acceptInvitation,
  certifyMember,
  changeMemberRole,
  inviteMember,
  listAllMembers,
  listInvitations,
  lookUpInvitation,
  readMemberDirectory,
  reinstateMember,
  removeMember,
  revokeInvitation,
  suspendMember,
} from '../../members/use-cases/index.js';
import { actorOf, policyActor } from '../authorize.js';
import { base64url32Schema, cryptoObjectSchema, errorResponses, memberNameSchema, okSchema, organizationInfoSchema, roleSchema, tokenSchema, uuidSchema } from '../schemas.js';

const idParams = { type: 'object', required: ['id'], properties: { id: uuidSchema } } as const;
const memberSummarySchema = {
  type: 'object',
  required: ['id', 'name', 'role', 'status', 'encryptionPublicKey', 'signingPublicKey', 'certificate', 'certifiedAt', 'createdAt', 'lastActiveAt', 'totpEnabled'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: roleSchema,
    status: { type: 'string', enum: ['active', 'suspended', 'removed'] },
    encryptionPublicKey: { type: 'string' },
    signingPublicKey: { type: 'string' },
    certificate: { type: ['object', 'null'], additionalProperties: true },
    certifiedAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    lastActiveAt: { type: ['string', 'null'] },
    totpEnabled: { type: 'boolean' },
  },
} as const;
const invitationSummarySchema = {
  type: 'object',
  required: ['id', 'role', 'createdBy', 'createdAt', 'expiresAt', 'state', 'memberId'],
  properties: {
    id: { type: 'string' },
    role: roleSchema,
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    expiresAt: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'used', 'expired', 'revoked'] },
    memberId: { type: ['string', 'null'] },
  },
} as const;

export function memberRoutes(app: FastifyInstance, database: Database, options: { addressThrottle: AddressThrottle; auth: AuthContext }): void {
  const limitAddress = async (request: { ip: string }) => options.addressThrottle.check(request.ip);

  app.get(
    '/api/members',
    { config: { action: 'members.list' }, schema: { tags: ['members'], summary: 'All members, for administrators', response: { 200: { type: 'array', items: memberSummarySchema }, ...errorResponses } } },
    // Each summary carries the caller's abilities on that member; the response schema passes them on once it lists the field.
    async (request) => listAllMembers(database, { actor: policyActor(request.actor) }),
  );

  app.get(
    '/api/members/directory',
    {
      config: { action: 'members.directory' },
      schema: {
        tags: ['members'],
        summary: 'Certified, active members with their public keys and certificates (clients verify each certificate against the pinned organization key)',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'name', 'role', 'encryptionPublicKey', 'signingPublicKey', 'certificate'],
              properties: { id: { type: 'string' }, name: { type: 'string' }, role: roleSchema, encryptionPublicKey: { type: 'string' }, signingPublicKey: { type: 'string' }, certificate: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => readMemberDirectory(database),
  );

  app.post<{ Params: { id: string }; Body: CertifyRequest }>(
    '/api/members/:id/certificate',
    {
      config: { action: 'members.certify', resource: 'member' },
      schema: {
        tags: ['members'],
        summary: "Store the organization's certificate of a member's keys (signed in the administrator's browser)",
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['certificate'],
          properties: { certificate: cryptoObjectSchema, sealedOrganizationKey: { anyOf: [cryptoObjectSchema, { type: 'null' }] } },
        },
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { certificate, sealedOrganizationKey } = request.body;
      await certifyMember(database, { actorId: actorOf(request).memberId, memberId: asMemberId(request.params.id), certificate, sealedOrganizationKey });
      return { ok: true as const };
    },
  );

  app.post<{ Params: { id: string }; Body: ChangeRoleRequest }>(
    '/api/members/:id/role',
    {
      config: { action: 'members.changeRole', resource: 'member' },
      schema: {
        tags: ['members'],
        summary: 'Change a member’s role (with a new certificate if they were certified)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['role'],
          properties: { role: roleSchema, certificate: { anyOf: [cryptoObjectSchema, { type: 'null' }] }, sealedOrganizationKey: { anyOf: [cryptoObjectSchema, { type: 'null' }] } },
        },
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      await changeMemberRole(database, { ...request.body, actorId: actorOf(request).memberId, memberId: asMemberId(request.params.id) });
      return { ok: true as const };
    },
  );

  for (const [path, action, run, summary] of [
    ['suspend', 'members.suspend', suspendMember, 'Suspend a member: their sessions end and they cannot log in'],
    ['reinstate', 'members.reinstate', reinstateMember, 'Lift a suspension'],
    ['remove', 'members.remove', removeMember, 'Remove a member for good'],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/api/members/:id/${path}`,
      { config: { action, resource: 'member' }, schema: { tags: ['members'], summary, params: idParams, response: { 200: okSchema, ...errorResponses } } },
      async (request) => {
        await run(database, { actorId: actorOf(request).memberId, memberId: asMemberId(request.params.id) });
        return { ok: true as const };
      },
    );
  }

  app.post<{ Body: InviteRequest }>(
    '/api/invitations',
    {
      config: { action: 'members.invite' },
      schema: {
        tags: ['invitations'],
        summary: 'Invite a member with a role; returns a one-time token for the link',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['role', 'expiresInHours'],
          properties: { role: roleSchema, expiresInHours: { type: 'integer', minimum: 1, maximum: 168 }, statement: cryptoObjectSchema },
        },
        response: {
          201: { type: 'object', required: ['id', 'token', 'role', 'expiresAt'], properties: { id: { type: 'string' }, token: { type: 'string' }, role: roleSchema, expiresAt: { type: 'string' } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await inviteMember(database, { ...request.body, actorId: actorOf(request).memberId })),
  );

  app.get(
    '/api/invitations',
    { config: { action: 'members.invitations' }, schema: { tags: ['invitations'], summary: 'Invitations, newest first', response: { 200: { type: 'array', items: invitationSummarySchema }, ...errorResponses } } },
    async () => listInvitations(database),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/invitations/:id',
    { config: { action: 'members.invite' }, schema: { tags: ['invitations'], summary: 'Revoke a pending invitation', params: idParams, response: { 200: okSchema, ...errorResponses } } },
    async (request) => {
      await revokeInvitation(database, { actorId: actorOf(request).memberId, invitationId: request.params.id });
      return { ok: true as const };
    },
  );

  app.post<{ Body: InvitationLookupRequest }>(
    '/api/invitations/lookup',
    {
      config: { action: 'invitation.read' },
      preHandler: limitAddress,
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link is for: role, expiry and the organization (with its public key to compare)',
        body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: tokenSchema } },
        response: { 200: { type: 'object', required: ['role', 'expiresAt', 'organization'], properties: { role: roleSchema, expiresAt: { type: 'string' }, organization: organizationInfoSchema } }, ...errorResponses },
      },
    },
    async (request) => lookUpInvitation(database, { token: request.body.token }),
  );

  app.post<{ Body: AcceptInvitationRequest }>(
    '/api/invitations/accept',
    {
      config: { action: 'invitation.accept' },
      preHandler: limitAddress,
      schema: {
        tags: ['invitations'],
        summary: 'Accept an invitation with keys made in the browser',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['token', 'member'],
          properties: {
            token: tokenSchema,
            member: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'name', 'keyBundle', 'authPublicKey'],
              properties: { id: uuidSchema, name: memberNameSchema, keyBundle: cryptoObjectSchema, authPublicKey: base64url32Schema },
            },
          },
        },
        response: { 201: { type: 'object', required: ['memberId'], properties: { memberId: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await acceptInvitation(options.auth, request.body)),
  );
}
