/**
 * The shapes exchanged between the web app (or CLI) and the server for members,
 * login and invitations. Binary values are base64url; crypto objects (key
 * bundles, certificates, sealed keys) are the JSON formats of src/core/crypto.
 * The server never receives a passphrase, a master key or the key that opens a bundle.
 */
import type { KdfParams } from '../crypto/members/kdf.js';
import type { Role } from '../domain/roles.js';

export type MemberStatus = 'active' | 'suspended' | 'removed';
export type SessionStage = 'second_factor' | 'totp_enrollment' | 'full';

/** POST /api/setup — create the organization and its first administrator in one step. */
export interface SetupRequest {
  /** The one-time code the server printed on its console (and `clearing doctor` shows). */
  setupCode: string;
  organizationName: string;
  defaultLanguage: 'en' | 'ru';
  organizationPublicKey: string;
  administrator: {
    /** Chosen by the browser (UUID v4) because the certificate must name it before the server stores it. */
    id: string;
    name: string;
    keyBundle: unknown;
    /** The public half of the authentication key derived from the passphrase. */
    authPublicKey: string;
    certificate: unknown;
    sealedOrganizationKey: unknown;
  };
  /** The first membership list (counter 1) naming the administrator, signed with the new organization key. */
  membershipList?: unknown;
}
export interface OrganizationInfo {
  name: string;
  defaultLanguage: 'en' | 'ru';
  publicKey: string | null;
  fingerprint: string | null;
}
export interface SetupStatus {
  setUp: boolean;
  organization?: OrganizationInfo;
}

/** POST /api/auth/prelogin — parameters to derive the authentication key, and a single-use challenge. */
export interface PreloginRequest {
  name: string;
}
export interface PreloginResponse {
  kdf: KdfParams;
  challenge: string;
  /** The id the login proof names (for a name that is no member, a decoy id shaped like one). */
  memberId: string;
  /** Present for an account made before login proofs: this one login also sends the old login key. */
  upgrade?: true;
}
/** POST /api/auth/login */
export interface LoginRequest {
  name: string;
  challenge: string;
  /** signLoginProof over { purpose: 'login', challenge, memberId, origin }. */
  proof: string;
  /** Only when prelogin said `upgrade`. */
  authKey?: string;
  authPublicKey?: string;
}
export interface LoginResponse {
  stage: SessionStage;
  csrfToken: string;
}
/** POST /api/auth/totp/enrollment (stage totp_enrollment) */
export interface TotpEnrollmentResponse {
  secret: string;
  uri: string;
}
/** POST /api/auth/totp/enrollment/confirm */
export interface TotpConfirmRequest {
  code: string;
}
export interface TotpConfirmResponse {
  recoveryCodes: string[];
  csrfToken: string;
}
/** POST /api/auth/second-factor — one of the two. */
export interface SecondFactorRequest {
  code?: string;
  recoveryCode?: string;
}
export interface SecondFactorResponse {
  csrfToken: string;
}

/** GET /api/session */
export interface SessionInfo {
  stage: SessionStage;
  csrfToken: string;
  member: { id: string; name: string; role: Role; certified: boolean };
  organization: OrganizationInfo;
}

/** GET /api/me/keys — the encrypted bundle (opened in the browser), own certificate, and for administrators the sealed organization key. */
export interface MyKeysResponse {
  keyBundle: unknown;
  certificate: unknown | null;
  sealedOrganizationKey: unknown | null;
}
/** POST /api/me/challenge — a single-use challenge for a proof by the current passphrase. */
export interface AccountChallengeRequest {
  purpose: 'passphrase-change' | 'account-change';
}
export interface AccountChallengeResponse {
  challenge: string;
}
/** POST /api/me/passphrase — preparePassphraseChange's output plus a fresh second factor (one of the two). */
export interface ChangePassphraseRequest {
  challenge: string;
  proof: string;
  keyBundle: unknown;
  authPublicKey: string;
  bundleSignature: string;
  code?: string;
  recoveryCode?: string;
}

/** POST /api/invitations */
export interface InviteRequest {
  role: Role;
  /** 1 to 168 hours. */
  expiresInHours: number;
  /**
   * Required for the administrator role: the organization key's signature over
   * the invitation's id (a UUID the browser chose), role and expiry
   * (InvitationStatement, src/core/crypto/trust/invitation.ts). The server
   * uses that id and expiry.
   */
  statement?: unknown;
}
export interface InvitationCreated {
  id: string;
  /** Shown once, as the link `/invite#<token>`; only its hash is stored. */
  token: string;
  role: Role;
  expiresAt: string;
}
export interface InvitationSummary {
  id: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  state: 'pending' | 'used' | 'expired' | 'revoked';
  memberId: string | null;
}
/** POST /api/invitations/lookup */
export interface InvitationLookupRequest {
  token: string;
}
export interface InvitationLookupResponse {
  role: Role;
  expiresAt: string;
  organization: OrganizationInfo;
}
/** POST /api/invitations/accept */
export interface AcceptInvitationRequest {
  token: string;
  member: { id: string; name: string; keyBundle: unknown; authPublicKey: string };
}
export interface AcceptInvitationResponse {
  memberId: string;
}

/** GET /api/members (administrators) */
export interface MemberSummary {
  id: string;
  name: string;
  role: Role;
  status: MemberStatus;
  encryptionPublicKey: string;
  signingPublicKey: string;
  certificate: unknown | null;
  certifiedAt: string | null;
  createdAt: string;
  lastActiveAt: string | null;
  totpEnabled: boolean;
}
/** GET /api/members/directory (any member): certified, active members — what clients share keys with, after verifying each certificate. */
export interface DirectoryEntry {
  id: string;
  name: string;
  role: Role;
  encryptionPublicKey: string;
  signingPublicKey: string;
  certificate: unknown;
}
/** POST /api/members/:id/certificate */
export interface CertifyRequest {
  certificate: unknown;
  /** For an administrator who joined by invitation: the organization key, sealed to them. */
  sealedOrganizationKey?: unknown | null;
}

/** GET /api/organization/membership-list — the newest signed list (null before the first) and the chain of key rotations, oldest first. */
export interface MembershipListResponse {
  list: unknown | null;
  rotations: unknown[];
}
/** POST /api/organization/membership-list */
export interface PublishMembershipListRequest {
  list: unknown;
}
/** GET /api/organization/key-rotations — public: what a browser needs to move its pin. */
export interface KeyRotationsResponse {
  rotations: unknown[];
  rotationPending: boolean;
}
/**
 * POST /api/organization/key-rotation — everything made in the rotating
 * administrator's browser: the statement signed by the old key, a new
 * certificate for every certified member, the new key sealed to every
 * administrator who keeps it, and the first list under the new key.
 */
export interface RotateOrganizationKeyRequest {
  statement: unknown;
  certificates: Array<{ memberId: string; certificate: unknown }>;
  sealedKeys: Array<{ memberId: string; sealedOrganizationKey: unknown }>;
  membershipList: unknown;
}
/** POST /api/members/:id/role — a certified member's new role needs a new certificate; a new administrator needs the organization key sealed to them. */
export interface ChangeRoleRequest {
  role: Role;
  certificate?: unknown | null;
  sealedOrganizationKey?: unknown | null;
}
