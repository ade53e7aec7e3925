import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  ClearingError,
  confusableWith,
  nameKey,
  decodeOrganizationPublicKey,
  isCryptoError,
  isUuid,
  verifyInvitationStatement,
  type InvitationCreated,
  type InvitationLookupResponse,
  type InvitationSummary,
  type Role,
} from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Database } from '../db/database.js';
import { findOrganization, organizationInfo } from '../organization/repository.js';
import type { AuthContext } from './context.js';
import type { Executor } from '../db/executor.js';
import { insertMember } from './repository.js';
import { checkAuthPublicKey, checkKeyBundle } from './validate.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** How far the expiry an administrator's browser signed may stray from now + expiresInHours (clock skew, a slow request). */
const expirySlackMs = 10 * 60_000;

/**
 * An administrator invitation must carry the organization key's signature
 * over its id, role and expiry (made in a certified administrator's
 * browser); the server cannot make one, nor can an administrator who never
 * received the key.
 */
function statementFor(organizationKey: string, input: { role: Role; expiresInHours: number; statement?: unknown }): { id: string; expiresAt: Date } | null {
  if (input.statement === undefined || input.statement === null) {
    if (input.role === 'administrator') {
      throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 400, params: { reason: 'missing' } });
    }
    return null;
  }
  let body;
  try {
    body = verifyInvitationStatement(decodeOrganizationPublicKey(organizationKey), input.statement);
  } catch (e) {
    if (isCryptoError(e)) throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 400, params: { reason: e.code }, cause: e });
    throw e;
  }
  const expiresAt = new Date(body.expiresAt);
  const intended = Date.now() + input.expiresInHours * 3600_000;
  if (body.role !== input.role || !isUuid(body.invitationId) || Math.abs(expiresAt.getTime() - intended) > expirySlackMs) {
    throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 400, params: { reason: 'mismatch' } });
  }
  return { id: body.invitationId, expiresAt };
}

export async function inviteMember(database: Database, actorId: string, input: { role: Role; expiresInHours: number; statement?: unknown }): Promise<InvitationCreated> {
  const token = randomBytes(32).toString('base64url');
  const org = await findOrganization(database.db);
  if (!org?.publicKey) throw new ClearingError('NOT_SET_UP', { status: 409 });
  const signed = statementFor(org.publicKey, input);
  const id = signed?.id ?? randomUUID();
  const expiresAt = signed?.expiresAt ?? new Date(Date.now() + input.expiresInHours * 3600_000);
  await database.db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('invitations')
      .values({ id, token_hash: hashToken(token), role: input.role, created_by: actorId, expires_at: expiresAt, statement: signed ? JSON.stringify(input.statement) : null })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 409, params: { reason: 'id' } });
    await appendAuditEntry(tx, { action: 'member.invited', actorId, subjectId: id, detail: { role: input.role, hours: input.expiresInHours } });
  });
  return { id, token, role: input.role, expiresAt: expiresAt.toISOString() };
}

export async function listInvitations(database: Database): Promise<InvitationSummary[]> {
  const rows = await database.db
    .selectFrom('invitations')
    .select(['id', 'role', 'created_by', 'created_at', 'expires_at', 'used_at', 'revoked_at', 'member_id', sql<boolean>`expires_at < now()`.as('expired')])
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role as Role,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    state: r.used_at ? 'used' : r.revoked_at ? 'revoked' : r.expired ? 'expired' : 'pending',
    memberId: r.member_id,
  }));
}

export async function revokeInvitation(database: Database, actorId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw new ClearingError('INVITATION_INVALID', { status: 404 });
  await database.db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('invitations')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new ClearingError('INVITATION_INVALID', { status: 404 });
    await appendAuditEntry(tx, { action: 'member.invitation_revoked', actorId, subjectId: id });
  });
}

async function usableInvitation(database: Database, token: string) {
  const row = await database.db
    .selectFrom('invitations')
    .select(['id', 'role', 'expires_at', 'used_at', 'revoked_at', 'created_by', sql<boolean>`expires_at <= now()`.as('expired')])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) throw new ClearingError('INVITATION_INVALID', { status: 404 });
  if (row.used_at) throw new ClearingError('INVITATION_USED', { status: 410 });
  if (row.expired) throw new ClearingError('INVITATION_EXPIRED', { status: 410 });
  return row;
}

export async function lookUpInvitation(database: Database, token: string): Promise<InvitationLookupResponse> {
  const row = await usableInvitation(database, token);
  const org = await findOrganization(database.db);
  if (!org) throw new ClearingError('NOT_SET_UP', { status: 409 });
  return { role: row.role as Role, expiresAt: new Date(row.expires_at).toISOString(), organization: organizationInfo(org) };
}

/** The invitee's keys were made in their browser; the invitation is spent in the same transaction that creates the member. */
export async function acceptInvitation(
  ctx: AuthContext,
  input: { token: string; member: { id: string; name: string; keyBundle: unknown; authPublicKey: string } },
): Promise<{ memberId: string }> {
  const { database } = ctx;
  const m = input.member;
  if (!isUuid(m.id)) throw new ClearingError('VALIDATION_FAILED', { params: { detail: 'member.id must be a UUID' } });
  await usableInvitation(database, input.token);
  const org = await findOrganization(database.db);
  const bundle = checkKeyBundle(m.keyBundle, ctx.kdfPolicy, org?.publicKey ?? undefined);
  const authPublicKey = checkAuthPublicKey(m.authPublicKey);
  const name = m.name.normalize('NFC').trim();
  await database.db.transaction().execute(async (tx) => {
    await refuseConfusableName(tx, name);
    const spent = await tx
      .updateTable('invitations')
      .set({ used_at: sql`now()` })
      .where('token_hash', '=', hashToken(input.token))
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning(['id', 'role', 'created_by', 'statement'])
      .executeTakeFirst();
    if (!spent) throw new ClearingError('INVITATION_USED', { status: 410 });
    // Administrator invitations made before they had to be signed are not honoured.
    if (spent.role === 'administrator' && spent.statement === null) throw new ClearingError('INVITATION_INVALID', { status: 404 });
    const inserted = await insertMember(tx, {
      id: m.id,
      name,
      role: spent.role as Role,
      keyBundle: bundle,
      encryptionPublicKey: bundle.encryptionPublicKey,
      signingPublicKey: bundle.signingPublicKey,
      authPublicKey,
      certificate: null,
      invitedBy: spent.created_by,
    });
    if (!inserted) throw new ClearingError('NAME_TAKEN', { status: 409 });
    await tx.updateTable('invitations').set({ member_id: m.id }).where('id', '=', spent.id).execute();
    await appendAuditEntry(tx, { action: 'member.joined', actorId: m.id, subjectId: spent.id, detail: { role: spent.role } });
  });
  return { memberId: m.id };
}

/**
 * Refuses a name that could be mistaken for an existing member's (same
 * UTS #39 skeleton, src/core/members/names.ts): "аnna" with a Cyrillic а
 * beside "anna". Removed members count too: their names stay in the audit
 * history. The organization row is locked so two look-alikes cannot join at once.
 */
export async function refuseConfusableName(tx: Executor, name: string): Promise<void> {
  await tx.selectFrom('organization').select('id').forUpdate().execute();
  const names = (await tx.selectFrom('members').select('name').execute()).map((r) => r.name);
  const similar = confusableWith(name, names);
  if (similar !== null && nameKey(similar) === nameKey(name)) throw new ClearingError('NAME_TAKEN', { status: 409 });
  if (similar !== null) throw new ClearingError('NAME_CONFUSABLE', { status: 409 });
}
