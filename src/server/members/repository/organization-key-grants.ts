import { asMemberId, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** The organization key sealed to each administrator who holds it: one row per administrator. */
export async function findOrganizationKeyGrant(db: Executor, memberId: MemberId): Promise<unknown | null> {
  const row = await db.selectFrom('organization_key_grants').select('sealed_key').where('member_id', '=', memberId).executeTakeFirst();
  return row?.sealed_key ?? null;
}

export async function putOrganizationKeyGrant(db: Executor, memberId: MemberId, sealed: unknown, grantedBy: MemberId | null): Promise<void> {
  await db
    .insertInto('organization_key_grants')
    .values({ member_id: memberId, sealed_key: JSON.stringify(sealed), granted_by: grantedBy })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ sealed_key: JSON.stringify(sealed), granted_by: grantedBy }))
    .execute();
}

export async function deleteOrganizationKeyGrant(db: Executor, memberId: MemberId): Promise<void> {
  await db.deleteFrom('organization_key_grants').where('member_id', '=', memberId).execute();
}

/** Everyone who holds the organization key now. */
export async function listOrganizationKeyHolders(db: Executor): Promise<MemberId[]> {
  return (await db.selectFrom('organization_key_grants').select('member_id').execute()).map((g) => asMemberId(g.member_id));
}
