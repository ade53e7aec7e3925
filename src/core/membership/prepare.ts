/*
 * The browser's side of each membership use case, as pure functions that
 * return the request body to send (as prepareLogin and preparePassphraseChange
 * do for login). The web app, the command line and the tests call the same
 * functions; what each signs is decided here, once. Callers open the
 * organization key for the call only and wipe it after.
 */
import type {
  AcceptInvitationRequest,
  CertifyRequest,
  ChangeRoleRequest,
  InviteRequest,
  MemberSummary,
  PublishMembershipListRequest,
  RotateOrganizationKeyRequest,
  SetupRequest,
} from '../api/members.js';
import { decodePublicKey, type MemberKeys } from '../crypto/member-keys/keys.js';
import { encodeAuthPublicKey, type AuthKeyPair } from '../crypto/member-keys/login-proof.js';
import type { KeyBundle } from '../crypto/member-keys/bundle.js';
import { signMemberCertificate, type MemberCertificate } from '../crypto/trust/certificate.js';
import { signInvitationStatement } from '../crypto/trust/invitation.js';
import { signMembershipList, type MembershipList, type MembershipListRequest } from '../crypto/trust/membership-list.js';
import { encodeOrganizationPublicKey, sealOrganizationKey, type OrganizationKeyPair } from '../crypto/trust/organization.js';
import type { KeyRotationStatement } from '../crypto/trust/rotation.js';
import { ClearingError } from '../errors/index.js';
import type { MemberId } from '../domain/ids.js';
import type { Language } from '../i18n/index.js';
import type { Role } from '../domain/roles.js';

/** The fields of a listed member a signature covers (a MemberSummary, a directory entry). */
export type ListedMember = Pick<MemberSummary, 'id' | 'name' | 'role' | 'status' | 'encryptionPublicKey' | 'signingPublicKey'>;

/** The organization's certificate for exactly these keys, this name and `role`. */
export function certifyListedMember(
  organization: OrganizationKeyPair,
  member: Pick<ListedMember, 'id' | 'name' | 'encryptionPublicKey' | 'signingPublicKey'>,
  role: Role,
  issuedBy: MemberId,
): MemberCertificate {
  return signMemberCertificate(organization.privateKey, {
    memberId: member.id as MemberId,
    name: member.name,
    role,
    encryptionPublicKey: decodePublicKey(member.encryptionPublicKey, 'x25519'),
    signingPublicKey: decodePublicKey(member.signingPublicKey, 'ed25519'),
    issuedBy,
  });
}

function sealedTo(organization: OrganizationKeyPair, member: Pick<ListedMember, 'encryptionPublicKey'>) {
  return sealOrganizationKey(organization, decodePublicKey(member.encryptionPublicKey, 'x25519'));
}

/** POST /api/members/:id/certificate — an administrator who joined by invitation receives the organization key with the certificate. */
export function prepareCertification(organization: OrganizationKeyPair, member: ListedMember, issuedBy: MemberId): CertifyRequest {
  return {
    certificate: certifyListedMember(organization, member, member.role, issuedBy),
    ...(member.role === 'administrator' ? { sealedOrganizationKey: sealedTo(organization, member) } : {}),
  };
}

export interface RoleChange {
  member: ListedMember;
  role: Role;
  issuedBy: MemberId;
  /** The member holds a valid certificate, which must name the new role. */
  certified: boolean;
}

/** Whether a role change needs the organization key opened: a new certificate, or the key sealed to a new administrator. */
export function roleChangeNeedsOrganizationKey(change: Pick<RoleChange, 'role' | 'certified'>): boolean {
  return change.certified || change.role === 'administrator';
}

/** POST /api/members/:id/role — `organization` may be null only when roleChangeNeedsOrganizationKey says no. */
export function prepareRoleChange(organization: OrganizationKeyPair | null, change: RoleChange): ChangeRoleRequest {
  const body: ChangeRoleRequest = { role: change.role };
  if (!roleChangeNeedsOrganizationKey(change)) return body;
  if (!organization) throw new ClearingError('FORBIDDEN', { status: 403 });
  if (change.certified) body.certificate = certifyListedMember(organization, change.member, change.role, change.issuedBy);
  if (change.role === 'administrator') body.sealedOrganizationKey = sealedTo(organization, change.member);
  return body;
}

export interface InvitationInput {
  role: Role;
  expiresInHours: number;
  /** A fresh UUID: an administrator invitation's statement names it, and the server uses it. */
  invitationId: string;
  issuedBy: MemberId;
  /** Defaults to now. */
  now?: Date;
}

/** Whether an invitation needs the organization key's signature: only the organization key brings in an administrator. */
export function invitationNeedsOrganizationKey(role: Role): boolean {
  return role === 'administrator';
}

/** POST /api/invitations */
export function prepareInvitation(organization: OrganizationKeyPair | null, input: InvitationInput): InviteRequest {
  const body: InviteRequest = { role: input.role, expiresInHours: input.expiresInHours };
  if (!invitationNeedsOrganizationKey(input.role) || !organization) return body;
  const expiresAt = new Date((input.now ?? new Date()).getTime() + input.expiresInHours * 3600_000).toISOString();
  body.statement = signInvitationStatement(organization.privateKey, {
    invitationId: input.invitationId,
    role: input.role,
    expiresAt,
    issuedBy: input.issuedBy,
  });
  return body;
}

