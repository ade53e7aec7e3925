import type { LoginProofPurpose, MemberId } from '../../../core/index.js';
import type { AuthContext } from '../context.js';
import { issueLoginChallenge } from '../repository/index.js';

export interface RequestAccountChallengeProps {
  memberId: MemberId;
  purpose: Exclude<LoginProofPurpose, 'login'>;
}

/** A single-use challenge for a proof by the member's authentication key (passphrase change). */
export async function requestAccountChallenge(ctx: AuthContext, props: RequestAccountChallengeProps): Promise<{ challenge: string }> {
  const { memberId, purpose } = props;
  return { challenge: await issueLoginChallenge(ctx.database.db, ctx.secrets.tag('member', memberId), purpose) };
}
