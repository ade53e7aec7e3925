import type { MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateMember } from '../repository/index.js';
import { lockTarget } from './guards.js';

export interface ReinstateMemberProps {
  actorId: MemberId;
  memberId: MemberId;
}

/** Lifts a suspension; a member who is not suspended is left as they are. */
export async function reinstateMember(database: Database, props: ReinstateMemberProps): Promise<void> {
  const { actorId, memberId } = props;
  await database.db.transaction().execute(async (tx) => {
    const member = await lockTarget(tx, memberId);
    if (member.status !== 'suspended') return;
    await updateMember(tx, member.id, { status: 'active' });
    await appendAuditEntry(tx, { action: 'member.reinstated', actorId, subjectId: member.id });
  });
}
