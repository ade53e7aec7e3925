import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AddAuthenticatorRequest, AuthenticatorRegistrationOptionsRequest, RenameAuthenticatorRequest, WebauthnLoginRequest } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { AuthContext } from '../../members/context.js';
import { setSessionCookie } from '../session-cookie.js';
import type { AddressThrottle } from '../../members/throttle.js';
import { addAuthenticator, beginAddingAuthenticator, logInWithAuthenticator, removeAuthenticator, renameAuthenticator, requestAssertionOptions } from '../../members/use-cases/index.js';
import { maxAuthenticatorNameLength, relyingPartyOf } from '../../members/webauthn.js';
import { actorOf } from '../authorize.js';
import { errorResponses, okSchema, uuidSchema } from '../schemas.js';

/** base64url without padding, bounded: every binary field of a WebAuthn answer. */
const b64 = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' }) as const;

/** An assertion (AuthenticationResponseJSON) as @simplewebauthn/browser sends it. */
export const assertionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'rawId', 'response', 'type'],
  properties: {
    id: b64(1400),
    rawId: b64(1400),
    type: { type: 'string', const: 'public-key' },
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['clientDataJSON', 'authenticatorData', 'signature'],
      properties: { clientDataJSON: b64(4096), authenticatorData: b64(4096), signature: b64(8192), userHandle: b64(1024) },
    },
    clientExtensionResults: { type: 'object', maxProperties: 16 },
    authenticatorAttachment: { type: 'string', enum: ['platform', 'cross-platform'] },
  },
} as const;

/** A registration answer (RegistrationResponseJSON). */
const registrationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'rawId', 'response', 'type'],
  properties: {
    id: b64(1400),
    rawId: b64(1400),
    type: { type: 'string', const: 'public-key' },
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['clientDataJSON', 'attestationObject'],
      properties: {
        clientDataJSON: b64(4096),
        attestationObject: b64(32768),
        authenticatorData: b64(16384),
        transports: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 16 } },
        publicKeyAlgorithm: { type: 'integer' },
        publicKey: b64(8192),
      },
    },
    clientExtensionResults: { type: 'object', maxProperties: 16 },
    authenticatorAttachment: { type: 'string', enum: ['platform', 'cross-platform'] },
  },
} as const;

/** A fresh second factor: a TOTP code or an assertion, exactly one. */
export const freshFactorSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: { code: { type: 'string', pattern: '^[0-9 ]{6,8}$' }, assertion: assertionSchema },
} as const;

const authenticatorSchema = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'lastUsedAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, lastUsedAt: { type: ['string', 'null'] } },
} as const;
const nameSchema = { type: 'string', minLength: 1, maxLength: maxAuthenticatorNameLength } as const;
const optionsSchema = { type: 'object', required: ['options'], properties: { options: { type: ['object', 'null'], additionalProperties: true } } } as const;

export function webauthnRoutes(app: FastifyInstance, database: Database, options: { https: boolean; addressThrottle: AddressThrottle; auth: AuthContext }): void {
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

  app.post<{ Body: WebauthnLoginRequest }>(
    '/api/auth/webauthn',
    {
      config: { action: 'auth.webauthn', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['auth'],
        summary: 'Second factor: an assertion from a registered security key or passkey',
        body: { type: 'object', additionalProperties: false, required: ['assertion'], properties: { assertion: assertionSchema } },
        response: { 200: { type: 'object', required: ['csrfToken'], properties: { csrfToken: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await logInWithAuthenticator(database, { actor: actorOf(request), rp: rpOf(request), assertion: request.body.assertion });
      // The full session comes with new tokens; the pending ones stop working.
      setSessionCookie(reply, result.token, 'full', options.https);
      return { csrfToken: result.csrfToken };
    },
  );

  app.post<{ Body: AuthenticatorRegistrationOptionsRequest }>(
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

  app.post<{ Body: AddAuthenticatorRequest }>(
    '/api/me/authenticators',
    {
      config: { action: 'me.addAuthenticator', resource: 'ownAccount' },
      preHandler: limitAddress,
      schema: {
        tags: ['account'],
        summary: 'Register an authenticator: the browser’s answer to the registration options, and a name for it',
        body: { type: 'object', additionalProperties: false, required: ['name', 'registration'], properties: { name: nameSchema, registration: registrationSchema } },
        response: { 201: authenticatorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const added = await addAuthenticator(database, { ...request.body, actor: actorOf(request), rp: rpOf(request) });
      return reply.code(201).send(added);
    },
  );

  app.post<{ Params: { id: string }; Body: RenameAuthenticatorRequest }>(
    '/api/me/authenticators/:id/name',
    {
      config: { action: 'me.renameAuthenticator', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'Rename one of my authenticators',
        params: { type: 'object', required: ['id'], properties: { id: uuidSchema } },
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: nameSchema } },
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      await renameAuthenticator(database, { memberId: actorOf(request).memberId, authenticatorId: request.params.id, name: request.body.name });
      return { ok: true as const };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/me/authenticators/:id',
    {
      config: { action: 'me.removeAuthenticator', resource: 'ownAccount' },
      schema: {
        tags: ['account'],
        summary: 'Remove one of my authenticators (never the last second factor)',
        params: { type: 'object', required: ['id'], properties: { id: uuidSchema } },
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (request) => {
      await removeAuthenticator(database, { memberId: actorOf(request).memberId, authenticatorId: request.params.id });
      return { ok: true as const };
    },
  );
}
