import { ClearingError, isUuid, type DirectoryEntry, type MemberSummary, type Role } from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Database } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import { findOrganization } from '../organization/repository.js';
import {
  countActiveAdministrators,
  deleteOrganizationKeyGrant,
  findMemberById,
  findOrganizationKeyGrant,
  isKeyHoldingAdministrator,
  listMembers,
  lockMember,
  putOrganizationKeyGrant,
  updateMember,
  type MemberRow,
} from './repository.js';
import { revokeMemberSessions } from './sessions.js';
import { checkCertificate, checkSealedOrganizationKey } from './validate.js';
import { markRotationPending } from '../organization/trust.js';

function summary(m: MemberRow): MemberSummary {
  return {
    id: m.id,
    name: m.name,
    role: m.role,
    status: m.status,
    encryptionPublicKey: m.encryptionPublicKey,
    signingPublicKey: m.signingPublicKey,
    certificate: m.certificate,
    certifiedAt: m.certifiedAt ? new Date(m.certifiedAt).toISOString() : null,
    createdAt: new Date(m.createdAt).toISOString(),
    lastActiveAt: m.lastActiveAt ? new Date(m.lastActiveAt).toISOString() : null,
    totpEnabled: m.totpEnabledAt !== null,
  };
}

export async function listAllMembers(database: Database): Promise<MemberSummary[]> {
  return (await listMembers(database.db)).map(summary);
}

/** What any member's browser needs to share keys: certified, active members and their certificates (which the browser verifies). */
export async function memberDirectory(database: Database): Promise<DirectoryEntry[]> {
  return (await listMembers(database.db))
    .filter((m) => m.status === 'active' && m.certificate !== null)
    .map((m) => ({ id: m.id, name: m.name, role: m.role, encryptionPublicKey: m.encryptionPublicKey, signingPublicKey: m.signingPublicKey, certificate: m.certificate }));
}

async function organizationKey(db: Executor): Promise<string> {
  const org = await findOrganization(db);
  if (!org?.publicKey) throw new ClearingError('NOT_SET_UP', { status: 409 });
  return org.publicKey;
}

async function target(db: Executor, id: string): Promise<MemberRow> {
  const member = isUuid(id) ? await lockMember(db, id) : null;
  if (!member || member.status === 'removed') throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  return member;
}

/**
 * An administrator who joined by invitation also receives the organization
 * key when certified (`sealedOrganizationKey`, sealed in the certifying
 * administrator's browser); until then they have no administrator's powers.
 */
export async function certifyMember(database: Database, actorId: string, memberId: string, certificate: unknown, sealedOrganizationKey?: unknown | null): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    const member = await target(tx, memberId);
    const orgKey = await organizationKey(tx);
    const checked = checkCertificate(orgKey, certificate, {
      memberId: member.id,
      name: member.name,
      role: member.role,
      encryptionPublicKey: member.encryptionPublicKey,
      signingPublicKey: member.signingPublicKey,
    });
    if (member.role === 'administrator' && member.status === 'active' && (await findOrganizationKeyGrant(tx, member.id)) === null) {
      if (sealedOrganizationKey === undefined || sealedOrganizationKey === null) {
        throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'missing' } });
      }
      await putOrganizationKeyGrant(tx, member.id, checkSealedOrganizationKey(orgKey, member.encryptionPublicKey, sealedOrganizationKey), actorId);
      await appendAuditEntry(tx, { action: 'organization.key_granted', actorId, subjectId: member.id });
    }
    await updateMember(tx, member.id, { certificate: checked });
    await appendAuditEntry(tx, { action: 'member.certified', actorId, subjectId: member.id, detail: { role: member.role } });
  });
}

async function assertAdministratorsRemain(tx: Executor, member: MemberRow): Promise<void> {
  if ((await isKeyHoldingAdministrator(tx, member)) && (await countActiveAdministrators(tx)) <= 1) {
    throw new ClearingError('LAST_ADMINISTRATOR', { status: 409 });
  }
}

function notSelf(actorId: string, memberId: string): void {
  if (actorId === memberId) throw new ClearingError('CANNOT_CHANGE_SELF', { status: 409 });
}

/**
 * The certificate binds the role, so a certified member's new role comes with
 * a new certificate from the administrator's browser; a new administrator also
 * receives the organization key, sealed to them.
 */
