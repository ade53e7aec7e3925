import { checkAuditVisit, type AuditPin, type SignedTreeHead, type VisitCheck } from '../core/index.js';
import { api } from './api/client.js';

const keyStorage = 'clearing.audit.logKey';
const headStorage = 'clearing.audit.lastHead';

export interface HistoryResult {
  check: VisitCheck;
  /** The head the server presented now, verified or not. */
  head: SignedTreeHead;
  /** The log key the server presented now, base64url. */
  logPublicKey: string;
}

type PinStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** A pin is both halves or nothing: a head without the key it was verified under proves nothing. */
function readPin(storage: PinStorage): AuditPin | null {
  const logKey = storage.getItem(keyStorage);
  if (!logKey) return null;
  try {
    const head = JSON.parse(storage.getItem(headStorage) ?? 'null') as SignedTreeHead | null;
    return head ? { logKey, head } : null;
  } catch {
    return null;
  }
}

/**
 * On every visit: fetch the signed head, and a consistency proof from the last
 * head this browser verified; keep the new head only if it verifies, so a
 * warning stays until someone looks into it. The log key is pinned at first
 * use, like the organization key.
 */
export async function verifyAuditHistory(storage: PinStorage = window.localStorage): Promise<HistoryResult> {
  const { logPublicKey, head } = await api.audit.head();
  const pin = readPin(storage);
  // A head smaller than the pinned one is rewritten history by itself; asking for a proof would only draw a 400.
  const needsProof = pin !== null && pin.logKey === logPublicKey && head.size > pin.head.size;
  const proof = needsProof ? (await api.audit.consistency(pin.head.size, head.size)).proof : [];
  const visit = checkAuditVisit({ pin, presentedLogKey: logPublicKey, latest: head, consistencyProof: proof });
  if (visit.pin) {
    storage.setItem(keyStorage, visit.pin.logKey);
    storage.setItem(headStorage, JSON.stringify(visit.pin.head));
  }
  return { check: visit.check, head, logPublicKey };
}
