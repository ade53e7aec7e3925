import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  acceptInvitationRequestSchema,
  acceptInvitationResponseSchema,
  certifyRequestSchema,
  changeRoleRequestSchema,
  directoryEntrySchema,
  invitationCreatedSchema,
  invitationLookupRequestSchema,
  invitationLookupResponseSchema,
  invitationSummarySchema,
  inviteRequestSchema,
  memberSummarySchema,
} from '../../../core/api/members.js';
import { idParamsSchema as idParams, okSchema, Type } from '../../../core/api/schema.js';
import { asMemberId } from '../../../core/index.js';
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
import { errorResponses } from '../schemas.js';

export function memberRoutes(fastify: FastifyInstance, database: Database, options: { addressThrottle: AddressThrottle; auth: AuthContext }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const limitAddress = async (request: { ip: string }) => options.addressThrottle.check(request.ip);

  app.get(
    '/api/members',
    {
      config: { action: 'members.list' },
      schema: { tags: ['members'], summary: 'All members, for administrators', response: { 200: Type.Array(memberSummarySchema), ...errorResponses } },
    },
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
        response: { 200: Type.Array(directoryEntrySchema), ...errorResponses },
      },
    },
    async () => readMemberDirectory(database),
  );

  app.post(
    '/api/members/:id/certificate',
    {
      config: { action: 'member.certify', resource: 'member' },
      schema: {
        tags: ['members'],
        summary: "Store the organization's certificate of a member's keys (signed in the administrator's browser)",
        params: idParams,
        body: certifyRequestSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { certificate, sealedOrganizationKey } = request.body;
      await certifyMember(database, { actorId: actorOf(request).memberId, memberId: asMemberId(request.params.id), certificate, sealedOrganizationKey });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/members/:id/role',
    {
      config: { action: 'member.changeRole', resource: 'member' },
      schema: {
        tags: ['members'],
        summary: 'Change a member’s role (with a new certificate if they were certified)',
        params: idParams,
        body: changeRoleRequestSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      await changeMemberRole(database, { ...request.body, actorId: actorOf(request).memberId, memberId: asMemberId(request.params.id) });
      return { ok: true as const };
    },
  );

  for (const [path, action, run, summary] of [
    ['suspend', 'member.suspend', suspendMember, 'Suspend a member: their sessions end and they cannot log in'],
    ['reinstate', 'member.reinstate', reinstateMember, 'Lift a suspension'],
    ['remove', 'member.remove', removeMember, 'Remove a member for good'],
  ] as const) {
    app.post(
      `/api/members/:id/${path}`,
      { config: { action, resource: 'member' }, schema: { tags: ['members'], summary, params: idParams, response: { 200: okSchema, ...errorResponses } } },
      async (request) => {
        await run(database, { actorId: actorOf(request).memberId, memberId: asMemberId(request.params.id) });
        return { ok: true as const };
      },
    );
  }

  app.post(
    '/api/invitations',
    {
      config: { action: 'member.invite' },
      schema: {
        tags: ['invitations'],
        summary: 'Invite a member with a role; returns a one-time token for the link',
        body: inviteRequestSchema,
        response: { 201: invitationCreatedSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await inviteMember(database, { ...request.body, actorId: actorOf(request).memberId })),
  );

  app.get(
    '/api/invitations',
    {
      config: { action: 'members.invitations' },
      schema: { tags: ['invitations'], summary: 'Invitations, newest first', response: { 200: Type.Array(invitationSummarySchema), ...errorResponses } },
    },
    async () => listInvitations(database),
  );

  app.delete(
    '/api/invitations/:id',
    {
      config: { action: 'member.invite' },
      schema: { tags: ['invitations'], summary: 'Revoke a pending invitation', params: idParams, response: { 200: okSchema, ...errorResponses } },
    },
    async (request) => {
      await revokeInvitation(database, { actorId: actorOf(request).memberId, invitationId: request.params.id });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/invitations/lookup',
    {
      config: { action: 'invitation.read' },
      preHandler: limitAddress,
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link is for: role, expiry and the organization (with its public key to compare)',
        body: invitationLookupRequestSchema,
        response: { 200: invitationLookupResponseSchema, ...errorResponses },
      },
    },
    async (request) => lookUpInvitation(database, { token: request.body.token }),
  );

  app.post(
    '/api/invitations/accept',
    {
      config: { action: 'invitation.accept' },
      preHandler: limitAddress,
      schema: {
        tags: ['invitations'],
        summary: 'Accept an invitation with keys made in the browser',
        body: acceptInvitationRequestSchema,
        response: { 201: acceptInvitationResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await acceptInvitation(options.auth, request.body)),
  );
}
