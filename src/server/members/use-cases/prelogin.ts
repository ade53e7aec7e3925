import { newKdfParams, parseKeyBundle, toBase64url, type PreloginResponse } from '../../../core/index.js';
import type { AuthContext } from '../context.js';
import { findMemberByName, issueLoginChallenge } from '../repository/index.js';

export interface PreloginProps {
  name: string;
}

/**
 * Parameters and a single-use challenge for a name. A name that is no member
 * gets a decoy made from the server secret (no database read beyond the one
 * lookup every name gets): the default parameters, a salt that changes now
 * and then as members' salts do, and an id shaped like a member's.
 */
export async function prelogin(ctx: AuthContext, props: PreloginProps): Promise<PreloginResponse> {
  const { name } = props;
  const member = await findMemberByName(ctx.database.db, name);
  const challenge = await issueLoginChallenge(ctx.database.db, ctx.secrets.nameTag(name), 'login');
  if (member) {
    const kdf = parseKeyBundle(member.keyBundle).kdf;
    return { kdf, challenge, memberId: member.id, ...(member.authPublicKey === null ? { upgrade: true as const } : {}) };
  }
  const kdf = { ...newKdfParams(), salt: toBase64url(new Uint8Array(ctx.secrets.decoySalt(name))) };
  return { kdf, challenge, memberId: ctx.secrets.decoyMemberId(name) };
}
