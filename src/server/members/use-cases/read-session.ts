import { ClearingError, type SessionInfo } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../http/authorize.js';
import { findOrganization, organizationInfo } from '../../organization/repository.js';

export interface ReadSessionProps {
  actor: Actor;
}

/** The current session: stage, anti-forgery token, member and organization. */
export async function readSession(database: Database, props: ReadSessionProps): Promise<SessionInfo> {
  const { actor } = props;
  const org = await findOrganization(database.db);
  if (!org) throw new ClearingError('NOT_SET_UP', { status: 409 });
  return {
    stage: actor.stage,
    csrfToken: actor.csrfToken,
    member: { id: actor.memberId, name: actor.name, role: actor.role, certified: actor.certified },
    organization: organizationInfo(org),
  };
}
