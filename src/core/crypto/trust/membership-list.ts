import { constantTimeEqual, fromBase64url, toBase64url } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { keyLength, signatureLength, type Ed25519PublicKey, type X25519PublicKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { idPattern, maxIdLength, StrictReader } from '../primitives/strict.js';
import { isRole, type Role } from '../../domain/roles.js';
import type { MemberId } from '../../domain/ids.js';
import { nameKey, nameSkeleton } from '../../membership/names.js';
import { fingerprint } from '../member-keys/fingerprint.js';
import { maxNameLength, normalizeName } from './certificate.js';
import { encodeOrganizationPublicKey, organizationKeyFromPrivate, type OrganizationPrivateKey, type OrganizationPublicKey } from './organization.js';
import { signJson, verifyJson } from './signatures.js';

/**
 * The organization's signed statement of who its members are right now: id,
 * name, role, keys and status of each, with a counter that only goes up.
 * Administrators' browsers sign and publish a new list whenever membership
 * changes; every member's browser verifies it against the pinned
 * organization key and refuses a list whose counter is lower than the highest
 * it has seen (a server replaying an old list, in which a removed member was
 * still active, is caught). Certificates say "these keys were once vouched
 * for"; the list says "and still are".
 * Signed: label "clearing/membership-list/v1", newline, JCS(body).
 */
export type MembershipStatus = 'active' | 'suspended' | 'removed';
const statuses: readonly MembershipStatus[] = ['active', 'suspended', 'removed'];
const isStatus = (v: unknown): v is MembershipStatus => typeof v === 'string' && (statuses as readonly string[]).includes(v);

export interface MembershipListEntry {
  id: MemberId;
  name: string;
  nameKey: string;
  role: Role;
  status: MembershipStatus;
  encryptionPublicKey: string;
  signingPublicKey: string;
}

export interface MembershipListBody {
  organizationKey: string;
  /** 1 for the first list; each published list is the previous counter + 1. */
  counter: number;
  issuedAt: string;
  issuedBy: MemberId;
  members: MembershipListEntry[];
}

export interface MembershipList {
  v: 1;
  body: MembershipListBody;
  signature: string;
}

export interface MembershipListRequest {
  counter: number;
  issuedBy: MemberId;
  issuedAt?: string;
  members: Array<{
    id: MemberId;
    name: string;
    role: Role;
    status: MembershipStatus;
    encryptionPublicKey: X25519PublicKey;
    signingPublicKey: Ed25519PublicKey;
  }>;
}

/** A list whose signature verified under the pinned key, indexed by member id. */
export interface VerifiedMembershipList {
  readonly counter: number;
  readonly issuedAt: string;
  readonly issuedBy: MemberId;
  readonly members: ReadonlyMap<string, MembershipListEntry & { fingerprint: string }>;
  readonly list: MembershipList;
}

export const maxListedMembers = 5000;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function signMembershipList(organizationPrivateKey: OrganizationPrivateKey, request: MembershipListRequest): MembershipList {
  const members = [...request.members]
    .map((m) => ({
      id: m.id,
      name: normalizeName(m.name),
      nameKey: nameKey(m.name),
      role: m.role,
      status: m.status,
      encryptionPublicKey: toBase64url(m.encryptionPublicKey),
      signingPublicKey: toBase64url(m.signingPublicKey),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const body: MembershipListBody = {
    organizationKey: encodeOrganizationPublicKey(organizationKeyFromPrivate(organizationPrivateKey).publicKey),
    counter: request.counter,
    issuedAt: request.issuedAt ?? new Date().toISOString(),
    issuedBy: request.issuedBy,
    members,
  };
  const checked = parseMembershipList({ v: 1, body, signature: toBase64url(new Uint8Array(signatureLength)) }).body;
  return { v: 1, body: checked, signature: toBase64url(signJson(organizationPrivateKey, labels.membershipList, checked)) };
}

/** Shape check of untrusted JSON, including that no two listed names can be mistaken for each other. */
export function parseMembershipList(input: unknown): MembershipList {
  const r = new StrictReader('MEMBERSHIP_LIST_INVALID', 4096 * maxListedMembers);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 1);
  const o = r.object(raw, 'list', ['v', 'body', 'signature']);
  r.literal(o.v, 'v', 1);
  const b = r.object(o.body, 'body', ['organizationKey', 'counter', 'issuedAt', 'issuedBy', 'members']);
  r.bytes(b.organizationKey, 'body.organizationKey', keyLength);
  const counter = r.integer(b.counter, 'body.counter', 1, Number.MAX_SAFE_INTEGER);
  const issuedAt = r.string(b.issuedAt, 'body.issuedAt', 40, isoInstant);
  if (Number.isNaN(Date.parse(issuedAt))) r.fail('body.issuedAt', 'not a date');
  const issuedBy = r.string(b.issuedBy, 'body.issuedBy', maxIdLength, idPattern) as MemberId;
  if (!Array.isArray(b.members) || b.members.length > maxListedMembers) r.fail('body.members', 'not a list of members');
  const ids = new Set<string>();
  const skeletons = new Set<string>();
  let previous = '';
  const members = (b.members as unknown[]).map((raw, i): MembershipListEntry => {
    const f = `body.members[${i}]`;
    const m = r.object(raw, f, ['id', 'name', 'nameKey', 'role', 'status', 'encryptionPublicKey', 'signingPublicKey']);
    const id = r.string(m.id, `${f}.id`, maxIdLength, idPattern) as MemberId;
    // Sorted by id, each once: one canonical list per membership.
    if (ids.has(id) || id <= previous) r.fail(`${f}.id`, 'not in order or repeated');
    ids.add(id);
    previous = id;
    const name = r.string(m.name, `${f}.name`, maxNameLength);
    if (name !== normalizeName(name) || name.length < 2) r.fail(`${f}.name`, 'not a normalized name');
    if (m.nameKey !== nameKey(name)) r.fail(`${f}.nameKey`, 'not the key of the name');
    const skeleton = nameSkeleton(name);
    if (skeletons.has(skeleton)) r.fail(`${f}.name`, 'confusable with another member');
    skeletons.add(skeleton);
    r.bytes(m.encryptionPublicKey, `${f}.encryptionPublicKey`, keyLength);
    r.bytes(m.signingPublicKey, `${f}.signingPublicKey`, keyLength);
    return {
      id,
      name,
      nameKey: m.nameKey as string,
      role: r.oneOf(m.role, `${f}.role`, isRole),
      status: r.oneOf(m.status, `${f}.status`, isStatus),
      encryptionPublicKey: m.encryptionPublicKey as string,
      signingPublicKey: m.signingPublicKey as string,
    };
  });
  r.bytes(o.signature, 'signature', signatureLength);
  return { v: 1, body: { organizationKey: b.organizationKey as string, counter, issuedAt, issuedBy, members }, signature: o.signature as string };
}

/**
 * MEMBERSHIP_LIST_INVALID (shape or signature), MEMBERSHIP_LIST_WRONG_ORGANIZATION
 * (another key), MEMBERSHIP_LIST_ROLLBACK (older than one this client has seen).
 */
export function verifyMembershipList(pinned: OrganizationPublicKey, input: unknown, options: { minCounter?: number } = {}): VerifiedMembershipList {
  const list = parseMembershipList(input);
  const { body } = list;
  if (!constantTimeEqual(fromBase64url(body.organizationKey), pinned)) throw cryptoError('MEMBERSHIP_LIST_WRONG_ORGANIZATION');
  if (!verifyJson(pinned, labels.membershipList, body, fromBase64url(list.signature))) {
    throw cryptoError('MEMBERSHIP_LIST_INVALID', { field: 'signature', reason: 'does not verify' });
  }
  if (options.minCounter !== undefined && body.counter < options.minCounter) {
    throw cryptoError('MEMBERSHIP_LIST_ROLLBACK', { counter: body.counter, seen: options.minCounter });
  }
  const members = new Map<string, MembershipListEntry & { fingerprint: string }>();
  for (const m of body.members) {
    members.set(m.id, {
      ...m,
      fingerprint: fingerprint(fromBase64url(m.encryptionPublicKey) as X25519PublicKey, fromBase64url(m.signingPublicKey) as Ed25519PublicKey),
    });
  }
  return { counter: body.counter, issuedAt: body.issuedAt, issuedBy: body.issuedBy, members, list };
}
