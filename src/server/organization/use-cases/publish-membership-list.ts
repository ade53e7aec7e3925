import { ClearingError, decodeOrganizationPublicKey, verifyMembershipList, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import type { Executor } from '../../db/executor.js';
import { listMembers } from '../../members/repository/index.js';
import { insertMembershipList, latestMembershipListCounter } from '../repository.js';
import { lockOrganization, rejected } from './trust-guards.js';

/**
 * Stores a list signed with the current organization key whose counter is
 * exactly one more than the last, and whose members agree with the members
 * table (names, roles, keys, status): the server keeps no list it would
 * contradict itself. Runs inside the caller's transaction (setup and rotation publish one too).
 */
export async function publishMembershipListIn(tx: Executor, actorId: MemberId, input: unknown, organizationKey?: string): Promise<number> {
  const org = await lockOrganization(tx);
  const key = organizationKey ?? org.publicKey;
  let verified: ReturnType<typeof verifyMembershipList>;
  try {
    verified = verifyMembershipList(decodeOrganizationPublicKey(key), input);
  } catch (e) {
    return rejected('MEMBERSHIP_LIST_REJECTED', e);
  }
  const expected = (await latestMembershipListCounter(tx)) + 1;
  if (verified.counter !== expected) {
    throw new ClearingError('MEMBERSHIP_LIST_REJECTED', {
      status: 409,
      params: { reason: 'counter', expected },
    });
  }
  const members = new Map<string, Awaited<ReturnType<typeof listMembers>>[number]>((await listMembers(tx)).map((m) => [m.id, m]));
  for (const entry of verified.members.values()) {
    const m = members.get(entry.id);
    const agrees =
      m !== undefined &&
      m.status !== 'removed' &&
      m.status === entry.status &&
      m.name === entry.name &&
      m.role === entry.role &&
      m.certificate !== null &&
      m.encryptionPublicKey === entry.encryptionPublicKey &&
      m.signingPublicKey === entry.signingPublicKey;
    if (!agrees) throw new ClearingError('MEMBERSHIP_LIST_REJECTED', { status: 409, params: { reason: 'member', member: entry.id } });
  }
  await insertMembershipList(tx, { counter: verified.counter, organizationKey: key, list: verified.list, publishedBy: actorId });
  await appendAuditEntry(tx, { action: 'membership.list_published', actorId, detail: { counter: verified.counter, members: verified.members.size } });
  return verified.counter;
}

export interface PublishMembershipListProps {
  actorId: MemberId;
  list: unknown;
}

export async function publishMembershipList(database: Database, props: PublishMembershipListProps): Promise<{ counter: number }> {
  return { counter: await database.db.transaction().execute((tx) => publishMembershipListIn(tx, props.actorId, props.list)) };
}
