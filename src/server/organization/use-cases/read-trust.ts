import type { KeyRotationsResponse, MembershipListResponse } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { findRotationPending, latestMembershipList, listKeyRotationStatements } from '../repository.js';

/** The newest signed membership list and every rotation since the key members pinned. */
export async function readMembershipList(database: Database): Promise<MembershipListResponse> {
  return { list: await latestMembershipList(database.db), rotations: await listKeyRotationStatements(database.db) };
}

/** Every organization-key rotation, and whether one is due (a key holder left). */
export async function readKeyRotations(database: Database): Promise<KeyRotationsResponse> {
  const pending = await findRotationPending(database.db);
  return { rotations: await listKeyRotationStatements(database.db), rotationPending: pending ?? false };
}
