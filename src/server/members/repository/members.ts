import { sql, type Selectable, type Updateable } from 'kysely';
import { asMemberId, isRole, nameKey as coreNameKey, type MemberId, type MemberStatus, type Role } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import type { MembersTable } from '../../db/schema/index.js';
import { findOrganizationKeyGrant } from './organization-key-grants.js';

/** Names are compared without case or compatibility differences: "Anna" and "ａｎｎａ" are one login. */
export function nameKey(name: string): string {
  return coreNameKey(name);
}

export interface MemberRow {
  id: MemberId;
  name: string;
  role: Role;
  status: MemberStatus;
  keyBundle: unknown;
  encryptionPublicKey: string;
  signingPublicKey: string;
  certificate: unknown | null;
  certifiedAt: Date | null;
  /** Legacy slow hash of the pre-proof login key; null once the member logs in with proofs. */
  authHash: string | null;
  authPublicKey: string | null;
  /** Sealed with the server secret. */
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  totpLastStep: number | null;
  recoveryCodes: string[];
  createdAt: Date;
  lastActiveAt: Date | null;
}

const columns = [
  'id',
  'name',
  'role',
  'status',
  'key_bundle',
  'encryption_public_key',
  'signing_public_key',
  'certificate',
  'certified_at',
  'auth_hash',
  'auth_public_key',
  'totp_secret',
  'totp_enabled_at',
  'totp_last_step',
  'recovery_codes',
  'created_at',
  'last_active_at',
] as const;

type Selected = Pick<Selectable<MembersTable>, (typeof columns)[number]>;

function toMember(row: Selected): MemberRow {
  // The column is typed, but a database edited by hand may hold anything: refuse what no code could handle.
  if (!isRole(row.role)) throw new Error(`member ${row.id} has an unknown role`);
  return {
    id: asMemberId(row.id),
    name: row.name,
    role: row.role,
    status: row.status,
    keyBundle: row.key_bundle,
    encryptionPublicKey: row.encryption_public_key,
    signingPublicKey: row.signing_public_key,
    certificate: row.certificate ?? null,
    certifiedAt: row.certified_at ?? null,
    authHash: row.auth_hash ?? null,
    authPublicKey: row.auth_public_key ?? null,
    totpSecret: row.totp_secret ?? null,
    totpEnabledAt: row.totp_enabled_at ?? null,
    totpLastStep: row.totp_last_step === null || row.totp_last_step === undefined ? null : Number(row.totp_last_step),
    recoveryCodes: row.recovery_codes ?? [],
    createdAt: row.created_at,
    lastActiveAt: row.last_active_at ?? null,
  };
}

export async function findMemberById(db: Executor, id: MemberId): Promise<MemberRow | null> {
  const row = await db.selectFrom('members').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toMember(row) : null;
}

export async function findMemberByName(db: Executor, name: string): Promise<MemberRow | null> {
  const row = await db.selectFrom('members').select(columns).where('name_key', '=', nameKey(name)).executeTakeFirst();
  return row ? toMember(row) : null;
}

/** Locks the member's row for the rest of the transaction (role changes, removal). */
export async function lockMember(db: Executor, id: MemberId): Promise<MemberRow | null> {
  const row = await db.selectFrom('members').select(columns).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toMember(row) : null;
}

export async function listMembers(db: Executor): Promise<MemberRow[]> {
  const rows = await db.selectFrom('members').select(columns).orderBy('created_at').orderBy('id').execute();
  return rows.map(toMember);
}

