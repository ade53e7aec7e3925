/*
 * Finishing the rotations a removal left pending, one compartment at a time:
 * each rotation adds a statement to the case's chain, so the case is read and
 * audited again before the next one is signed on top of it. The new key is
 * sealed only to the members who stay (docs/security.md, promise 4).
 */
import { asMemberId, prepareRotation, type CaseCompartmentName, type CertifiedMember, type OrganizationPublicKey } from '../../../core/index.js';
import type { CaseDetail } from '../../../core/api/index.js';
import { ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { openCase, signerOf, type CaseView, type Me, type OpenedCase } from './case-keys.js';

export interface RotationProgress {
  done: number;
  total: number;
  code: string;
  compartment: CaseCompartmentName | null;
}

/** Compartments that wait for a rotation this member can do: they hold it and are not the one leaving. */
export function rotationsICanDo(view: OpenedCase, memberId: string): CaseCompartmentName[] {
  return view.detail.compartments
    .filter((c) => c.pendingRemovals.length > 0 && view.keyrings[c.compartment] && !c.pendingRemovals.some((r) => r.memberId === memberId))
    .map((c) => c.compartment);
}

function mustBeOpen(view: CaseView): OpenedCase {
  if (view.state === 'tampered') throw view.error;
  return view;
}

/** Rotates one compartment of an opened case. */
export async function rotateCompartmentOf(view: OpenedCase, compartment: CaseCompartmentName, me: Me): Promise<void> {
  const state = view.detail.compartments.find((c) => c.compartment === compartment);
  const keyring = view.keyrings[compartment];
  if (!state || !keyring) throw new ApiError('CASE_NOT_HOLDER', 0, 'not a holder');
  const dropped = state.pendingRemovals.map((r) => r.memberId);
  const staying = view.audited.compartments[compartment].holders.filter((id) => !dropped.includes(id));
  const holders: CertifiedMember[] = [];
  for (const memberId of staying) {
    const member = view.certified(memberId);
    // Never seal a new key to keys the organization did not vouch for.
    if (!member) throw new ApiError('KEY_SUBSTITUTION', 0, 'a holder is not certified', { member: memberId });
    holders.push(member);
  }
  if (holders.length < 2) throw new ApiError('CASE_HOLDERS_TOO_FEW', 0, 'too few holders', { code: view.detail.case.code, compartment });
  const { request } = prepareRotation({
    audited: view.audited,
    compartment,
    keyring,
    holders,
    dropped: dropped.map(asMemberId),
    reason: state.pendingRemovals[0]?.reason ?? 'revoked',
    signer: signerOf(me),
    at: new Date().toISOString(),
  });
  await api.cases.rotate(view.detail.case.id, request);
}

/**
 * Every rotation of one case this member can do, reading the case again after
 * each; `onProgress` counts compartments. Returns the case as it is at the end.
 */
export async function finishRotations(
  caseId: string,
  me: Me,
  pinned: OrganizationPublicKey | null,
  onProgress: (p: RotationProgress) => void,
  first?: CaseDetail,
  offset = { done: 0, total: 0 },
): Promise<OpenedCase> {
  let view = mustBeOpen(openCase(first ?? (await api.cases.get(caseId)), me, pinned));
  let todo = rotationsICanDo(view, me.memberId);
  const total = offset.total || offset.done + todo.length;
  let done = offset.done;
  while (todo.length > 0) {
    const compartment = todo[0] as CaseCompartmentName;
    onProgress({ done, total, code: view.detail.case.code, compartment });
    await rotateCompartmentOf(view, compartment, me);
    done += 1;
    view = mustBeOpen(openCase(await api.cases.get(caseId), me, pinned));
    todo = rotationsICanDo(view, me.memberId);
  }
  onProgress({ done, total: Math.max(total, done), code: view.detail.case.code, compartment: null });
  return view;
}
