import { asMemberId, isRole, isUuid, type MemberAccessRecord, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** What the member policy decides from (src/core/policies/member.ts): the account's id, status and role, nothing secret. */
export async function findMemberAccessRecord(db: Executor, id: MemberId): Promise<MemberAccessRecord | null> {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom('members').select(['id', 'status', 'role']).where('id', '=', id).executeTakeFirst();
  if (!row || !isRole(row.role)) return null;
  return { kind: 'member', id: asMemberId(row.id), status: row.status, role: row.role };
}

/** Many at once, for presenting abilities on a list. */
export function accessRecordOf(member: { id: MemberId; status: MemberAccessRecord['status']; role: MemberAccessRecord['role'] }): MemberAccessRecord {
  return { kind: 'member', id: member.id, status: member.status, role: member.role };
}