export async function changeRole(
  database: Database,
  actorId: string,
  memberId: string,
  input: { role: Role; certificate?: unknown | null; sealedOrganizationKey?: unknown | null },
): Promise<void> {
  notSelf(actorId, memberId);
  await database.db.transaction().execute(async (tx) => {
    const member = await target(tx, memberId);
    if (member.role === input.role) return;
    if (member.role === 'administrator') await assertAdministratorsRemain(tx, member);
    const orgKey = await organizationKey(tx);
    if (input.role === 'administrator' && (input.sealedOrganizationKey === undefined || input.sealedOrganizationKey === null)) {
      throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'missing' } });
    }
    let certificate: unknown | null = null;
    // A new administrator must be vouched for by the organization key: a certificate for the new role, made in a certified administrator's browser.
    if (member.certificate !== null || input.role === 'administrator' || (input.certificate !== undefined && input.certificate !== null)) {
      if (input.certificate === undefined || input.certificate === null) {
        throw new ClearingError('CERTIFICATE_REJECTED', { status: 400, params: { reason: 'missing' } });
      }
      certificate = checkCertificate(orgKey, input.certificate, {
        memberId: member.id,
        name: member.name,
        role: input.role,
        encryptionPublicKey: member.encryptionPublicKey,
        signingPublicKey: member.signingPublicKey,
      });
    }
    if (input.role === 'administrator') {
      if (input.sealedOrganizationKey === undefined || input.sealedOrganizationKey === null) {
        throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'missing' } });
      }
      await putOrganizationKeyGrant(tx, member.id, checkSealedOrganizationKey(orgKey, member.encryptionPublicKey, input.sealedOrganizationKey), actorId);
      await appendAuditEntry(tx, { action: 'organization.key_granted', actorId, subjectId: member.id });
    } else if (member.role === 'administrator') {
      // They may have kept the private key: the organization key must be rotated.
      if ((await findOrganizationKeyGrant(tx, member.id)) !== null) await markRotationPending(tx);
      await deleteOrganizationKeyGrant(tx, member.id);
    }
    await updateMember(tx, member.id, { role: input.role, certificate });
    // Sessions carry the old role's rights; make the member log in again.
    await revokeMemberSessions(tx, member.id);
    await appendAuditEntry(tx, { action: 'member.role_changed', actorId, subjectId: member.id, detail: { from: member.role, to: input.role } });
  });
}

export async function suspendMember(database: Database, actorId: string, memberId: string): Promise<void> {
  notSelf(actorId, memberId);
  await database.db.transaction().execute(async (tx) => {
    const member = await target(tx, memberId);
    if (member.status === 'suspended') return;
    await assertAdministratorsRemain(tx, member);
    await updateMember(tx, member.id, { status: 'suspended' });
    await revokeMemberSessions(tx, member.id);
    await appendAuditEntry(tx, { action: 'member.suspended', actorId, subjectId: member.id });
  });
}

export async function reinstateMember(database: Database, actorId: string, memberId: string): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    const member = await target(tx, memberId);
    if (member.status !== 'suspended') return;
    await updateMember(tx, member.id, { status: 'active' });
    await appendAuditEntry(tx, { action: 'member.reinstated', actorId, subjectId: member.id });
  });
}

/**
 * Removal is final and one action: sessions end, the organization key grant is
 * withdrawn, and the member disappears from the directory so no client shares
 * new keys with them. (Rotation of case compartments they held joins this
 * action when cases exist.)
 */
export async function removeMember(database: Database, actorId: string, memberId: string): Promise<void> {
  notSelf(actorId, memberId);
  await database.db.transaction().execute(async (tx) => {
    const member = await target(tx, memberId);
    await assertAdministratorsRemain(tx, member);
    if (member.role === 'administrator' && (await findOrganizationKeyGrant(tx, member.id)) !== null) await markRotationPending(tx);
    // The authenticator secret and recovery codes are of no more use to anyone: wipe them.
    await updateMember(tx, member.id, { status: 'removed', certificate: null, totpSecret: null, recoveryCodes: [] });
    await deleteOrganizationKeyGrant(tx, member.id);
    await revokeMemberSessions(tx, member.id);
    await appendAuditEntry(tx, { action: 'member.removed', actorId, subjectId: member.id, detail: { role: member.role } });
  });
}

export async function myKeys(database: Database, memberId: string) {
  const member = await findMemberById(database.db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  return {
    keyBundle: member.keyBundle,
    certificate: member.certificate,
    sealedOrganizationKey: member.role === 'administrator' ? await findOrganizationKeyGrant(database.db, memberId) : null,
  };
}
