import type { MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { markRotationPending } from '../../organization/repository.js';
import { deleteOrganizationKeyGrant, findOrganizationKeyGrant, updateMember } from '../repository/index.js';
import { revokeMemberSessions } from '../repository/sessions.js';
import { markDepartureRotations } from '../../cases/use-cases/revoke-member.js';
import { assertAdministratorsRemain, lockTarget, notSelf } from './guards.js';

export interface RemoveMemberProps {
  actorId: MemberId;
  memberId: MemberId;
}

/**
 * Removal is final and one action: sessions end, the organization key grant is
 * withdrawn, the member disappears from the directory so no client shares
 * new keys with them, and every case compartment they held waits for a
 * rotation that drops them (refused, CASE_HOLDERS_TOO_FEW, if a compartment
 * would keep fewer than two holders). Their certificate stays, marked removed,
 * so the statements and records they signed while a member still verify.
 */
export async function removeMember(database: Database, props: RemoveMemberProps): Promise<void> {
  const { actorId, memberId } = props;
  notSelf(actorId, memberId);
  await database.db.transaction().execute(async (tx) => {
    const member = await lockTarget(tx, memberId);
    await assertAdministratorsRemain(tx, member);
    if (member.role === 'administrator' && (await findOrganizationKeyGrant(tx, member.id)) !== null) await markRotationPending(tx);
    // The authenticator secret and recovery codes are of no more use to anyone: wipe them.
    const compartments = await markDepartureRotations(tx, { actorId, memberId: member.id });
    await updateMember(tx, member.id, { status: 'removed', totpSecret: null, recoveryCodes: [] });
    await deleteOrganizationKeyGrant(tx, member.id);
    await revokeMemberSessions(tx, member.id);
    await appendAuditEntry(tx, { action: 'member.removed', actorId, subjectId: member.id, detail: { role: member.role, compartments } });
  });
}
