import { constantTimeEqual, fromBase64url, toBase64url } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { keyLength, signatureLength, type Ed25519PublicKey, type X25519PublicKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { idPattern, maxIdLength, StrictReader } from '../primitives/strict.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { isRole, type Role } from '../../domain/roles.js';
import type { MemberId } from '../../domain/ids.js';
import { fingerprint } from '../member-keys/fingerprint.js';
import { encodeOrganizationPublicKey, organizationKeyFromPrivate, type OrganizationPrivateKey, type OrganizationPublicKey } from './organization.js';
import { signJson, verifyJson } from './signatures.js';
import { nameKey } from '../../membership/names.js';

/**
 * The organization's statement that a member id, a name, a role and two
 * public keys belong together. Clients refuse to share a key with anyone whose
 * certificate does not verify against the organization key they pinned, and
 * show a colleague's name only as a certificate states it.
 * Signed: label "clearing/member-certificate/v2", newline, JCS(body).
 *
 * Version 1 (label ".../v1") had no name. It is still read, so an
 * organization set up before version 2 keeps working, but a v1 certificate
 * vouches for keys only: clients show its member as "to be certified again"
 * and never trust the name beside it (docs/decisions/0011-trust-against-the-server.md).
 */
export interface MemberCertificateBody {
  /** base64url Ed25519 public key of the organization that signed. */
  organizationKey: string;
  memberId: MemberId;
  /** v2: the member's name as they chose it (NFC, trimmed), and its key (members/names.ts). */
  name?: string;
  nameKey?: string;
  role: Role;
  encryptionPublicKey: string;
  signingPublicKey: string;
  /** ISO 8601 UTC, e.g. 2025-05-01T12:00:00.000Z. */
  issuedAt: string;
  /** The administrator who certified. */
  issuedBy: MemberId;
}

export interface MemberCertificate {
  v: 1 | 2;
  body: MemberCertificateBody;
  signature: string;
}

export interface CertificateRequest {
  memberId: MemberId;
  /** The name the administrator saw beside the fingerprint they compared. */
  name: string;
  role: Role;
  encryptionPublicKey: X25519PublicKey;
  signingPublicKey: Ed25519PublicKey;
  issuedBy: MemberId;
  /** Defaults to now. */
  issuedAt?: string;
}

declare const certified: unique symbol;

/**
 * A member whose certificate verified. Only verifyMemberCertificate makes one,
 * so a function that takes a CertifiedMember (sealCompartmentKey does) cannot
 * be handed keys that skipped the check.
 */
export interface CertifiedMember {
  readonly [certified]: true;
  readonly memberId: MemberId;
  /** As the organization certified it; null for a version-1 certificate, whose name nobody vouched for. */
  readonly name: string | null;
  readonly nameKey: string | null;
  readonly role: Role;
  readonly encryptionPublicKey: X25519PublicKey;
  readonly signingPublicKey: Ed25519PublicKey;
  readonly issuedAt: string;
  readonly issuedBy: MemberId;
  /** Of the member's two public keys; see members/fingerprint.ts. */
  readonly fingerprint: string;
  readonly certificate: MemberCertificate;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const maxCertificateText = 4096;
/** Names are 2 to 64 characters (members table); generous in UTF-16 units. */
export const maxNameLength = 256;

const certificateLabel = (v: 1 | 2) => (v === 1 ? labels.memberCertificate : labels.memberCertificateV2);

/** A name as stored and certified: NFC, trimmed. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').trim();
}

export function signMemberCertificate(organizationPrivateKey: OrganizationPrivateKey, request: CertificateRequest): MemberCertificate {
  const name = normalizeName(request.name);
  const body: MemberCertificateBody = {
    organizationKey: encodeOrganizationPublicKey(organizationKeyFromPrivate(organizationPrivateKey).publicKey),
    memberId: request.memberId,
    name,
    nameKey: nameKey(name),
    role: request.role,
    encryptionPublicKey: toBase64url(request.encryptionPublicKey),
    signingPublicKey: toBase64url(request.signingPublicKey),
    issuedAt: request.issuedAt ?? new Date().toISOString(),
    issuedBy: request.issuedBy,
  };
  // Refuse to sign anything a verifier would reject.
  const checked = parseMemberCertificate({ v: 2, body, signature: toBase64url(new Uint8Array(signatureLength)) }).body;
  return { v: 2, body: checked, signature: toBase64url(signJson(organizationPrivateKey, labels.memberCertificateV2, checked)) };
}

/** Strict shape check of untrusted JSON; says nothing about the signature. */
export function parseMemberCertificate(input: unknown): MemberCertificate {
  const r = new StrictReader('CERTIFICATE_INVALID', maxCertificateText);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 2);
  const o = r.object(raw, 'certificate', ['v', 'body', 'signature']);
  const v = o.v === 1 ? 1 : r.literal(o.v, 'v', 2);
  const common = ['organizationKey', 'memberId', 'role', 'encryptionPublicKey', 'signingPublicKey', 'issuedAt', 'issuedBy'];
  const b = r.object(o.body, 'body', v === 1 ? common : [...common, 'name', 'nameKey']);
  let named: { name?: string; nameKey?: string } = {};
  if (v === 2) {
    const name = r.string(b.name, 'body.name', maxNameLength);
    if (name !== normalizeName(name) || name.length < 2) r.fail('body.name', 'not a normalized name');
    const key = r.string(b.nameKey, 'body.nameKey', maxNameLength);
    if (key !== nameKey(name)) r.fail('body.nameKey', 'not the key of the name');
    named = { name, nameKey: key };
  }
  r.bytes(b.organizationKey, 'body.organizationKey', keyLength);
  r.bytes(b.encryptionPublicKey, 'body.encryptionPublicKey', keyLength);
  const signing = r.bytes(b.signingPublicKey, 'body.signingPublicKey', keyLength);
  if (!ed25519.utils.isValidPublicKey(signing, false)) r.fail('body.signingPublicKey', 'not a curve point');
  const issuedAt = r.string(b.issuedAt, 'body.issuedAt', 40, isoInstant);
  if (Number.isNaN(Date.parse(issuedAt))) r.fail('body.issuedAt', 'not a date');
  r.bytes(o.signature, 'signature', signatureLength);
  return {
    v,
    body: {
      organizationKey: b.organizationKey as string,
      memberId: r.string(b.memberId, 'body.memberId', maxIdLength, idPattern) as MemberId,
      ...named,
      role: r.oneOf(b.role, 'body.role', isRole),
      encryptionPublicKey: b.encryptionPublicKey as string,
      signingPublicKey: b.signingPublicKey as string,
      issuedAt,
      issuedBy: r.string(b.issuedBy, 'body.issuedBy', maxIdLength, idPattern) as MemberId,
    },
    signature: o.signature as string,
  };
}

export interface CertificateExpectation {
  memberId?: MemberId;
  /** Compared by name key: the name served must be the certified one. A v1 certificate never meets this expectation. */
  name?: string;
  role?: Role;
  encryptionPublicKey?: X25519PublicKey;
  signingPublicKey?: Ed25519PublicKey;
}

/**
 * CERTIFICATE_INVALID (bad shape or signature), CERTIFICATE_WRONG_ORGANIZATION
 * (signed by another organization key), CERTIFICATE_MISMATCH (valid, but not
 * for the member or keys the caller was told about — e.g. a server that
 * serves one member's certificate beside another's keys).
 */
export function verifyMemberCertificate(
  pinnedOrganizationPublicKey: OrganizationPublicKey,
  input: MemberCertificate | unknown,
  expect: CertificateExpectation = {},
): CertifiedMember {
  const certificate = parseMemberCertificate(input);
  const { body } = certificate;
  if (!constantTimeEqual(fromBase64url(body.organizationKey), pinnedOrganizationPublicKey)) throw cryptoError('CERTIFICATE_WRONG_ORGANIZATION');
  if (!verifyJson(pinnedOrganizationPublicKey, certificateLabel(certificate.v), body, fromBase64url(certificate.signature))) {
    throw cryptoError('CERTIFICATE_INVALID', { field: 'signature', reason: 'does not verify' });
  }
  const encryptionPublicKey = fromBase64url(body.encryptionPublicKey) as X25519PublicKey;
  const signingPublicKey = fromBase64url(body.signingPublicKey) as Ed25519PublicKey;
  const mismatch = (field: string): never => {
    throw cryptoError('CERTIFICATE_MISMATCH', { field });
  };
  if (expect.memberId !== undefined && expect.memberId !== body.memberId) mismatch('memberId');
  if (expect.name !== undefined && (body.name === undefined || normalizeName(expect.name) !== body.name)) mismatch('name');
  if (expect.role !== undefined && expect.role !== body.role) mismatch('role');
  if (expect.encryptionPublicKey !== undefined && !constantTimeEqual(expect.encryptionPublicKey, encryptionPublicKey)) mismatch('encryptionPublicKey');
  if (expect.signingPublicKey !== undefined && !constantTimeEqual(expect.signingPublicKey, signingPublicKey)) mismatch('signingPublicKey');
  return {
    memberId: body.memberId,
    name: body.name ?? null,
    nameKey: body.nameKey ?? null,
    role: body.role,
    encryptionPublicKey,
    signingPublicKey,
    issuedAt: body.issuedAt,
    issuedBy: body.issuedBy,
    fingerprint: fingerprint(encryptionPublicKey, signingPublicKey),
    certificate,
  } as CertifiedMember;
}
