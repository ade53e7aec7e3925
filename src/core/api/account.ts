/**
 * The shapes of the account page and of WebAuthn as a second factor, each
 * defined once as a schema with its type derived from it. WebAuthn options
 * and responses are the JSON forms of the W3C spec (as @simplewebauthn/browser
 * produces and consumes them): the schema bounds every field, the type stays
 * `unknown` and @simplewebauthn/server reads them.
 */
import { nullable, opaque, Type, totpCodeSchema, type Static } from './schema.js';

/** The longest name of a security key or passkey. */
export const maxAuthenticatorNameLength = 64;

/** base64url without padding, bounded: every binary field of a WebAuthn answer. */
const b64 = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' }) as const;

/** An assertion (AuthenticationResponseJSON) as @simplewebauthn/browser sends it. */
export const assertionSchema = opaque({
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
});

/** A registration answer (RegistrationResponseJSON). */
export const registrationSchema = opaque({
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
});

/** A fresh second factor, asked for before a change an attacker with a stolen session must not make: exactly one of the two. */
export const freshFactorSchema = Type.Object(
  {
    /** A six-digit code from the authenticator app, not used before. */
    code: Type.Optional(totpCodeSchema),
    /** An assertion over a challenge from POST /api/auth/webauthn/options (a full session asks for one too). */
    assertion: Type.Optional(assertionSchema),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);
export type FreshFactor = Static<typeof freshFactorSchema>;

/** WebAuthn options for the browser: PublicKeyCredentialRequestOptionsJSON or …CreationOptionsJSON; null when there is nothing to ask. */
export const webauthnOptionsSchema = Type.Object({ options: opaque({ type: ['object', 'null'], additionalProperties: true }) });
/** POST /api/auth/webauthn/options — a single-use challenge for the member's registered authenticators. */
export type WebauthnAssertionOptions = Static<typeof webauthnOptionsSchema>;
/** POST /api/auth/webauthn — the second factor of a login, instead of a TOTP code. */
export const webauthnLoginRequestSchema = Type.Object({ assertion: assertionSchema }, { additionalProperties: false });
export type WebauthnLoginRequest = Static<typeof webauthnLoginRequestSchema>;

/** A registered authenticator as its owner sees it. */
export const authenticatorSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: nullable(Type.String()),
});
export type AuthenticatorSummary = Static<typeof authenticatorSummarySchema>;
/** POST /api/me/authenticators/options — needs a fresh second factor. */
export type AuthenticatorRegistrationOptionsRequest = FreshFactor;
export type AuthenticatorRegistrationOptions = Static<typeof webauthnOptionsSchema>;
const authenticatorNameSchema = Type.String({ minLength: 1, maxLength: maxAuthenticatorNameLength });
/** POST /api/me/authenticators — the browser's answer to those options, and a name for the authenticator. */
export const addAuthenticatorRequestSchema = Type.Object({ name: authenticatorNameSchema, registration: registrationSchema }, { additionalProperties: false });
export type AddAuthenticatorRequest = Static<typeof addAuthenticatorRequestSchema>;
/** POST /api/me/authenticators/:id/name */
export const renameAuthenticatorRequestSchema = Type.Object({ name: authenticatorNameSchema }, { additionalProperties: false });
export type RenameAuthenticatorRequest = Static<typeof renameAuthenticatorRequestSchema>;
/** DELETE /api/me/authenticators/:id takes no body; the last second factor cannot be removed. */

/** GET /api/me/account — what the account page shows about the second factors. */
export const accountSummarySchema = Type.Object({
  totpEnabled: Type.Boolean(),
  recoveryCodesLeft: Type.Integer(),
  authenticators: Type.Array(authenticatorSummarySchema),
});
export type AccountSummary = Static<typeof accountSummarySchema>;

/** POST /api/me/recovery-codes — a new set, which voids the old one; shown once. */
export type RegenerateRecoveryCodesRequest = FreshFactor;
export const recoveryCodesResponseSchema = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodesResponse = Static<typeof recoveryCodesResponseSchema>;

/** POST /api/me/totp — start replacing the TOTP secret (the old one stays until confirmed). */
export type TotpReenrollRequest = FreshFactor;
/** POST /api/me/totp/confirm — a code from the new secret replaces the old one. */
export const totpReenrollConfirmRequestSchema = Type.Object({ code: totpCodeSchema }, { additionalProperties: false });
export type TotpReenrollConfirmRequest = Static<typeof totpReenrollConfirmRequestSchema>;
export const totpReenrollConfirmResponseSchema = Type.Object({ ok: Type.Boolean() });

/** Coarse facts about a browser: families from a fixed list, never the user agent itself. */
export const clientBrowsers = ['chrome', 'firefox', 'safari', 'edge', 'opera', 'other'] as const;
export const clientSystems = ['windows', 'macos', 'linux', 'android', 'ios', 'other'] as const;
export type ClientBrowser = (typeof clientBrowsers)[number];
export type ClientSystem = (typeof clientSystems)[number];

/** GET /api/me/sessions */
export const sessionSummarySchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  current: Type.Boolean(),
  /** Second factor still pending. */
  pending: Type.Boolean(),
  browser: Type.Unsafe<ClientBrowser | null>({ type: ['string', 'null'], enum: [...clientBrowsers, null] }),
  system: Type.Unsafe<ClientSystem | null>({ type: ['string', 'null'], enum: [...clientSystems, null] }),
});
export type SessionSummary = Static<typeof sessionSummarySchema>;
/** DELETE /api/me/sessions/:id — ends one session (this one too, if asked). */
export const endSessionResponseSchema = Type.Object({ ok: Type.Unsafe<true>({ type: 'boolean' }), current: Type.Boolean() });
export type EndSessionResponse = Static<typeof endSessionResponseSchema>;
