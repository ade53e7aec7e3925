import { sql } from 'kysely';
import {
  ClearingError,
  decodeOrganizationPublicKey,
  isCryptoError,
  organizationFingerprint,
  parseKeyRotation,
  verifyKeyRotation,
  verifyMembershipList,
  type KeyRotationsResponse,
  type MembershipListResponse,
  type RotateOrganizationKeyRequest,
  type ErrorCode,
} from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Database } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import { deleteOrganizationKeyGrant, listMembers, putOrganizationKeyGrant, updateMember } from '../members/repository.js';
import { checkCertificate, checkSealedOrganizationKey } from '../members/validate.js';

/*
 * The server's part in the signed membership list and in organization-key
 * rotation: it stores what administrators' browsers signed and refuses what
 * does not verify or does not follow on, but it can make none of it. Members'
 * browsers check every signature again themselves (src/web/membership.ts).
 */

function rejected(code: ErrorCode, error: unknown): never {
  if (isCryptoError(error)) throw new ClearingError(code, { status: 400, params: { reason: error.code }, cause: error });
  throw error;
}

/** Serializes every change of trust (lists, rotations) behind the one organization row. */
async function lockOrganization(tx: Executor): Promise<{ publicKey: string; rotationPending: boolean }> {
  const row = await tx.selectFrom('organization').select(['public_key', 'rotation_pending']).forUpdate().executeTakeFirst();
  if (!row?.public_key) throw new ClearingError('NOT_SET_UP', { status: 409 });
  return { publicKey: row.public_key, rotationPending: row.rotation_pending };
}

export async function markRotationPending(tx: Executor): Promise<void> {
  await tx.updateTable('organization').set({ rotation_pending: true }).execute();
}

async function latestCounter(tx: Executor): Promise<number> {
  const row = await tx.selectFrom('membership_lists').select(sql<string | null>`max(counter)::text`.as('n')).executeTakeFirst();
  return row?.n ? Number(row.n) : 0;
}

/**
 * Stores a list signed with the current organization key whose counter is
 * exactly one more than the last, and whose members agree with the members
 * table (names, roles, keys, status): the server keeps no list it would
 * contradict itself.
 */
export async function publishMembershipListIn(tx: Executor, actorId: string, input: unknown, organizationKey?: string): Promise<number> {
  const org = await lockOrganization(tx);
  const key = organizationKey ?? org.publicKey;
  let verified;
  try {
    verified = verifyMembershipList(decodeOrganizationPublicKey(key), input);
  } catch (e) {
    return rejected('MEMBERSHIP_LIST_REJECTED', e);
  }
  const expected = (await latestCounter(tx)) + 1;
  if (verified.counter !== expected) {
    throw new ClearingError('MEMBERSHIP_LIST_REJECTED', {
      status: 409,
      params: { reason: 'counter', expected },
    });
  }
  const members = new Map((await listMembers(tx)).map((m) => [m.id, m]));
  for (const entry of verified.members.values()) {
    const m = members.get(entry.id);
    const agrees =
      m !== undefined &&
      m.status !== 'removed' &&
      m.status === entry.status &&
      m.name === entry.name &&
      m.role === entry.role &&
      m.certificate !== null &&
      m.encryptionPublicKey === entry.encryptionPublicKey &&
      m.signingPublicKey === entry.signingPublicKey;
    if (!agrees) throw new ClearingError('MEMBERSHIP_LIST_REJECTED', { status: 409, params: { reason: 'member', member: entry.id } });
  }
  await tx.insertInto('membership_lists').values({ counter: verified.counter, organization_key: key, list: JSON.stringify(verified.list), published_by: actorId }).execute();
  await appendAuditEntry(tx, { action: 'membership.list_published', actorId, detail: { counter: verified.counter, members: verified.members.size } });
  return verified.counter;
}

export async function publishMembershipList(database: Database, actorId: string, input: unknown): Promise<{ counter: number }> {
  return { counter: await database.db.transaction().execute((tx) => publishMembershipListIn(tx, actorId, input)) };
}

