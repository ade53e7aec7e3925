import { sql } from 'kysely';
import type { CaseCompartmentName, CaseId, MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

export interface CompartmentRow {
  compartment: CaseCompartmentName;
  epoch: number;
}

export async function insertCompartment(db: Executor, caseId: CaseId, compartment: CaseCompartmentName): Promise<void> {
  await db.insertInto('compartments').values({ case_id: caseId, compartment, current_epoch: 0 }).execute();
}

export async function listCompartments(db: Executor, caseId: CaseId): Promise<CompartmentRow[]> {
  const rows = await db.selectFrom('compartments').select(['compartment', 'current_epoch']).where('case_id', '=', caseId).execute();
  return rows.map((r) => ({ compartment: r.compartment as CaseCompartmentName, epoch: r.current_epoch }));
}

/** Locks one compartment: record writes and rotations of it are serialized. */
export async function lockCompartment(db: Executor, caseId: CaseId, compartment: CaseCompartmentName): Promise<CompartmentRow | null> {
  const row = await db
    .selectFrom('compartments')
    .select(['compartment', 'current_epoch'])
    .where('case_id', '=', caseId)
    .where('compartment', '=', compartment)
    .forUpdate()
    .executeTakeFirst();
  return row ? { compartment: row.compartment as CaseCompartmentName, epoch: row.current_epoch } : null;
}

export async function setCurrentEpoch(db: Executor, caseId: CaseId, compartment: CaseCompartmentName, epoch: number): Promise<void> {
  await db.updateTable('compartments').set({ current_epoch: epoch }).where('case_id', '=', caseId).where('compartment', '=', compartment).execute();
}

export async function insertEpoch(
  db: Executor,
  row: { caseId: CaseId; compartment: CaseCompartmentName; epoch: number; publicKey: string; link: string | null; createdBy: MemberId },
): Promise<void> {
  await db
    .insertInto('compartment_epochs')
    .values({ case_id: row.caseId, compartment: row.compartment, epoch: row.epoch, public_key: row.publicKey, link: row.link, created_by: row.createdBy })
    .execute();
}

export async function listEpochLinks(db: Executor, caseId: CaseId): Promise<{ compartment: string; epoch: number; link: string }[]> {
  const rows = await db
    .selectFrom('compartment_epochs')
    .select(['compartment', 'epoch', 'link'])
    .where('case_id', '=', caseId)
    .where('link', 'is not', null)
    .orderBy('compartment')
    .orderBy('epoch')
    .execute();
  return rows.map((r) => ({ compartment: r.compartment, epoch: r.epoch, link: r.link as string }));
}

export async function insertGrants(
  db: Executor,
  rows: readonly { caseId: CaseId; compartment: CaseCompartmentName; epoch: number; memberId: MemberId; sealedKey: unknown; grantedBy: MemberId }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('compartment_grants')
    .values(
      rows.map((r) => ({
        case_id: r.caseId,
        compartment: r.compartment,
        epoch: r.epoch,
        member_id: r.memberId,
        sealed_key: JSON.stringify(r.sealedKey),
        granted_by: r.grantedBy,
      })),
    )
    .execute();
}

/** Grants of earlier epochs stop being current when a compartment rotates. */
export async function retireGrants(db: Executor, caseId: CaseId, compartment: CaseCompartmentName, beforeEpoch: number): Promise<void> {
  await db
    .updateTable('compartment_grants')
    .set({ current: false })
    .where('case_id', '=', caseId)
    .where('compartment', '=', compartment)
    .where('epoch', '<', beforeEpoch)
    .where('current', '=', true)
    .execute();
}

/** Who has a sealed key at the current epoch of each compartment (what the browser audits). */
export async function listCurrentHolders(db: Executor, caseId: CaseId): Promise<{ compartment: string; memberId: string }[]> {
  const rows = await db
    .selectFrom('compartment_grants')
    .select(['compartment', 'member_id'])
    .where('case_id', '=', caseId)
    .where('current', '=', true)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ compartment: r.compartment, memberId: r.member_id }));
}

/** The caller's sealed keys at the current epochs, except where they are to leave at the next rotation. */
export async function listMyCurrentKeys(db: Executor, caseId: CaseId, memberId: MemberId): Promise<{ compartment: string; sealedKey: unknown }[]> {
  const rows = await db
    .selectFrom('compartment_grants as g')
    .select(['g.compartment', 'g.sealed_key'])
    .where('g.case_id', '=', caseId)
    .where('g.member_id', '=', memberId)
    .where('g.current', '=', true)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pending_rotations as p')
            .select('p.member_id')
            .whereRef('p.case_id', '=', 'g.case_id')
            .whereRef('p.compartment', '=', 'g.compartment')
            .whereRef('p.member_id', '=', 'g.member_id'),
        ),
      ),
    )
    .orderBy('g.compartment')
    .execute();
  return rows.map((r) => ({ compartment: r.compartment, sealedKey: r.sealed_key }));
}

