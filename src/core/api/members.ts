/**
 * The shapes exchanged between the web app (or CLI) and the server for setup,
 * login, members, invitations and the signed membership list: each defined
 * once as a schema (the server validates with it, the OpenAPI document shows
 * it) with its TypeScript type derived from it. Binary values are base64url;
 * crypto objects (key bundles, certificates, sealed keys) are the JSON formats
 * of src/core/crypto, checked by core's strict parsers, so here they are
 * `unknown` with a bounded outer shape. The server never receives a
 * passphrase, a master key or the key that opens a bundle.
 */
import type { KdfParams } from '../crypto/member-keys/kdf.js';
import { loginProofPurposes } from '../crypto/member-keys/login-proof.js';
import { invitationStates, memberStatuses } from '../domain/members.js';
import {
  anyObjectOrNullSchema,
  anyObjectSchema,
  base64url32Schema,
  cryptoObjectSchema,
  languageSchema,
  memberNameSchema,
  nullable,
  recoveryCodeSchema,
  roleSchema,
  sessionStageSchema,
  signatureSchema,
  stringEnum,
  tokenSchema,
  totpCodeSchema,
  Type,
  uuidSchema,
  type Static,
} from './schema.js';

export type { MemberStatus, SessionStage } from '../domain/members.js';

export const organizationInfoSchema = Type.Object({
  name: Type.String(),
  defaultLanguage: languageSchema,
  publicKey: nullable(Type.String()),
  fingerprint: nullable(Type.String()),
});
export type OrganizationInfo = Static<typeof organizationInfoSchema>;

/** POST /api/setup — create the organization and its first administrator in one step. */
export const setupRequestSchema = Type.Object(
  {
    /** The one-time code the server printed on its console (and `clearing doctor` shows). */
    setupCode: Type.String({ minLength: 1, maxLength: 40 }),
    organizationName: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }),
    defaultLanguage: languageSchema,
    organizationPublicKey: base64url32Schema,
    administrator: Type.Object(
      {
        /** Chosen by the browser (UUID v4) because the certificate must name it before the server stores it. */
        id: uuidSchema,
        name: memberNameSchema,
        keyBundle: cryptoObjectSchema,
        /** The public half of the authentication key derived from the passphrase. */
        authPublicKey: base64url32Schema,
        certificate: cryptoObjectSchema,
        sealedOrganizationKey: cryptoObjectSchema,
      },
      { additionalProperties: false },
    ),
    /** The first membership list (counter 1) naming the administrator, signed with the new organization key. */
    membershipList: Type.Optional(cryptoObjectSchema),
  },
  { additionalProperties: false },
);
export type SetupRequest = Static<typeof setupRequestSchema>;
export const setupResponseSchema = Type.Object({ organization: organizationInfoSchema });
export type SetupResponse = Static<typeof setupResponseSchema>;
/** GET /api/setup */
export const setupStatusSchema = Type.Object({ setUp: Type.Boolean(), organization: Type.Optional(organizationInfoSchema) });
export type SetupStatus = Static<typeof setupStatusSchema>;

/** POST /api/auth/prelogin — parameters to derive the authentication key, and a single-use challenge. */
export const preloginRequestSchema = Type.Object({ name: memberNameSchema }, { additionalProperties: false });
export type PreloginRequest = Static<typeof preloginRequestSchema>;
export const preloginResponseSchema = Type.Object({
  kdf: Type.Unsafe<KdfParams>({ type: 'object', additionalProperties: true }),
  challenge: Type.String(),
  /** The id the login proof names (for a name that is no member, a decoy id shaped like one). */
  memberId: Type.String(),
  /** Present for an account made before login proofs: this one login also sends the old login key. */
  upgrade: Type.Optional(Type.Unsafe<true>({ type: 'boolean', enum: [true] })),
});
export type PreloginResponse = Static<typeof preloginResponseSchema>;

/** POST /api/auth/login */
export const loginRequestSchema = Type.Object(
  {
    name: memberNameSchema,
    challenge: tokenSchema,
    /** signLoginProof over { purpose: 'login', challenge, memberId, origin }. */
    proof: signatureSchema,
    /** Only when prelogin said `upgrade`, and then both. */
    authKey: Type.Optional(base64url32Schema),
    authPublicKey: Type.Optional(base64url32Schema),
  },
  { additionalProperties: false, dependencies: { authKey: ['authPublicKey'], authPublicKey: ['authKey'] } },
);
export type LoginRequest = Static<typeof loginRequestSchema>;
export const loginResponseSchema = Type.Object({ stage: sessionStageSchema, csrfToken: Type.String() });
export type LoginResponse = Static<typeof loginResponseSchema>;