async function rotations(db: Executor): Promise<unknown[]> {
  return (await db.selectFrom('organization_key_rotations').select('statement').orderBy('seq').execute()).map((r) => r.statement);
}

export async function membershipList(database: Database): Promise<MembershipListResponse> {
  const row = await database.db.selectFrom('membership_lists').select('list').orderBy('counter', 'desc').limit(1).executeTakeFirst();
  return { list: row?.list ?? null, rotations: await rotations(database.db) };
}

export async function keyRotations(database: Database): Promise<KeyRotationsResponse> {
  const org = await database.db.selectFrom('organization').select('rotation_pending').executeTakeFirst();
  return { rotations: await rotations(database.db), rotationPending: org?.rotation_pending ?? false };
}

/**
 * Replaces the organization key in one transaction: the statement signed by
 * the old key, a new certificate for every certified member that is not
 * removed, the new key sealed to exactly the active certified
 * administrators (the rotating one among them), every other grant dropped,
 * and the first membership list under the new key.
 */
export async function rotateOrganizationKey(database: Database, actorId: string, input: RotateOrganizationKeyRequest): Promise<{ counter: number }> {
  return database.db.transaction().execute(async (tx) => {
    const org = await lockOrganization(tx);
    let newKey: string;
    try {
      const statement = parseKeyRotation(input.statement);
      verifyKeyRotation(decodeOrganizationPublicKey(org.publicKey), statement);
      newKey = statement.body.newKey;
    } catch (e) {
      return rejected('KEY_ROTATION_REJECTED', e);
    }
    const members = (await listMembers(tx)).filter((m) => m.status !== 'removed' && m.certificate !== null);
    const certificates = new Map(input.certificates.map((c) => [c.memberId, c.certificate]));
    const sealed = new Map(input.sealedKeys.map((s) => [s.memberId, s.sealedOrganizationKey]));
    const keepers = members.filter((m) => m.role === 'administrator' && m.status === 'active');
    if (!keepers.some((m) => m.id === actorId)) throw new ClearingError('FORBIDDEN', { status: 403 });
    if (certificates.size !== members.length || sealed.size !== keepers.length) {
      throw new ClearingError('KEY_ROTATION_REJECTED', { status: 409, params: { reason: 'incomplete' } });
    }
    for (const m of members) {
      const certificate = checkCertificate(newKey, certificates.get(m.id), { memberId: m.id, name: m.name, role: m.role, encryptionPublicKey: m.encryptionPublicKey, signingPublicKey: m.signingPublicKey });
      await updateMember(tx, m.id, { certificate });
    }
    const grants = await tx.selectFrom('organization_key_grants').select('member_id').execute();
    for (const g of grants) await deleteOrganizationKeyGrant(tx, g.member_id);
    for (const m of keepers) {
      if (!sealed.has(m.id)) throw new ClearingError('KEY_ROTATION_REJECTED', { status: 409, params: { reason: 'incomplete' } });
      await putOrganizationKeyGrant(tx, m.id, checkSealedOrganizationKey(newKey, m.encryptionPublicKey, sealed.get(m.id)), actorId);
    }
    const seqRow = await tx.selectFrom('organization_key_rotations').select(sql<number>`coalesce(max(seq), 0)::int`.as('n')).executeTakeFirstOrThrow();
    await tx
      .insertInto('organization_key_rotations')
      .values({ seq: seqRow.n + 1, previous_key: org.publicKey, new_key: newKey, statement: JSON.stringify(parseKeyRotation(input.statement)), rotated_by: actorId })
      .execute();
    await tx
      .updateTable('organization')
      .set({ public_key: newKey, fingerprint: organizationFingerprint(decodeOrganizationPublicKey(newKey)), rotation_pending: false })
      .execute();
    await appendAuditEntry(tx, { action: 'organization.key_rotated', actorId, detail: { members: members.length, administrators: keepers.length } });
    const counter = await publishMembershipListIn(tx, actorId, input.membershipList, newKey);
    return { counter };
  });
}
