import { checkHistory, fromBase64url, type HistoryCheck, type SignedTreeHead } from '../core/index.js';
import { api } from './api.js';

const keyStorage = 'clearing.audit.logKey';
const headStorage = 'clearing.audit.lastHead';

export interface HistoryResult {
  check: HistoryCheck | { status: 'log_key_changed' };
  head: SignedTreeHead;
}

/**
 * On every visit: fetch the signed head, and a consistency proof from the last
 * head this browser verified; keep the new head only if it verifies. The log
 * key is pinned at first use, like the organization key.
 */
export async function verifyAuditHistory(storage: Storage = window.localStorage): Promise<HistoryResult> {
  const { logPublicKey, head } = await api<{ logPublicKey: string; head: SignedTreeHead }>('/api/audit/head');
  const pinnedKey = storage.getItem(keyStorage);
  if (pinnedKey && pinnedKey !== logPublicKey) return { check: { status: 'log_key_changed' }, head };
  let lastSeen: SignedTreeHead | null = null;
  try {
    lastSeen = JSON.parse(storage.getItem(headStorage) ?? 'null') as SignedTreeHead | null;
  } catch {
    lastSeen = null;
  }
  let proof: string[] = [];
  if (lastSeen && head.size > lastSeen.size) {
    proof = (await api<{ proof: string[] }>(`/api/audit/consistency?from=${lastSeen.size}&to=${head.size}`)).proof;
  }
  const check = checkHistory({ logPublicKey: fromBase64url(logPublicKey, 32), lastSeen, latest: head, consistencyProof: proof });
  if (check.status === 'first' || check.status === 'consistent') {
    storage.setItem(keyStorage, logPublicKey);
    storage.setItem(headStorage, JSON.stringify(head));
  }
  return { check, head };
}
