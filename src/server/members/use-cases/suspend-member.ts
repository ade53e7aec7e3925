import type { MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateMember } from '../repository/index.js';
import { revokeMemberSessions } from '../repository/sessions.js';
import { assertAdministratorsRemain, lockTarget, notSelf } from './guards.js';

export interface SuspendMemberProps {
  actorId: MemberId;
  memberId: MemberId;
}

/** Suspends a member: their sessions end and they cannot log in. The shape every use case follows: one transaction, lock, check, write, audit. */
export async function suspendMember(database: Database, props: SuspendMemberProps): Promise<void> {
  const { actorId, memberId } = props;
  notSelf(actorId, memberId);
  await database.db.transaction().execute(async (tx) => {
    const member = await lockTarget(tx, memberId);
    if (member.status === 'suspended') return;
    await assertAdministratorsRemain(tx, member);
    await updateMember(tx, member.id, { status: 'suspended' });
    await revokeMemberSessions(tx, member.id);
    await appendAuditEntry(tx, { action: 'member.suspended', actorId, subjectId: member.id });
  });
}
