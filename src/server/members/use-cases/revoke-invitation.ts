import { asInvitationId, ClearingError, isUuid, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { revokePendingInvitation } from '../repository/index.js';

export interface RevokeInvitationProps {
  actorId: MemberId;
  invitationId: string;
}

export async function revokeInvitation(database: Database, props: RevokeInvitationProps): Promise<void> {
  const { actorId } = props;
  if (!isUuid(props.invitationId)) throw new ClearingError('INVITATION_INVALID', { status: 404 });
  const id = asInvitationId(props.invitationId);
  await database.db.transaction().execute(async (tx) => {
    if (!(await revokePendingInvitation(tx, id))) throw new ClearingError('INVITATION_INVALID', { status: 404 });
    await appendAuditEntry(tx, { action: 'member.invitation_revoked', actorId, subjectId: id });
  });
}
