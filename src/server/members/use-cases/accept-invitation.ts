import { asMemberId, ClearingError, isUuid, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import { findOrganization } from '../../organization/repository.js';
import type { AuthContext } from '../context.js';
import { insertMember, recordInvitedMember, spendInvitation } from '../repository/index.js';
import { checkAuthPublicKey, checkKeyBundle } from '../validate.js';
import { usableInvitation } from './look-up-invitation.js';
import { refuseConfusableName } from './refuse-confusable-name.js';

export interface AcceptInvitationProps {
  token: string;
  member: { id: string; name: string; keyBundle: unknown; authPublicKey: string };
}

/** The invitee's keys were made in their browser; the invitation is spent in the same transaction that creates the member. */
export async function acceptInvitation(ctx: AuthContext, props: AcceptInvitationProps): Promise<{ memberId: MemberId }> {
  const { database } = ctx;
  const m = props.member;
  if (!isUuid(m.id)) throw new ClearingError('VALIDATION_FAILED', { params: { detail: 'member.id must be a UUID' } });
  const memberId = asMemberId(m.id);
  await usableInvitation(database, props.token);
  const org = await findOrganization(database.db);
  const bundle = checkKeyBundle(m.keyBundle, ctx.kdfPolicy, org?.publicKey ?? undefined);
  const authPublicKey = checkAuthPublicKey(m.authPublicKey);
  const name = m.name.normalize('NFC').trim();
  await database.db.transaction().execute(async (tx) => {
    await refuseConfusableName(tx, name);
    const spent = await spendInvitation(tx, props.token);
    if (!spent) throw new ClearingError('INVITATION_USED', { status: 410 });
    // Administrator invitations made before they had to be signed are not honoured.
    if (spent.role === 'administrator' && spent.statement === null) throw new ClearingError('INVITATION_INVALID', { status: 404 });
    const inserted = await insertMember(tx, {
      id: memberId,
      name,
      role: spent.role,
      keyBundle: bundle,
      encryptionPublicKey: bundle.encryptionPublicKey,
      signingPublicKey: bundle.signingPublicKey,
      authPublicKey,
      certificate: null,
      invitedBy: spent.createdBy,
    });
    if (!inserted) throw new ClearingError('NAME_TAKEN', { status: 409 });
    await recordInvitedMember(tx, spent.id, memberId);
    await appendAuditEntry(tx, { action: 'member.joined', actorId: memberId, subjectId: spent.id, detail: { role: spent.role } });
  });
  return { memberId };
}
