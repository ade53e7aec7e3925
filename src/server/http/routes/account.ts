import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  accountSummarySchema,
  endSessionResponseSchema,
  freshFactorSchema,
  recoveryCodesResponseSchema,
  sessionSummarySchema,
  totpReenrollConfirmRequestSchema,
  totpReenrollConfirmResponseSchema,
} from '../../../core/api/account.js';
import { totpEnrollmentResponseSchema } from '../../../core/api/members.js';
import { idParamsSchema, Type } from '../../../core/api/schema.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import {
  beginTotpReenrollment,
  confirmTotpReenrollment,
  endMySession,
  listMySessions,
  readMyAccount,
  regenerateRecoveryCodes,
} from '../../members/use-cases/index.js';
import { sessionCookieName } from '../../members/repository/sessions.js';
import type { AddressThrottle } from '../../members/throttle.js';
import { relyingPartyOf } from '../../members/webauthn.js';
import { actorOf } from '../authorize.js';
import { errorResponses } from '../schemas.js';

/** The account page: my second factors, recovery codes and sessions. */
export function accountRoutes(
  fastify: FastifyInstance,
  database: Database,
  options: { https: boolean; addressThrottle: AddressThrottle; auth: AuthContext },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = options;
  const rpOf = (request: FastifyRequest) => relyingPartyOf(request.headers.host, options.https);
  const limitAddress = async (request: FastifyRequest) => options.addressThrottle.check(request.ip);

  app.get(
    '/api/me/account',
    {
      config: { action: 'me.account', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'My second factors: TOTP, how many recovery codes are left, my authenticators',
        response: { 200: accountSummarySchema, ...errorResponses },
      },
    },
    async (request) => readMyAccount(database, { memberId: actorOf(request).memberId }),
  );

  app.post(
    '/api/me/recovery-codes',
    {
      config: { action: 'me.regenerateRecoveryCodes', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'A new set of recovery codes (the old set stops working); needs a fresh second factor; shown once',
        body: freshFactorSchema,
        response: { 200: recoveryCodesResponseSchema, ...errorResponses },
      },
    },
    async (request) => regenerateRecoveryCodes(auth, { actor: actorOf(request), rp: rpOf(request), fresh: request.body }),
  );

  app.post(
    '/api/me/totp',
    {
      config: { action: 'me.reenrollTotp', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'Start replacing the TOTP secret; needs a fresh second factor; the old secret works until the new one is confirmed',
        body: freshFactorSchema,
        response: { 200: totpEnrollmentResponseSchema, ...errorResponses },
      },
    },
    async (request) => beginTotpReenrollment(auth, { actor: actorOf(request), rp: rpOf(request), fresh: request.body }),
  );

  app.post(
    '/api/me/totp/confirm',
    {
      config: { action: 'me.reenrollTotp', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'Confirm the new TOTP secret with a code from it; it replaces the old one',
        body: totpReenrollConfirmRequestSchema,
        response: { 200: totpReenrollConfirmResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      await confirmTotpReenrollment(auth, { actor: actorOf(request), code: request.body.code });
      return { ok: true };
    },
  );

  app.get(
    '/api/me/sessions',
    {
      config: { action: 'me.sessions', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'My open sessions: when made and last seen, a coarse browser and system label, which one is this',
        response: { 200: Type.Array(sessionSummarySchema), ...errorResponses },
      },
    },
    async (request) => listMySessions(database, { actor: actorOf(request) }),
  );

  app.delete(
    '/api/me/sessions/:id',
    {
      config: { action: 'me.endSession', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'End one of my sessions (this one too)',
        params: idParamsSchema,
        response: { 200: endSessionResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { current } = await endMySession(database, { actor: actorOf(request), sessionId: request.params.id });
      if (current) reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https });
      return { ok: true as const, current };
    },
  );
}
