import { randomBytes, randomUUID } from 'node:crypto';
import { asInvitationId, ClearingError, type InvitationCreated, type MemberId, type Role } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { findOrganization } from '../../organization/repository.js';
import { insertInvitation } from '../repository/index.js';
import { checkInvitationStatement } from './invitation-statement.js';

export interface InviteMemberProps {
  actorId: MemberId;
  role: Role;
  expiresInHours: number;
  /** The organization key's signature over id, role and expiry; required for an administrator. */
  statement?: unknown;
}

/** An invitation with a role; returns the one-time token for the link (only its hash is stored). */
export async function inviteMember(database: Database, props: InviteMemberProps): Promise<InvitationCreated> {
  const { actorId, ...input } = props;
  const token = randomBytes(32).toString('base64url');
  const org = await findOrganization(database.db);
  if (!org?.publicKey) throw new ClearingError('NOT_SET_UP', { status: 409 });
  const signed = checkInvitationStatement(org.publicKey, input);
  const id = signed?.id ?? asInvitationId(randomUUID());
  const expiresAt = signed?.expiresAt ?? new Date(Date.now() + input.expiresInHours * 3600_000);
  await database.db.transaction().execute(async (tx) => {
    const inserted = await insertInvitation(tx, { id, token, role: input.role, createdBy: actorId, expiresAt, statement: signed ? input.statement : null });
    if (!inserted) throw new ClearingError('INVITATION_STATEMENT_REJECTED', { status: 409, params: { reason: 'id' } });
    await appendAuditEntry(tx, { action: 'member.invited', actorId, subjectId: id, detail: { role: input.role, hours: input.expiresInHours } });
  });
  return { id, token, role: input.role, expiresAt: expiresAt.toISOString() };
}
