import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RegenerateRecoveryCodesRequest, TotpReenrollConfirmRequest, TotpReenrollRequest } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import { beginTotpReenrollment, confirmTotpReenrollment, endMySession, listMySessions, readMyAccount, regenerateRecoveryCodes } from '../../members/use-cases/index.js';
import { sessionCookieName } from '../../members/repository/sessions.js';
import type { AddressThrottle } from '../../members/throttle.js';
import { relyingPartyOf } from '../../members/webauthn.js';
import { actorOf } from '../authorize.js';
import { errorResponses, uuidSchema } from '../schemas.js';
import { freshFactorSchema } from './webauthn.js';

const isoOrNull = { type: ['string', 'null'] } as const;

/** The account page: my second factors, recovery codes and sessions. */
export function accountRoutes(app: FastifyInstance, database: Database, options: { https: boolean; addressThrottle: AddressThrottle; auth: AuthContext }): void {
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
        response: {
          200: {
            type: 'object',
            required: ['totpEnabled', 'recoveryCodesLeft', 'authenticators'],
            properties: {
              totpEnabled: { type: 'boolean' },
              recoveryCodesLeft: { type: 'integer' },
              authenticators: {
                type: 'array',
                items: { type: 'object', required: ['id', 'name', 'createdAt', 'lastUsedAt'], properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, lastUsedAt: isoOrNull } },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => readMyAccount(database, { memberId: actorOf(request).memberId }),
  );

  app.post<{ Body: RegenerateRecoveryCodesRequest }>(
    '/api/me/recovery-codes',
    {
      config: { action: 'me.regenerateRecoveryCodes', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'A new set of recovery codes (the old set stops working); needs a fresh second factor; shown once',
        body: freshFactorSchema,
        response: { 200: { type: 'object', required: ['recoveryCodes'], properties: { recoveryCodes: { type: 'array', items: { type: 'string' } } } }, ...errorResponses },
      },
    },
    async (request) => regenerateRecoveryCodes(auth, { actor: actorOf(request), rp: rpOf(request), fresh: request.body }),
  );

  app.post<{ Body: TotpReenrollRequest }>(
    '/api/me/totp',
    {
      config: { action: 'me.reenrollTotp', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'Start replacing the TOTP secret; needs a fresh second factor; the old secret works until the new one is confirmed',
        body: freshFactorSchema,
        response: { 200: { type: 'object', required: ['secret', 'uri'], properties: { secret: { type: 'string' }, uri: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request) => beginTotpReenrollment(auth, { actor: actorOf(request), rp: rpOf(request), fresh: request.body }),
  );

  app.post<{ Body: TotpReenrollConfirmRequest }>(
    '/api/me/totp/confirm',
    {
      config: { action: 'me.reenrollTotp', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'Confirm the new TOTP secret with a code from it; it replaces the old one',
        body: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', pattern: '^[0-9 ]{6,8}$' } } },
        response: { 200: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } }, ...errorResponses },
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
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'createdAt', 'lastSeenAt', 'current', 'pending', 'browser', 'system'],
              properties: {
                id: { type: 'string' },
                createdAt: { type: 'string' },
                lastSeenAt: { type: 'string' },
                current: { type: 'boolean' },
                pending: { type: 'boolean' },
                browser: isoOrNull,
                system: isoOrNull,
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => listMySessions(database, { actor: actorOf(request) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/me/sessions/:id',
    {
      config: { action: 'me.endSession', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'End one of my sessions (this one too)',
        params: { type: 'object', required: ['id'], properties: { id: uuidSchema } },
        response: { 200: { type: 'object', required: ['ok', 'current'], properties: { ok: { type: 'boolean' }, current: { type: 'boolean' } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { current } = await endMySession(database, { actor: actorOf(request), sessionId: request.params.id });
      if (current) reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https });
      return { ok: true as const, current };
    },
  );
}