/** POST /api/auth/totp/enrollment (stage totp_enrollment); also POST /api/me/totp. */
export const totpEnrollmentResponseSchema = Type.Object({ secret: Type.String(), uri: Type.String() });
export type TotpEnrollmentResponse = Static<typeof totpEnrollmentResponseSchema>;
/** POST /api/auth/totp/enrollment/confirm */
export const totpConfirmRequestSchema = Type.Object({ code: totpCodeSchema }, { additionalProperties: false });
export type TotpConfirmRequest = Static<typeof totpConfirmRequestSchema>;
export const totpConfirmResponseSchema = Type.Object({ recoveryCodes: Type.Array(Type.String()), csrfToken: Type.String() });
export type TotpConfirmResponse = Static<typeof totpConfirmResponseSchema>;
/** POST /api/auth/second-factor — exactly one of the two. */
export const secondFactorRequestSchema = Type.Object(
  { code: Type.Optional(totpCodeSchema), recoveryCode: Type.Optional(recoveryCodeSchema) },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);
export type SecondFactorRequest = Static<typeof secondFactorRequestSchema>;
/** The answer of every step that completes a session (second factor, WebAuthn). */
export const secondFactorResponseSchema = Type.Object({ csrfToken: Type.String() });
export type SecondFactorResponse = Static<typeof secondFactorResponseSchema>;

/** GET /api/session */
export const sessionInfoSchema = Type.Object({
  stage: sessionStageSchema,
  csrfToken: Type.String(),
  member: Type.Object({ id: Type.String(), name: Type.String(), role: roleSchema, certified: Type.Boolean() }),
  organization: organizationInfoSchema,
});
export type SessionInfo = Static<typeof sessionInfoSchema>;

/** GET /api/me/keys — the encrypted bundle (opened in the browser), own certificate, and for administrators the sealed organization key. */
export const myKeysResponseSchema = Type.Object({
  keyBundle: anyObjectSchema,
  certificate: anyObjectOrNullSchema,
  sealedOrganizationKey: anyObjectOrNullSchema,
});
export type MyKeysResponse = Static<typeof myKeysResponseSchema>;
/** POST /api/me/challenge — a single-use challenge for a proof by the current passphrase. */
export const accountChallengeRequestSchema = Type.Object(
  { purpose: stringEnum(loginProofPurposes.filter((p): p is Exclude<typeof p, 'login'> => p !== 'login')) },
  { additionalProperties: false },
);
export type AccountChallengeRequest = Static<typeof accountChallengeRequestSchema>;
export const accountChallengeResponseSchema = Type.Object({ challenge: Type.String() });
export type AccountChallengeResponse = Static<typeof accountChallengeResponseSchema>;
/** POST /api/me/passphrase — preparePassphraseChange's output plus a fresh second factor (exactly one of the two). */
export const changePassphraseRequestSchema = Type.Object(
  {
    challenge: tokenSchema,
    proof: signatureSchema,
    keyBundle: cryptoObjectSchema,
    authPublicKey: base64url32Schema,
    bundleSignature: signatureSchema,
    code: Type.Optional(totpCodeSchema),
    recoveryCode: Type.Optional(recoveryCodeSchema),
  },
  { additionalProperties: false, minProperties: 6, maxProperties: 6 },
);
export type ChangePassphraseRequest = Static<typeof changePassphraseRequestSchema>;

