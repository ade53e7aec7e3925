import { ClearingError, type MemberId } from '../../../core/index.js';
import { findOrganization } from '../../organization/repository.js';
import type { AuthContext } from '../context.js';
import { findMemberById, updateMember } from '../repository/index.js';
import { newTotpSecret, totpUri } from '../totp.js';

export interface BeginTotpEnrollmentProps {
  memberId: MemberId;
}

/** The first login: a TOTP secret to set up, shown once (sealed with the server secret when stored). */

export async function beginTotpEnrollment(ctx: AuthContext, props: BeginTotpEnrollmentProps): Promise<{ secret: string; uri: string }> {
  const { memberId } = props;
  const { db } = ctx.database;
  const member = await findMemberById(db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  if (member.totpEnabledAt) throw new ClearingError('TOTP_NOT_ENROLLING', { status: 409 });
  const org = await findOrganization(db);
  const secret = newTotpSecret();
  await updateMember(db, memberId, { totpSecret: ctx.secrets.sealTotpSecret(memberId, secret) });
  return { secret, uri: totpUri(secret, org?.name ?? '', member.name) };
}
