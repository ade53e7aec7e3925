import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  addAuthenticatorRequestSchema,
  authenticatorSummarySchema,
  freshFactorSchema,
  renameAuthenticatorRequestSchema,
  webauthnLoginRequestSchema,
  webauthnOptionsSchema as optionsSchema,
} from '../../../core/api/account.js';
import { secondFactorResponseSchema } from '../../../core/api/members.js';
import { idParamsSchema, okSchema } from '../../../core/api/schema.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import { setSessionCookie } from '../session-cookie.js';
import type { AddressThrottle } from '../../members/throttle.js';
import {
  addAuthenticator,
  beginAddingAuthenticator,
  logInWithAuthenticator,
  removeAuthenticator,
  renameAuthenticator,
  requestAssertionOptions,
} from '../../members/use-cases/index.js';
import { relyingPartyOf } from '../../members/webauthn.js';
import { actorOf } from '../authorize.js';
import { errorResponses } from '../schemas.js';

export function webauthnRoutes(
  fastify: FastifyInstance,
  database: Database,
  options: { https: boolean; addressThrottle: AddressThrottle; auth: AuthContext },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = options;
  const rpOf = (request: FastifyRequest) => relyingPartyOf(request.headers.host, options.https);
  const limitAddress = async (request: FastifyRequest) => options.addressThrottle.check(request.ip);

  app.post(
    '/api/auth/webauthn/options',
    {
      config: { action: 'auth.webauthnOptions', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'A single-use challenge for my security keys and passkeys (login or confirmation); null options when none is registered',
        response: { 200: optionsSchema, ...errorResponses },
      },
    },
    async (request) => requestAssertionOptions(database, { actor: actorOf(request), rp: rpOf(request) }),
  );

  app.post(
    '/api/auth/webauthn',
    {
      config: { action: 'auth.webauthn', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Second factor: an assertion from a registered security key or passkey',
        body: webauthnLoginRequestSchema,
        response: { 200: secondFactorResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await logInWithAuthenticator(database, { actor: actorOf(request), rp: rpOf(request), assertion: request.body.assertion });
      // The full session comes with new tokens; the pending ones stop working.
      setSessionCookie(reply, result.token, 'full', options.https);
      return { csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/me/authenticators/options',
    {
      config: { action: 'me.addAuthenticator', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'Registration options for one more authenticator; needs a fresh second factor',
        body: freshFactorSchema,
        response: { 200: optionsSchema, ...errorResponses },
      },
    },
    async (request) => beginAddingAuthenticator(auth, { actor: actorOf(request), rp: rpOf(request), fresh: request.body }),
  );

  app.post(
    '/api/me/authenticators',
    {
      config: { action: 'me.addAuthenticator', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'Register an authenticator: the browser’s answer to the registration options, and a name for it',
        body: addAuthenticatorRequestSchema,
        response: { 201: authenticatorSummarySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const added = await addAuthenticator(database, { ...request.body, actor: actorOf(request), rp: rpOf(request) });
      return reply.code(201).send(added);
    },
  );

  app.post(
    '/api/me/authenticators/:id/name',
    {
      config: { action: 'me.renameAuthenticator', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'Rename one of my authenticators',
        params: idParamsSchema,
        body: renameAuthenticatorRequestSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      await renameAuthenticator(database, { memberId: actorOf(request).memberId, authenticatorId: request.params.id, name: request.body.name });
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/me/authenticators/:id',
    {
      config: { action: 'me.removeAuthenticator', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'Remove one of my authenticators (never the last second factor)',
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      await removeAuthenticator(database, { memberId: actorOf(request).memberId, authenticatorId: request.params.id });
      return { ok: true as const };
    },
  );
}
