import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoginRequest, PreloginRequest, SecondFactorRequest, SessionInfo, TotpConfirmRequest, ChangePassphraseRequest } from '../../../core/index.js';
import { ClearingError } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { myKeys } from '../../members/administration.js';
import { beginTotpEnrollment, changePassphrase, confirmTotpEnrollment, login, logoutEverywhere, prelogin, verifySecondFactor } from '../../members/login.js';
import { labelSession, revokeSession, sessionCookieName, sessionLifetimeMs } from '../../members/sessions.js';
import { clientLabel } from '../../members/account.js';
import { AddressThrottle } from '../../members/throttle.js';
import { appendAuditEntry } from '../../audit/index.js';
import { findOrganization, organizationInfo } from '../../organization/repository.js';
import { actorOf } from '../authorize.js';
import { base64url32Schema, cryptoObjectSchema, errorResponses, memberNameSchema, okSchema, organizationInfoSchema, roleSchema, tokenSchema } from '../schemas.js';

const stageSchema = { type: 'string', enum: ['second_factor', 'totp_enrollment', 'full'] } as const;

export function authRoutes(app: FastifyInstance, database: Database, options: { https: boolean; addressThrottle?: AddressThrottle }): void {
  const throttle = options.addressThrottle ?? new AddressThrottle();
  const limitAddress = async (request: FastifyRequest) => throttle.check(request.ip);
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(sessionCookieName, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https, maxAge: sessionLifetimeMs / 1000 });

  app.post<{ Body: PreloginRequest }>(
    '/api/auth/prelogin',
    {
      config: { action: 'auth.prelogin' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Key-derivation parameters for a member name, and a single-use login challenge',
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: memberNameSchema } },
        response: { 200: { type: 'object', required: ['kdf', 'challenge'], properties: { kdf: { type: 'object', additionalProperties: true }, challenge: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request) => prelogin(database, request.body.name),
  );

  app.post<{ Body: LoginRequest }>(
    '/api/auth/login',
    {
      config: { action: 'auth.login' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'First factor: the authentication key derived in the browser (never the passphrase)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'authKey', 'challenge'],
          properties: { name: memberNameSchema, authKey: base64url32Schema, challenge: tokenSchema },
        },
        response: { 200: { type: 'object', required: ['stage', 'csrfToken'], properties: { stage: stageSchema, csrfToken: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await login(database, request.body);
      await labelSession(database.db, result.token, clientLabel(request.headers['user-agent']));
      setCookie(reply, result.token);
      return { stage: result.stage, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/totp/enrollment',
    {
      config: { action: 'auth.secondFactor' },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up the TOTP second factor (first login only)',
        response: { 200: { type: 'object', required: ['secret', 'uri'], properties: { secret: { type: 'string' }, uri: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.stage !== 'totp_enrollment') throw new ClearingError('TOTP_NOT_ENROLLING', 'A second factor is already set up.', { status: 409 });
      return beginTotpEnrollment(database, actor.memberId);
    },
  );

  app.post<{ Body: TotpConfirmRequest }>(
    '/api/auth/totp/enrollment/confirm',
    {
      config: { action: 'auth.secondFactor' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Finish TOTP setup with a code; returns recovery codes, shown once',
        body: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', pattern: '^[0-9 ]{6,8}$' } } },
        response: {
          200: { type: 'object', required: ['recoveryCodes', 'csrfToken'], properties: { recoveryCodes: { type: 'array', items: { type: 'string' } }, csrfToken: { type: 'string' } } },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.stage !== 'totp_enrollment') throw new ClearingError('TOTP_NOT_ENROLLING', 'A second factor is already set up.', { status: 409 });
      const result = await confirmTotpEnrollment(database, actor, request.body.code.replace(/\s/g, ''));
      return { recoveryCodes: result.recoveryCodes, csrfToken: actor.csrfToken };
    },
  );

  app.post<{ Body: SecondFactorRequest }>(
    '/api/auth/second-factor',
    {
      config: { action: 'auth.secondFactor' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Second factor: a TOTP code or a recovery code',
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: { code: { type: 'string', pattern: '^[0-9 ]{6,8}$' }, recoveryCode: { type: 'string', minLength: 16, maxLength: 40 } },
        },
        response: { 200: { type: 'object', required: ['csrfToken'], properties: { csrfToken: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await verifySecondFactor(database, actor, { code: request.body.code?.replace(/\s/g, ''), recoveryCode: request.body.recoveryCode });
      return { csrfToken: actor.csrfToken };
    },
  );

  app.get(
    '/api/session',
    {
      config: { action: 'session.read' },
      schema: {
        tags: ['auth'],
        summary: 'The current session: stage, anti-forgery token, member and organization',
        response: {
          200: {
            type: 'object',
            required: ['stage', 'csrfToken', 'member', 'organization'],
            properties: {
              stage: stageSchema,
              csrfToken: { type: 'string' },
              member: {
                type: 'object',
                required: ['id', 'name', 'role', 'certified'],
                properties: { id: { type: 'string' }, name: { type: 'string' }, role: roleSchema, certified: { type: 'boolean' } },
              },
              organization: organizationInfoSchema,
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request): Promise<SessionInfo> => {
      const actor = actorOf(request);
      const org = await findOrganization(database.db);
      if (!org) throw new ClearingError('NOT_SET_UP', 'This server has not been set up yet.', { status: 409 });
      return {
        stage: actor.stage,
        csrfToken: actor.csrfToken,
        member: { id: actor.memberId, name: actor.name, role: actor.role, certified: actor.certified },
        organization: organizationInfo(org),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { action: 'auth.logout' }, schema: { tags: ['auth'], summary: 'End this session', response: { 200: okSchema, ...errorResponses } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await database.db.transaction().execute(async (tx) => {
        await revokeSession(tx, actor.sessionHash);
        await appendAuditEntry(tx, { action: 'auth.logout', actorId: actor.memberId, subjectId: actor.memberId });
      });
      reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/logout-everywhere',
    {
      config: { action: 'session.logoutEverywhere' },
      schema: { tags: ['auth'], summary: 'End every session of this member, on every device', response: { 200: okSchema, ...errorResponses } },
    },
    async (request, reply) => {
      await logoutEverywhere(database, actorOf(request).memberId);
      reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me/keys',
    {
      config: { action: 'me.keys' },
      schema: {
        tags: ['auth'],
        summary: 'My encrypted key bundle, my certificate, and (administrators) the sealed organization key',
        response: {
          200: {
            type: 'object',
            required: ['keyBundle', 'certificate', 'sealedOrganizationKey'],
            properties: { keyBundle: { type: 'object', additionalProperties: true }, certificate: { type: ['object', 'null'], additionalProperties: true }, sealedOrganizationKey: { type: ['object', 'null'], additionalProperties: true } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => myKeys(database, actorOf(request).memberId),
  );

  app.post<{ Body: ChangePassphraseRequest }>(
    '/api/me/passphrase',
    {
      config: { action: 'me.changePassphrase' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Replace the key bundle and authentication key after a passphrase change (same keys); ends other sessions',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['currentAuthKey', 'keyBundle', 'authKey'],
          properties: { currentAuthKey: base64url32Schema, keyBundle: cryptoObjectSchema, authKey: base64url32Schema, code: { type: 'string', pattern: '^[0-9 ]{6,8}$' } },
        },
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      await changePassphrase(database, actorOf(request), request.body);
      return { ok: true as const };
    },
  );
}