/** POST /api/invitations */
export const inviteRequestSchema = Type.Object(
  {
    role: roleSchema,
    /** 1 to 168 hours. */
    expiresInHours: Type.Integer({ minimum: 1, maximum: 168 }),
    /**
     * Required for the administrator role: the organization key's signature over
     * the invitation's id (a UUID the browser chose), role and expiry
     * (InvitationStatement, src/core/crypto/trust/invitation.ts). The server
     * uses that id and expiry.
     */
    statement: Type.Optional(cryptoObjectSchema),
  },
  { additionalProperties: false },
);
export type InviteRequest = Static<typeof inviteRequestSchema>;
export const invitationCreatedSchema = Type.Object({
  id: Type.String(),
  /** Shown once, as the link `/invite#<token>`; only its hash is stored. */
  token: Type.String(),
  role: roleSchema,
  expiresAt: Type.String(),
});
export type InvitationCreated = Static<typeof invitationCreatedSchema>;
export const invitationSummarySchema = Type.Object({
  id: Type.String(),
  role: roleSchema,
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  state: stringEnum(invitationStates),
  memberId: nullable(Type.String()),
});
export type InvitationSummary = Static<typeof invitationSummarySchema>;
/** POST /api/invitations/lookup */
export const invitationLookupRequestSchema = Type.Object({ token: tokenSchema }, { additionalProperties: false });
export type InvitationLookupRequest = Static<typeof invitationLookupRequestSchema>;
export const invitationLookupResponseSchema = Type.Object({ role: roleSchema, expiresAt: Type.String(), organization: organizationInfoSchema });
export type InvitationLookupResponse = Static<typeof invitationLookupResponseSchema>;
/** POST /api/invitations/accept */
export const acceptInvitationRequestSchema = Type.Object(
  {
    token: tokenSchema,
    member: Type.Object(
      { id: uuidSchema, name: memberNameSchema, keyBundle: cryptoObjectSchema, authPublicKey: base64url32Schema },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type AcceptInvitationRequest = Static<typeof acceptInvitationRequestSchema>;
export const acceptInvitationResponseSchema = Type.Object({ memberId: Type.String() });
export type AcceptInvitationResponse = Static<typeof acceptInvitationResponseSchema>;

/** GET /api/members (administrators) */
export const memberSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: roleSchema,
  status: stringEnum(memberStatuses),
  encryptionPublicKey: Type.String(),
  signingPublicKey: Type.String(),
  certificate: anyObjectOrNullSchema,
  certifiedAt: nullable(Type.String()),
  createdAt: Type.String(),
  lastActiveAt: nullable(Type.String()),
  totpEnabled: Type.Boolean(),
  /** What the caller may do to this member, as the resource policy decides (src/core/policies/resources.ts). */
  abilities: Type.Optional(
    Type.Object({ certify: Type.Boolean(), changeRole: Type.Boolean(), suspend: Type.Boolean(), reinstate: Type.Boolean(), remove: Type.Boolean() }),
  ),
});
export type MemberSummary = Static<typeof memberSummarySchema>;
/** GET /api/members/directory (any member): certified, active members — what clients share keys with, after verifying each certificate. */
export const directoryEntrySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: roleSchema,
  encryptionPublicKey: Type.String(),
  signingPublicKey: Type.String(),
  certificate: anyObjectSchema,
});
export type DirectoryEntry = Static<typeof directoryEntrySchema>;
/** POST /api/members/:id/certificate */
export const certifyRequestSchema = Type.Object(
  {
    certificate: cryptoObjectSchema,
    /** For an administrator who joined by invitation: the organization key, sealed to them. */
    sealedOrganizationKey: Type.Optional(Type.Union([cryptoObjectSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CertifyRequest = Static<typeof certifyRequestSchema>;
/** POST /api/members/:id/role — a certified member's new role needs a new certificate; a new administrator needs the organization key sealed to them. */
export const changeRoleRequestSchema = Type.Object(
  {
    role: roleSchema,
    certificate: Type.Optional(Type.Union([cryptoObjectSchema, Type.Null()])),
    sealedOrganizationKey: Type.Optional(Type.Union([cryptoObjectSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export type ChangeRoleRequest = Static<typeof changeRoleRequestSchema>;

/** GET /api/organization/membership-list — the newest signed list (null before the first) and the chain of key rotations, oldest first. */
export const membershipListResponseSchema = Type.Object({ list: Type.Union([anyObjectSchema, Type.Null()]), rotations: Type.Array(anyObjectSchema) });
export type MembershipListResponse = Static<typeof membershipListResponseSchema>;
/** POST /api/organization/membership-list */
export const publishMembershipListRequestSchema = Type.Object({ list: cryptoObjectSchema }, { additionalProperties: false });
export type PublishMembershipListRequest = Static<typeof publishMembershipListRequestSchema>;
/** The counter of the list now current, after publishing one or rotating the key. */
export const counterResponseSchema = Type.Object({ counter: Type.Integer() });
export type CounterResponse = Static<typeof counterResponseSchema>;
/** GET /api/organization/key-rotations — public: what a browser needs to move its pin. */
export const keyRotationsResponseSchema = Type.Object({ rotations: Type.Array(anyObjectSchema), rotationPending: Type.Boolean() });
export type KeyRotationsResponse = Static<typeof keyRotationsResponseSchema>;
/**
 * POST /api/organization/key-rotation — everything made in the rotating
 * administrator's browser: the statement signed by the old key, a new
 * certificate for every certified member, the new key sealed to every
 * administrator who keeps it, and the first list under the new key.
 */
export const rotateOrganizationKeyRequestSchema = Type.Object(
  {
    statement: cryptoObjectSchema,
    certificates: Type.Array(Type.Object({ memberId: uuidSchema, certificate: cryptoObjectSchema }, { additionalProperties: false }), { maxItems: 5000 }),
    sealedKeys: Type.Array(Type.Object({ memberId: uuidSchema, sealedOrganizationKey: cryptoObjectSchema }, { additionalProperties: false }), {
      maxItems: 5000,
    }),
    membershipList: cryptoObjectSchema,
  },
  { additionalProperties: false },
);
export type RotateOrganizationKeyRequest = Static<typeof rotateOrganizationKeyRequestSchema>;