function listEntries(members: readonly ListedMember[]): MembershipListRequest['members'] {
  return members.map((m) => ({
    id: m.id as MemberId,
    name: m.name,
    role: m.role,
    status: m.status,
    encryptionPublicKey: decodePublicKey(m.encryptionPublicKey, 'x25519'),
    signingPublicKey: decodePublicKey(m.signingPublicKey, 'ed25519'),
  }));
}

/**
 * POST /api/organization/membership-list — `members`: those the caller checked
 * the organization vouches for; `counter`: one above the newest list verified.
 */
export function prepareMembershipList(
  organization: OrganizationKeyPair,
  input: { counter: number; issuedBy: MemberId; members: readonly ListedMember[] },
): PublishMembershipListRequest & { list: MembershipList } {
  return { list: signMembershipList(organization.privateKey, { counter: input.counter, issuedBy: input.issuedBy, members: listEntries(input.members) }) };
}

export type RotationProgress = { step: 'certifying'; done: number; total: number } | { step: 'sealing' } | { step: 'publishing' };

/**
 * POST /api/organization/key-rotation — `statement`: the old key's signature
 * over the move (signKeyRotation; the caller opens the old key for that one
 * signature only). `certified`: every member whose certificate the caller
 * verified under the old key. Each is certified again with `next`, `next` is
 * sealed to every active administrator, and the first list under `next`
 * names them all. `progress` may return a promise (the browser paints).
 */
export async function prepareKeyRotation(
  statement: KeyRotationStatement,
  next: OrganizationKeyPair,
  input: { counter: number; issuedBy: MemberId; certified: readonly ListedMember[] },
  progress: (step: RotationProgress, index: number) => void | Promise<void> = () => undefined,
): Promise<RotateOrganizationKeyRequest> {
  const certificates: RotateOrganizationKeyRequest['certificates'] = [];
  for (const [i, m] of input.certified.entries()) {
    await progress({ step: 'certifying', done: i, total: input.certified.length }, i);
    certificates.push({ memberId: m.id, certificate: certifyListedMember(next, m, m.role, input.issuedBy) });
  }
  await progress({ step: 'sealing' }, 0);
  const sealedKeys = input.certified
    .filter((m) => m.role === 'administrator' && m.status === 'active')
    .map((m) => ({ memberId: m.id, sealedOrganizationKey: sealedTo(next, m) }));
  const membershipList = signMembershipList(next.privateKey, { counter: input.counter, issuedBy: input.issuedBy, members: listEntries(input.certified) });
  await progress({ step: 'publishing' }, 0);
  return { statement, certificates, sealedKeys, membershipList };
}

/** What createMember made for a new member: their keys, the sealed bundle, the authentication key pair. */
export interface NewMemberMaterial {
  keys: MemberKeys;
  bundle: KeyBundle;
  auth: AuthKeyPair;
}

/**
 * POST /api/setup — the organization key, the first administrator's
 * certificate and sealed organization key, and the first membership list,
 * all signed here. `id`: a fresh UUID, chosen here because the certificate
 * names it before the server stores it.
 */
export function prepareSetup(
  organization: OrganizationKeyPair,
  input: { setupCode: string; organizationName: string; defaultLanguage: Language; administrator: { id: string; name: string; material: NewMemberMaterial } },
): SetupRequest {
  const { id, name, material } = input.administrator;
  const adminId = id as MemberId;
  const certificate = signMemberCertificate(organization.privateKey, {
    memberId: adminId,
    name,
    role: 'administrator',
    encryptionPublicKey: material.keys.encryption.publicKey,
    signingPublicKey: material.keys.signing.publicKey,
    issuedBy: adminId,
  });
  const membershipList = signMembershipList(organization.privateKey, {
    counter: 1,
    issuedBy: adminId,
    members: [
      {
        id: adminId,
        name,
        role: 'administrator',
        status: 'active',
        encryptionPublicKey: material.keys.encryption.publicKey,
        signingPublicKey: material.keys.signing.publicKey,
      },
    ],
  });
  return {
    setupCode: input.setupCode,
    organizationName: input.organizationName,
    defaultLanguage: input.defaultLanguage,
    organizationPublicKey: encodeOrganizationPublicKey(organization.publicKey),
    administrator: {
      id,
      name,
      keyBundle: material.bundle,
      authPublicKey: encodeAuthPublicKey(material.auth),
      certificate,
      sealedOrganizationKey: sealOrganizationKey(organization, material.keys.encryption.publicKey),
    },
    membershipList,
  };
}

/** POST /api/invitations/accept — `id`: a fresh UUID for the new member. */
export function prepareInvitationAcceptance(
  token: string,
  member: { id: string; name: string; material: Pick<NewMemberMaterial, 'bundle' | 'auth'> },
): AcceptInvitationRequest {
  return { token, member: { id: member.id, name: member.name, keyBundle: member.material.bundle, authPublicKey: encodeAuthPublicKey(member.material.auth) } };
}
