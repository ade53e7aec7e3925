/*
 * Opening a case in this browser: the certificates the server serves,
 * checked against the pinned organization key; the case's signed chain,
 * audited against the newest head this browser saw (kept in localStorage
 * beside the pin, so a server that serves an older chain is caught); and the
 * compartment keys, opened with the member's own keys and kept in memory for
 * this session only, forgotten with the member keys (lock, idle, logout).
 */
import {
  asMemberId,
  isClearingError,
  memberSigner,
  openCaseKeys,
  verifyMemberCertificate,
  type AuditedCase,
  type CaseChainHead,
  type CaseCompartmentName,
  type CertifiedMember,
  type CompartmentKeyring,
  type MemberId,
  type MemberKeys,
  type MemberSigner,
  type OrganizationPublicKey,
} from '../../../core/index.js';
import type { CaseDetail } from '../../../core/api/index.js';
import { ApiError, toApiError } from '../../api.js';
import { keyStore } from '../../keys/key-store.js';

export type Keyrings = Partial<Record<CaseCompartmentName, CompartmentKeyring>>;
export type CertifiedLookup = (memberId: string) => CertifiedMember | null;

/** A case as this browser sees it once its chain was audited and its keys opened. */
export interface OpenedCase {
  state: 'open';
  detail: CaseDetail;
  audited: AuditedCase;
  keyrings: Keyrings;
  certified: CertifiedLookup;
}

/** The server served a chain or holders that do not add up: shown, never sealed to. */
export interface TamperedCase {
  state: 'tampered';
  detail: CaseDetail;
  error: ApiError;
  certified: CertifiedLookup;
}

export type CaseView = OpenedCase | TamperedCase;

/** The certificates served with a case, each verified against the pinned key for the member it is served for (members who left included). */
export function certifiedLookup(pinned: OrganizationPublicKey | null, certificates: CaseDetail['certificates']): CertifiedLookup {
  const verified = new Map<string, CertifiedMember>();
  if (pinned) {
    for (const entry of certificates) {
      try {
        verified.set(entry.memberId, verifyMemberCertificate(pinned, entry.certificate, { memberId: asMemberId(entry.memberId) }));
      } catch {
        // Not vouched for by the organization: the member is shown as unverified and nothing is sealed to them.
      }
    }
  }
  return (memberId) => verified.get(memberId) ?? null;
}

/* The newest chain head seen per case, per member of this browser. */
const headsKey = (memberId: string) => `clearing.caseHeads.${memberId}`;
const maxHeads = 5000;

function readHeads(memberId: string): Record<string, CaseChainHead> {
  try {
    const raw = window.localStorage.getItem(headsKey(memberId));
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, CaseChainHead>) : {};
  } catch {
    return {};
  }
}

export function knownHead(memberId: string, caseId: string): CaseChainHead | null {
  const head = readHeads(memberId)[caseId];
  return head && Number.isSafeInteger(head.seq) && typeof head.hash === 'string' ? head : null;
}

export function rememberHead(memberId: string, caseId: string, head: CaseChainHead): void {
  const heads = readHeads(memberId);
  const old = heads[caseId];
  if (old && old.seq > head.seq) return;
  delete heads[caseId];
  heads[caseId] = { seq: head.seq, hash: head.hash };
  const ids = Object.keys(heads);
  for (const stale of ids.slice(0, Math.max(0, ids.length - maxHeads))) delete heads[stale];
  try {
    window.localStorage.setItem(headsKey(memberId), JSON.stringify(heads));
  } catch {
    // Storage full or disabled: rollback detection falls back to this session.
  }
}

/* Opened keyrings, per case, for this session's memory only. */
const opened = new Map<string, { seq: number; code: string; updatedAt: string; keyrings: Keyrings; certified: CertifiedLookup }>();
keyStore.subscribe(() => {
  if (!keyStore.hasMemberKeys()) opened.clear();
});

/** A case opened earlier in this session (search uses them): its keyrings and certificates. */
export function openedEarlier(caseId: string): { code: string; updatedAt: string; keyrings: Keyrings; certified: CertifiedLookup } | null {
  return opened.get(caseId) ?? null;
}

export function forgetOpened(caseId: string): void {
  opened.delete(caseId);
}

export interface Me {
  memberId: MemberId;
  keys: MemberKeys;
}

export function currentMe(memberId: string | undefined): Me {
  const keys = keyStore.memberKeys();
  if (!keys || !memberId) throw new ApiError('AUTH_REQUIRED', 0, 'keys are locked');
  return { memberId: asMemberId(memberId), keys };
}

export function signerOf(me: Me): MemberSigner {
  return memberSigner(me.memberId, me.keys);
}

/** Audits the chain and opens the keys; a lie by the server becomes a TamperedCase with the error's code. */
export function openCase(detail: CaseDetail, me: Me, pinned: OrganizationPublicKey | null): CaseView {
  const certified = certifiedLookup(pinned, detail.certificates);
  const caseId = detail.case.id;
  try {
    const result = openCaseKeys({ detail, me, certified: (id: MemberId) => certified(id), knownHead: knownHead(me.memberId, caseId) });
    rememberHead(me.memberId, caseId, result.head);
    opened.set(caseId, { seq: result.head.seq, code: detail.case.code, updatedAt: detail.case.updatedAt, keyrings: result.keyrings, certified });
    return { state: 'open', detail, audited: result.audited, keyrings: result.keyrings, certified };
  } catch (error) {
    if (!isClearingError(error) && !(error instanceof ApiError)) throw error;
    opened.delete(caseId);
    return { state: 'tampered', detail, error: toApiError(error), certified };
  }
}

/** The name to show for a member: the certified one, else null (the page says "unverified member"). */
export function certifiedName(certified: CertifiedLookup, memberId: string | null): string | null {
  if (!memberId) return null;
  return certified(memberId)?.name ?? null;
}
