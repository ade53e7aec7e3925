import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountChallengeRequestSchema,
  accountChallengeResponseSchema,
  changePassphraseRequestSchema,
  loginRequestSchema,
  loginResponseSchema,
  myKeysResponseSchema,
  preloginRequestSchema,
  preloginResponseSchema,
  secondFactorRequestSchema,
  secondFactorResponseSchema,
  sessionInfoSchema,
  totpConfirmRequestSchema,
  totpConfirmResponseSchema,
  totpEnrollmentResponseSchema,
  type SessionInfo,
} from '../../../core/api/members.js';
import { okSchema } from '../../../core/api/schema.js';
import { ClearingError } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import { sessionCookieName, type SessionStage } from '../../members/repository/sessions.js';
import { setSessionCookie } from '../session-cookie.js';
import { labelSession } from '../../members/repository/sessions.js';
import { clientLabel } from '../../members/account.js';
import { AddressThrottle } from '../../members/throttle.js';
import {
  beginTotpEnrollment,
  changePassphrase,
  confirmTotpEnrollment,
  logIn,
  logOut,
  logOutEverywhere,
  prelogin,
  readMyKeys,
  readSession,
  requestAccountChallenge,
  verifySecondFactor,
} from '../../members/use-cases/index.js';
import { actorOf } from '../authorize.js';
import { errorResponses } from '../schemas.js';

/**
 * The origin a login proof must name: the browser's own (its Origin header,
 * which the authorization hook has already checked against Host), or for a
 * client that sends none, the scheme and host it addressed.
 */
export function requestOrigin(request: FastifyRequest, https: boolean): string {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin;
  return `${https ? 'https' : 'http'}://${request.headers.host ?? ''}`;
}

export function authRoutes(
  fastify: FastifyInstance,
  database: Database,
  options: { https: boolean; addressThrottle?: AddressThrottle; auth: AuthContext },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = options;
  const throttle = options.addressThrottle ?? new AddressThrottle();
  const limitAddress = async (request: FastifyRequest) => throttle.check(request.ip);
  // A half-finished login's cookie lives minutes; the full session's cookie comes with new tokens.
  const setCookie = (reply: FastifyReply, token: string, stage: SessionStage) => setSessionCookie(reply, token, stage, options.https);

  app.post(
    '/api/auth/prelogin',
    {
      config: { action: 'auth.prelogin' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Key-derivation parameters for a member name, and a single-use login challenge',
        body: preloginRequestSchema,
        response: { 200: preloginResponseSchema, ...errorResponses },
      },
    },
    async (request) => prelogin(auth, { name: request.body.name }),
  );

  app.post(
    '/api/auth/login',
    {
      config: { action: 'auth.login' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'First factor: a signature over the single-use challenge by the authentication key derived in the browser (never the passphrase)',
        body: loginRequestSchema,
        response: { 200: loginResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await logIn(auth, { ...request.body, origin: requestOrigin(request, options.https) });
      await labelSession(database.db, result.token, clientLabel(request.headers['user-agent']));
      setCookie(reply, result.token, result.stage);
      return { stage: result.stage, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/totp/enrollment',
    {
      config: { action: 'auth.secondFactor', resource: 'ownAccount' },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up the TOTP second factor (first login only)',
        response: { 200: totpEnrollmentResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.stage !== 'totp_enrollment') throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
      return beginTotpEnrollment(auth, { memberId: actor.memberId });
    },
  );

  app.post(
    '/api/auth/totp/enrollment/confirm',
    {
      config: { action: 'auth.secondFactor', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Finish TOTP setup with a code; returns recovery codes, shown once',
        body: totpConfirmRequestSchema,
        response: { 200: totpConfirmResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.stage !== 'totp_enrollment') throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
      const result = await confirmTotpEnrollment(auth, { actor, code: request.body.code.replace(/\s/g, '') });
      setCookie(reply, result.token, 'full');
      return { recoveryCodes: result.recoveryCodes, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/second-factor',
    {
      config: { action: 'auth.secondFactor', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Second factor: a TOTP code or a recovery code',
        body: secondFactorRequestSchema,
        response: { 200: secondFactorResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await verifySecondFactor(auth, { actor, code: request.body.code?.replace(/\s/g, ''), recoveryCode: request.body.recoveryCode });
      setCookie(reply, result.token, 'full');
      return { csrfToken: result.csrfToken };
    },
  );

  app.get(
    '/api/session',
    {
      config: { action: 'session.read', resource: 'ownAccount' },
      schema: {
        tags: ['auth'],
        summary: 'The current session: stage, anti-forgery token, member and organization',
        response: { 200: sessionInfoSchema, ...errorResponses },
      },
    },
    async (request): Promise<SessionInfo> => readSession(database, { actor: actorOf(request) }),
  );

  app.post(
    '/api/auth/logout',
    {
      config: { action: 'auth.logout', resource: 'ownAccount' },
      schema: { tags: ['auth'], summary: 'End this session', response: { 200: okSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await logOut(database, { memberId: actor.memberId, sessionHash: actor.sessionHash });
      reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/logout-everywhere',
    {
      config: { action: 'session.logoutEverywhere', resource: 'ownAccount' },
      schema: { tags: ['auth'], summary: 'End every session of this member, on every device', response: { 200: okSchema, ...errorResponses } },
    },
    async (request, reply) => {
      await logOutEverywhere(database, { memberId: actorOf(request).memberId });
      reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me/keys',
    {
      config: { action: 'me.keys', resource: 'ownAccount' },
      schema: {
        tags: ['auth'],
        summary: 'My encrypted key bundle, my certificate, and (administrators) the sealed organization key',
        response: { 200: myKeysResponseSchema, ...errorResponses },
      },
    },
    async (request) => readMyKeys(database, { memberId: actorOf(request).memberId }),
  );

  app.post(
    '/api/me/challenge',
    {
      config: { action: 'me.challenge', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'A single-use challenge for a proof by the current passphrase (before changing it)',
        body: accountChallengeRequestSchema,
        response: { 200: accountChallengeResponseSchema, ...errorResponses },
      },
    },
    async (request) => requestAccountChallenge(auth, { memberId: actorOf(request).memberId, purpose: request.body.purpose }),
  );

  app.post(
    '/api/me/passphrase',
    {
      config: { action: 'me.changePassphrase', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary:
          'Replace the key bundle and authentication key after a passphrase change: a proof by the current passphrase, the member’s signature over the new bundle, and a fresh second factor; ends other sessions',
        body: changePassphraseRequestSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body;
      await changePassphrase(auth, { ...body, code: body.code?.replace(/\s/g, ''), actor: actorOf(request), origin: requestOrigin(request, options.https) });
      return { ok: true as const };
    },
  );
}
