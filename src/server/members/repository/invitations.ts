import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { asInvitationId, asMemberId, isRole, type InvitationId, type MemberId, type Role } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** Invitations: only the hash of a link's token is stored, so a database copy cannot join. */
export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface InvitationRow {
  id: InvitationId;
  role: Role;
  createdBy: MemberId;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  memberId: MemberId | null;
  expired: boolean;
}

function roleOf(id: string, role: string): Role {
  if (!isRole(role)) throw new Error(`invitation ${id} has an unknown role`);
  return role;
}

/** Inserts an invitation; false when its id is taken (a signed statement names the id). */
export async function insertInvitation(
  db: Executor,
  invitation: { id: InvitationId; token: string; role: Role; createdBy: MemberId; expiresAt: Date; statement: unknown | null },
): Promise<boolean> {
  const inserted = await db
    .insertInto('invitations')
    .values({
      id: invitation.id,
      token_hash: hashInvitationToken(invitation.token),
      role: invitation.role,
      created_by: invitation.createdBy,
      expires_at: invitation.expiresAt,
      statement: invitation.statement === null ? null : JSON.stringify(invitation.statement),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Newest first, at most `limit`; `expired` as the database's clock sees it (expires_at < now()). */
export async function listInvitationRows(db: Executor, limit: number): Promise<InvitationRow[]> {
  const rows = await db
    .selectFrom('invitations')
    .select(['id', 'role', 'created_by', 'created_at', 'expires_at', 'used_at', 'revoked_at', 'member_id', sql<boolean>`expires_at < now()`.as('expired')])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: asInvitationId(r.id),
    role: roleOf(r.id, r.role),
    createdBy: asMemberId(r.created_by),
    createdAt: r.created_at,
    expiresAt: new Date(r.expires_at),
    usedAt: r.used_at,
    revokedAt: r.revoked_at,
    memberId: r.member_id === null ? null : asMemberId(r.member_id),
    expired: r.expired,
  }));
}

/** The invitation a link's token names, whatever its state; `expired` is expires_at <= now(). */
export async function findInvitationByToken(
  db: Executor,
  token: string,
): Promise<Pick<InvitationRow, 'id' | 'role' | 'createdBy' | 'expiresAt' | 'usedAt' | 'revokedAt' | 'expired'> | null> {
  const row = await db
    .selectFrom('invitations')
    .select(['id', 'role', 'expires_at', 'used_at', 'revoked_at', 'created_by', sql<boolean>`expires_at <= now()`.as('expired')])
    .where('token_hash', '=', hashInvitationToken(token))
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: asInvitationId(row.id),
    role: roleOf(row.id, row.role),
    createdBy: asMemberId(row.created_by),
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
    expired: row.expired,
  };
}

/** Revokes a pending invitation; false when there is no pending one with this id. */
export async function revokePendingInvitation(db: Executor, id: InvitationId): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Spends an invitation: exactly one request can, and only while it is pending and unexpired. */
export async function spendInvitation(
  db: Executor,
  token: string,
): Promise<{ id: InvitationId; role: Role; createdBy: MemberId; statement: unknown | null } | null> {
  const spent = await db
    .updateTable('invitations')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', hashInvitationToken(token))
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['id', 'role', 'created_by', 'statement'])
    .executeTakeFirst();
  if (!spent) return null;
  return { id: asInvitationId(spent.id), role: roleOf(spent.id, spent.role), createdBy: asMemberId(spent.created_by), statement: spent.statement };
}

export async function recordInvitedMember(db: Executor, id: InvitationId, memberId: MemberId): Promise<void> {
  await db.updateTable('invitations').set({ member_id: memberId }).where('id', '=', id).execute();
}

/** Used, revoked or expired invitations older than `days`. */
export async function purgeEndedInvitations(db: Executor, days: number): Promise<number> {
  const invitations = await db
    .deleteFrom('invitations')
    .where((eb) =>
      eb.or([
        eb('used_at', '<', sql<Date>`now() - make_interval(days => ${days})`),
        eb('revoked_at', '<', sql<Date>`now() - make_interval(days => ${days})`),
        eb('expires_at', '<', sql<Date>`now() - make_interval(days => ${days})`),
      ]),
    )
    .executeTakeFirst();
  return Number(invitations.numDeletedRows);
}
