/**
 * The few cryptographic steps the workflow takes in the browser, on core's
 * use cases: who signed what (certificates the case names, verified against
 * the pinned organization key), opening a case's keys where a page has no
 * case page to do it (my tasks, handover), and the grants a new owner or a
 * specialist needs, sealed to a key the organization certified.
 */
import type { CaseDetail } from '../../../../core/api/cases.js';
import type { CaseGrant } from '../../../../core/api/casework.js';
import {
  asMemberId,
  memberSigner,
  openCaseKeys,
  prepareGrant,
  verifyMemberCertificate,
  type CaseCompartmentName,
  type CaseKeys,
  type CertifiedMember,
  type MemberSigner,
  type OrganizationPublicKey,
} from '../../../../core/index.js';
import { ApiError } from '../../../api.js';
import { keyStore } from '../../../keys/key-store.js';
import { knownHead, rememberHead } from '../case-keys.js';

/** A lookup of the certificates a case carries: each verified against the pinned key and for the member it is filed under. */
export function certifiedIn(detail: Pick<CaseDetail, 'certificates'>, pinned: OrganizationPublicKey | null): (memberId: string) => CertifiedMember | null {
  const cache = new Map<string, CertifiedMember | null>();
  return (memberId) => {
    if (!pinned) return null;
    if (cache.has(memberId)) return cache.get(memberId)!;
    const entry = detail.certificates.find((c) => c.memberId === memberId);
    let member: CertifiedMember | null = null;
    try {
      member = entry ? verifyMemberCertificate(pinned, entry.certificate, { memberId: asMemberId(memberId) }) : null;
    } catch {
      member = null;
    }
    cache.set(memberId, member);
    return member;
  };
}

/** The member's signer while the keys are open; locked keys stop the step with the error the unlock screen explains. */
export function currentSigner(memberId: string): MemberSigner {
  const keys = keyStore.memberKeys();
  if (!keys) throw new ApiError('FORBIDDEN', 0, 'keys are locked');
  return memberSigner(asMemberId(memberId), keys);
}

/** Audits the case's chain and opens this member's keys of it (the server records the read in the case's access log). */
export function openKeysOf(detail: CaseDetail, memberId: string, pinned: OrganizationPublicKey | null): CaseKeys {
  const keys = keyStore.memberKeys();
  if (!keys) throw new ApiError('FORBIDDEN', 0, 'keys are locked');
  // The newest head this browser saw for the case, as the case page keeps it: an older chain is a rollback here too.
  const opened = openCaseKeys({
    detail,
    me: { memberId: asMemberId(memberId), keys },
    certified: (id) => certifiedIn(detail, pinned)(id),
    knownHead: knownHead(memberId, detail.case.id),
  });
  rememberHead(memberId, detail.case.id, opened.head);
  return opened;
}

/**
 * Grants of every compartment among `compartments` that the signer holds and
 * the recipient does not, chained one after the other from the audited head
 * (the server applies them together, in order).
 */
export function grantsFor(props: { keys: CaseKeys; recipient: CertifiedMember; compartments: readonly CaseCompartmentName[]; signer: MemberSigner }): {
  grants: CaseGrant[];
  compartments: CaseCompartmentName[];
} {
  const { keys, recipient, signer } = props;
  const grants: CaseGrant[] = [];
  const given: CaseCompartmentName[] = [];
  let head = keys.head;
  const at = new Date().toISOString();
  for (const compartment of props.compartments) {
    const keyring = keys.keyrings[compartment];
    const chain = keys.audited.compartments[compartment];
    if (!keyring || !chain.holders.includes(signer.memberId) || chain.holders.includes(recipient.memberId)) continue;
    const prepared = prepareGrant({ audited: keys.audited, head, compartment, keyring, recipient, signer, at });
    grants.push({ statement: prepared.statement, sealedKey: prepared.sealedKey });
    given.push(compartment);
    head = prepared.head;
  }
  return { grants, compartments: given };
}

/** Compartments the signer could hand to `recipient` (held by the signer, not yet by them). */
export function grantable(keys: CaseKeys | null, signerId: string, recipientId: string, among: readonly CaseCompartmentName[]): CaseCompartmentName[] {
  if (!keys) return [];
  return among.filter((c) => {
    const chain = keys.audited.compartments[c];
    return keys.keyrings[c] !== undefined && chain.holders.includes(asMemberId(signerId)) && !chain.holders.includes(asMemberId(recipientId));
  });
}