export async function insertMember(
  db: Executor,
  m: {
    id: MemberId;
    name: string;
    role: Role;
    keyBundle: unknown;
    encryptionPublicKey: string;
    signingPublicKey: string;
    authPublicKey: string;
    certificate: unknown | null;
    invitedBy: MemberId | null;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('members')
    .values({
      id: m.id,
      name: m.name,
      name_key: nameKey(m.name),
      role: m.role,
      key_bundle: JSON.stringify(m.keyBundle),
      encryption_public_key: m.encryptionPublicKey,
      signing_public_key: m.signingPublicKey,
      auth_public_key: m.authPublicKey,
      certificate: m.certificate === null ? null : JSON.stringify(m.certificate),
      certified_at: m.certificate === null ? null : new Date(),
      invited_by: m.invitedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/**
 * Administrators who can still act as the organization: active, certified,
 * and holding the organization key (a grant row). An administrator invited
 * but never certified or granted the key does not count, so removing the
 * last one who does is refused: otherwise nobody could ever certify again.
 */
export async function countActiveAdministrators(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('members')
    .innerJoin('organization_key_grants', 'organization_key_grants.member_id', 'members.id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('members.role', '=', 'administrator')
    .where('members.status', '=', 'active')
    .where('members.certificate', 'is not', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Whether this member is one of those countActiveAdministrators counts. */
export async function isKeyHoldingAdministrator(db: Executor, member: MemberRow): Promise<boolean> {
  if (member.role !== 'administrator' || member.status !== 'active' || member.certificate === null) return false;
  return (await findOrganizationKeyGrant(db, member.id)) !== null;
}

export async function updateMember(
  db: Executor,
  id: MemberId,
  changes: Partial<{
    role: Role;
    status: MemberRow['status'];
    certificate: unknown | null;
    keyBundle: unknown;
    encryptionPublicKey: string;
    signingPublicKey: string;
    authHash: string | null;
    authPublicKey: string;
    totpSecret: string | null;
    totpEnabledAt: Date | null;
    totpLastStep: number | null;
    recoveryCodes: string[];
    lastActiveAt: Date;
  }>,
): Promise<void> {
  const set: Updateable<MembersTable> = {};
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.status !== undefined) set.status = changes.status;
  if (changes.certificate !== undefined) {
    set.certificate = changes.certificate === null ? null : JSON.stringify(changes.certificate);
    set.certified_at = changes.certificate === null ? null : new Date();
  }
  if (changes.keyBundle !== undefined) set.key_bundle = JSON.stringify(changes.keyBundle);
  if (changes.authHash !== undefined) set.auth_hash = changes.authHash;
  if (changes.authPublicKey !== undefined) set.auth_public_key = changes.authPublicKey;
  if (changes.totpSecret !== undefined) set.totp_secret = changes.totpSecret;
  if (changes.totpEnabledAt !== undefined) set.totp_enabled_at = changes.totpEnabledAt;
  if (changes.totpLastStep !== undefined) set.totp_last_step = changes.totpLastStep;
  if (changes.recoveryCodes !== undefined) set.recovery_codes = JSON.stringify(changes.recoveryCodes);
  if (changes.lastActiveAt !== undefined) set.last_active_at = changes.lastActiveAt;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('members').set(set).where('id', '=', id).execute();
}

/** Every member's name, removed members' too (their names stay in the audit history). */
export async function allMemberNames(db: Executor): Promise<string[]> {
  return (await db.selectFrom('members').select('name').execute()).map((r) => r.name);
}

// ── Login: statements whose conditions make them atomic (exactly one of concurrent requests wins) ──

/** Moves an account from the legacy login key to login proofs, once: true only for the request that did it. */
export async function moveToLoginProofs(db: Executor, id: MemberId, authPublicKey: string): Promise<boolean> {
  const moved = await db
    .updateTable('members')
    .set({ auth_public_key: authPublicKey, auth_hash: null })
    .where('id', '=', id)
    .where('auth_public_key', 'is', null)
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

/**
 * Spends a TOTP step: the update changes the row only if no code of this step
 * or a later one was accepted before, so of concurrent requests with one code
 * exactly one wins. Enrolling, it also enables TOTP, once.
 */
export async function spendTotpStep(db: Executor, id: MemberId, step: number, enrolling: boolean): Promise<boolean> {
  let query = db.updateTable('members').set({ totp_last_step: step }).where('id', '=', id);
  query = enrolling
    ? query.set({ totp_enabled_at: new Date() }).where('totp_enabled_at', 'is', null)
    : query.where('totp_enabled_at', 'is not', null).where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]));
  const updated = await query.executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Spends a recovery code by its hash: removed from the stored set by a conditional update that must change exactly one row; returns how many are left, or null. */
export async function spendRecoveryCodeHash(db: Executor, id: MemberId, hash: string): Promise<number | null> {
  const updated = await sql<{ remaining: number }>`
    UPDATE members SET recovery_codes = recovery_codes - ${hash}::text
    WHERE id = ${id} AND recovery_codes @> jsonb_build_array(${hash}::text)
    RETURNING jsonb_array_length(recovery_codes) AS remaining`.execute(db);
  return updated.rows.length === 1 ? updated.rows[0]!.remaining : null;
}

// ── A new TOTP secret waiting for its first code (account page) ──

export async function setPendingTotpSecret(db: Executor, id: MemberId, sealed: string, expiresAt: Date): Promise<void> {
  await db.updateTable('members').set({ totp_pending_secret: sealed, totp_pending_expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function findPendingTotpSecret(db: Executor, id: MemberId): Promise<{ sealed: string | null; expiresAt: Date | null } | null> {
  const row = await db.selectFrom('members').select(['totp_pending_secret', 'totp_pending_expires_at']).where('id', '=', id).executeTakeFirst();
  return row ? { sealed: row.totp_pending_secret, expiresAt: row.totp_pending_expires_at } : null;
}

/** Makes the pending secret the member's TOTP secret, only if it is still the one that was shown; true when it was. */
export async function confirmPendingTotpSecret(db: Executor, id: MemberId, sealed: string, step: number): Promise<boolean> {
  const updated = await db
    .updateTable('members')
    .set({
      totp_secret: sealed,
      totp_last_step: step,
      totp_enabled_at: sql`coalesce(totp_enabled_at, now())`,
      totp_pending_secret: null,
      totp_pending_expires_at: null,
    })
    .where('id', '=', id)
    .where('totp_pending_secret', '=', sealed)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

// ── Housekeeping ──

/** Members whose TOTP secret is stored, sealed or (from earlier versions) not. */
export async function listStoredTotpSecrets(db: Executor): Promise<{ id: MemberId; totpSecret: string }[]> {
  const rows = await db.selectFrom('members').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute();
  return rows.flatMap((r) => (r.totp_secret === null ? [] : [{ id: asMemberId(r.id), totpSecret: r.totp_secret }]));
}

/** Replaces a TOTP secret only if it is still `was`; true when this call replaced it. */
export async function replaceTotpSecretIf(db: Executor, id: MemberId, was: string, sealed: string): Promise<boolean> {
  const result = await db.updateTable('members').set({ totp_secret: sealed }).where('id', '=', id).where('totp_secret', '=', was).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
