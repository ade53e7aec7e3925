import { ClearingError, isCryptoError, type ErrorCode } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { lockOrganizationForTrust } from '../repository.js';

/*
 * The server's part in the signed membership list and in organization-key
 * rotation: it stores what administrators' browsers signed and refuses what
 * does not verify or does not follow on, but it can make none of it. Members'
 * browsers check every signature again themselves (src/web/membership.ts).
 */

export function rejected(code: ErrorCode, error: unknown): never {
  if (isCryptoError(error)) throw new ClearingError(code, { status: 400, params: { reason: error.code }, cause: error });
  throw error;
}

/** Serializes every change of trust (lists, rotations) behind the one organization row. */
export async function lockOrganization(tx: Executor): Promise<{ publicKey: string; rotationPending: boolean }> {
  const row = await lockOrganizationForTrust(tx);
  if (!row?.publicKey) throw new ClearingError('NOT_SET_UP', { status: 409 });
  return { publicKey: row.publicKey, rotationPending: row.rotationPending };
}
