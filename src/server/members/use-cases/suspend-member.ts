import type { MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateMember } from '../repository/index.js';
import { revokeMemberSessions } from '../repository/sessions.js';
import { markDepartureRotations } from '../../cases/use-cases/revoke-member.js';
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
    // A suspended member is out of every case too: their compartments wait for a rotation (reinstating grants anew).
    const compartments = await markDepartureRotations(tx, { actorId, memberId: member.id });
    await updateMember(tx, member.id, { status: 'suspended' });
    await revokeMemberSessions(tx, member.id);
    await appendAuditEntry(tx, { action: 'member.suspended', actorId, subjectId: member.id, detail: { compartments } });
  });
}
