import { sql } from 'kysely';
import type { MemberId } from '../../core/index.js';
import type { Executor } from '../db/executor.js';

export interface Organization {
  name: string;
  defaultLanguage: 'en' | 'ru';
  publicKey: string | null;
  fingerprint: string | null;
  createdAt: Date;
}

export async function findOrganization(db: Executor): Promise<Organization | null> {
  const row = await db.selectFrom('organization').select(['name', 'default_language', 'public_key', 'fingerprint', 'created_at']).executeTakeFirst();
  if (!row) return null;
  return {
    name: row.name,
    defaultLanguage: row.default_language === 'ru' ? 'ru' : 'en',
    publicKey: row.public_key,
    fingerprint: row.fingerprint,
    createdAt: row.created_at,
  };
}

export function organizationInfo(org: Organization) {
  return { name: org.name, defaultLanguage: org.defaultLanguage, publicKey: org.publicKey, fingerprint: org.fingerprint };
}

/** Inserts the single organization row; returns false when one already exists. */
export async function insertOrganization(
  db: Executor,
  org: { name: string; defaultLanguage: 'en' | 'ru'; publicKey: string; fingerprint: string },
): Promise<boolean> {
  const result = await db
    .insertInto('organization')
    .values({ id: 1, name: org.name, default_language: org.defaultLanguage, public_key: org.publicKey, fingerprint: org.fingerprint })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Locks the organization row for the rest of the transaction: the one lock that serialises joining and changes of trust. */
export async function lockOrganizationRow(db: Executor): Promise<void> {
  await db.selectFrom('organization').select('id').forUpdate().execute();
}

/** Marks that a former key holder may have kept the organization key: it must be rotated. */
export async function markRotationPending(db: Executor): Promise<void> {
  await db.updateTable('organization').set({ rotation_pending: true }).execute();
}

/** Locks the organization row and reads what a change of trust needs; null before setup. */
export async function lockOrganizationForTrust(db: Executor): Promise<{ publicKey: string | null; rotationPending: boolean } | null> {
  const row = await db.selectFrom('organization').select(['public_key', 'rotation_pending']).forUpdate().executeTakeFirst();
  return row ? { publicKey: row.public_key, rotationPending: row.rotation_pending } : null;
}

export async function findRotationPending(db: Executor): Promise<boolean | null> {
  const row = await db.selectFrom('organization').select('rotation_pending').executeTakeFirst();
  return row ? row.rotation_pending : null;
}

/** The new key after a verified rotation; the pending flag clears with it. */
export async function replaceOrganizationKey(db: Executor, publicKey: string, fingerprint: string): Promise<void> {
  await db.updateTable('organization').set({ public_key: publicKey, fingerprint, rotation_pending: false }).execute();
}

// ── Signed membership lists ──

export async function latestMembershipListCounter(db: Executor): Promise<number> {
  const row = await db.selectFrom('membership_lists').select(sql<string | null>`max(counter)::text`.as('n')).executeTakeFirst();
  return row?.n ? Number(row.n) : 0;
}

export async function insertMembershipList(
  db: Executor,
  list: { counter: number; organizationKey: string; list: unknown; publishedBy: MemberId },
): Promise<void> {
  await db
    .insertInto('membership_lists')
    .values({ counter: list.counter, organization_key: list.organizationKey, list: JSON.stringify(list.list), published_by: list.publishedBy })
    .execute();
}

/** The newest list as signed, or null when none was published. */
export async function latestMembershipList(db: Executor): Promise<unknown | null> {
  const row = await db.selectFrom('membership_lists').select('list').orderBy('counter', 'desc').limit(1).executeTakeFirst();
  return row?.list ?? null;
}

// ── Organization-key rotations ──

/** Every rotation statement, oldest first. */
export async function listKeyRotationStatements(db: Executor): Promise<unknown[]> {
  return (await db.selectFrom('organization_key_rotations').select('statement').orderBy('seq').execute()).map((r) => r.statement);
}

/** Appends a rotation with the next sequence number. */
export async function insertKeyRotation(
  db: Executor,
  rotation: { previousKey: string; newKey: string; statement: unknown; rotatedBy: MemberId },
): Promise<void> {
  const seqRow = await db.selectFrom('organization_key_rotations').select(sql<number>`coalesce(max(seq), 0)::int`.as('n')).executeTakeFirstOrThrow();
  await db
    .insertInto('organization_key_rotations')
    .values({
      seq: seqRow.n + 1,
      previous_key: rotation.previousKey,
      new_key: rotation.newKey,
      statement: JSON.stringify(rotation.statement),
      rotated_by: rotation.rotatedBy,
    })
    .execute();
}
