import type { OpenCaseRequest } from '../api/cases.js';
import { caseCompartments } from '../domain/compartments.js';
import { minimumHolders, type CaseCategory, type CaseCompartmentName, type CasePriority } from '../domain/cases.js';
import type { CaseId, MemberId } from '../domain/ids.js';
import { ClearingError } from '../errors/index.js';
import { openingHolders } from '../policies/compartments.js';
import { newCompartmentKeyring, currentCompartmentKey, type CompartmentKeyring } from '../crypto/compartments/keyring.js';
import { sealCompartmentKey } from '../crypto/compartments/sealed.js';
import { toBase64url } from '../crypto/primitives/bytes.js';
import { signCaseStatement, type OpenedCompartment } from '../crypto/case-chain/statement.js';
import type { CertifiedMember } from '../crypto/trust/certificate.js';
import type { MemberSigner } from '../crypto/trust/signatures.js';

export type CaseKeyrings = Partial<Record<CaseCompartmentName, CompartmentKeyring>>;

export interface OpenCaseProps {
  caseId: CaseId;
  code: string;
  category: CaseCategory;
  priority: CasePriority;
  creator: { signer: MemberSigner; certified: CertifiedMember };
  owner: CertifiedMember | null;
  /** The organization's certified, active administrators (verified against the pinned key and the membership list). */
  administrators: readonly CertifiedMember[];
  at: string;
}

/**
 * Opens a case in the browser: a key pair for every compartment at epoch 0,
 * sealed to the holders the compartment policy names, and the chain's first
 * statement saying so. CASE_HOLDERS_TOO_FEW when a compartment would have
 * fewer than two holders (a lone coordinator must name an assignee).
 */
export function prepareOpenCase(props: OpenCaseProps): { request: OpenCaseRequest; keyrings: CaseKeyrings } {
  const { creator, owner, category } = props;
  if (creator.signer.memberId !== creator.certified.memberId) throw new RangeError('the creator signs as themself');
  const people = new Map<MemberId, CertifiedMember>();
  for (const m of [creator.certified, ...(owner ? [owner] : []), ...props.administrators]) people.set(m.memberId, m);
  const keyrings: CaseKeyrings = {};
  const compartments: OpenedCompartment[] = [];
  const sealedKeys: unknown[] = [];
  for (const compartment of caseCompartments) {
    const holders = openingHolders({
      category,
      compartment,
      creator: { id: creator.certified.memberId, role: creator.certified.role },
      owner: owner ? { id: owner.memberId, role: owner.role } : null,
      administrators: props.administrators.map((a) => ({ id: a.memberId, role: a.role })),
    });
    if (!holders.includes(creator.certified.memberId) || holders.length < minimumHolders) {
      throw new ClearingError('CASE_HOLDERS_TOO_FEW', { status: 400, params: { code: props.code } });
    }
    const keyring = newCompartmentKeyring({ caseId: props.caseId, compartment });
    const key = currentCompartmentKey(keyring);
    keyrings[compartment] = keyring;
    compartments.push({ compartment, publicKey: toBase64url(key.publicKey), holders });
    for (const id of holders) sealedKeys.push(sealCompartmentKey(key, people.get(id) as CertifiedMember, creator.signer));
  }
  const statement = signCaseStatement(
    { caseId: props.caseId, seq: 0, prev: null, by: creator.signer.memberId, at: props.at, body: { kind: 'open', code: props.code, category, compartments } },
    creator.signer,
  );
  return {
    request: { caseId: props.caseId, code: props.code, category, priority: props.priority, ownerId: owner?.memberId ?? null, statement, sealedKeys },
    keyrings,
  };
}