export interface PendingRemovalRow {
  compartment: string;
  memberId: string;
  reason: string;
  requestedBy: string | null;
}

export async function listPendingRemovals(db: Executor, caseId: CaseId, compartment?: CaseCompartmentName): Promise<PendingRemovalRow[]> {
  let q = db.selectFrom('pending_rotations').select(['compartment', 'member_id', 'reason', 'requested_by']).where('case_id', '=', caseId);
  if (compartment) q = q.where('compartment', '=', compartment);
  const rows = await q.orderBy('requested_at').execute();
  return rows.map((r) => ({ compartment: r.compartment, memberId: r.member_id, reason: r.reason, requestedBy: r.requested_by }));
}

export async function addPendingRemovals(
  db: Executor,
  rows: readonly { caseId: string; compartment: string; memberId: MemberId; reason: string; requestedBy: MemberId | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('pending_rotations')
    .values(rows.map((r) => ({ case_id: r.caseId, compartment: r.compartment, member_id: r.memberId, reason: r.reason, requested_by: r.requestedBy })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function clearPendingRemovals(db: Executor, caseId: CaseId, compartment: CaseCompartmentName): Promise<void> {
  await db.deleteFrom('pending_rotations').where('case_id', '=', caseId).where('compartment', '=', compartment).execute();
}

/** Every current grant a member holds, across cases, locked: what leaving the organization takes from them. */
export async function lockHeldCompartments(db: Executor, memberId: MemberId): Promise<{ caseId: string; code: string; compartment: string }[]> {
  const rows = await db
    .selectFrom('compartment_grants as g')
    .innerJoin('cases as c', 'c.id', 'g.case_id')
    .select(['g.case_id', 'c.code', 'g.compartment'])
    .where('g.member_id', '=', memberId)
    .where('g.current', '=', true)
    .orderBy('g.case_id')
    .orderBy('g.compartment')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ caseId: r.case_id, code: r.code, compartment: r.compartment }));
}

/**
 * Holders of a compartment who will remain: current grant, active member,
 * not already to leave. No compartment may go below two of them.
 */
export async function countRemainingHolders(db: Executor, caseId: string, compartment: string, without: MemberId): Promise<number> {
  const row = await db
    .selectFrom('compartment_grants as g')
    .innerJoin('members as m', 'm.id', 'g.member_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('g.case_id', '=', caseId)
    .where('g.compartment', '=', compartment)
    .where('g.current', '=', true)
    .where('g.member_id', '!=', without)
    .where('m.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pending_rotations as p')
            .select('p.member_id')
            .whereRef('p.case_id', '=', 'g.case_id')
            .whereRef('p.compartment', '=', 'g.compartment')
            .whereRef('p.member_id', '=', 'g.member_id'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Compartments waiting for a rotation that the member can do (they hold them and are not leaving them). */
export async function listPendingRotationsFor(db: Executor, memberId: MemberId): Promise<{ caseId: string; code: string; compartment: string }[]> {
  const rows = await db
    .selectFrom('pending_rotations as p')
    .innerJoin('compartment_grants as g', (j) =>
      j.onRef('g.case_id', '=', 'p.case_id').onRef('g.compartment', '=', 'p.compartment').on('g.member_id', '=', memberId).on('g.current', '=', true),
    )
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select(['p.case_id', 'c.code', 'p.compartment'])
    .distinct()
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pending_rotations as mine')
            .select('mine.member_id')
            .whereRef('mine.case_id', '=', 'p.case_id')
            .whereRef('mine.compartment', '=', 'p.compartment')
            .where('mine.member_id', '=', memberId),
        ),
      ),
    )
    .orderBy('p.case_id')
    .orderBy('p.compartment')
    .execute();
  return rows.map((r) => ({ caseId: r.case_id, code: r.code, compartment: r.compartment }));
}

/** Signing and encryption keys and status of the members a chain or a grant names (the server's second wall). */
export async function findMemberKeys(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, { signingPublicKey: string; encryptionPublicKey: string; role: string; status: string; certified: boolean; certificate: unknown }>> {
  const out = new Map<
    string,
    { signingPublicKey: string; encryptionPublicKey: string; role: string; status: string; certified: boolean; certificate: unknown }
  >();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('members')
    .select(['id', 'signing_public_key', 'encryption_public_key', 'role', 'status', 'certificate', 'certified_at'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  for (const r of rows) {
    out.set(r.id, {
      signingPublicKey: r.signing_public_key,
      encryptionPublicKey: r.encryption_public_key,
      role: r.role,
      status: r.status,
      certified: r.certificate !== null && r.certified_at !== null,
      certificate: r.certificate,
    });
  }
  return out;
}

export const nowSql = sql<Date>`now()`;
