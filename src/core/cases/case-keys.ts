import type { CaseDetail } from '../api/cases.js';
import { caseCompartments } from '../domain/compartments.js';
import type { CaseCompartmentName } from '../domain/cases.js';
import { asCaseId, type MemberId } from '../domain/ids.js';
import { auditCaseChain, checkServedHolders, type AuditedCase, type CaseChainHead } from '../crypto/case-chain/audit.js';
import { openPreviousEpoch } from '../crypto/compartments/epoch-link.js';
import { compartmentKeyring, type CompartmentKeyring } from '../crypto/compartments/keyring.js';
import type { CompartmentKey } from '../crypto/compartments/key.js';
import { openCompartmentKey, parseSealedCompartmentKey } from '../crypto/compartments/sealed.js';
import { toBase64url } from '../crypto/primitives/bytes.js';
import { cryptoError } from '../crypto/primitives/errors.js';
import type { MemberKeys } from '../crypto/member-keys/keys.js';
import type { CertifiedMember } from '../crypto/trust/certificate.js';
import type { CaseKeyrings } from './open-case.js';

export interface CaseKeys {
  audited: AuditedCase;
  keyrings: CaseKeyrings;
  /** Remember it (per case) and pass it as `knownHead` next time: an older chain is then a rollback. */
  head: CaseChainHead;
}

export interface OpenCaseKeysProps {
  detail: Pick<CaseDetail, 'case' | 'chain' | 'compartments' | 'myKeys'>;
  me: { memberId: MemberId; keys: MemberKeys };
  /** A member's certificate, verified against the pinned organization key; null when there is none that verifies. */
  certified: (memberId: MemberId) => CertifiedMember | null;
  knownHead: CaseChainHead | null;
}

/**
 * Everything the browser does before it shows or seals anything of a case:
 * audit the chain (every holder let in by a signed statement of a holder; no
 * rollback), check that the holders the server reports are the chain's, then
 * open the member's own keys — each must be sealed by the member the chain
 * says let them in, for the chain's current public key — and walk the epoch
 * links back to every older epoch. Throws on any lie (CASE_CHAIN_*,
 * CASE_HOLDERS_MISMATCH, SEALED_KEY_*, EPOCH_LINK_TAMPERED).
 */
export function openCaseKeys(props: OpenCaseKeysProps): CaseKeys {
  const { detail, me, certified } = props;
  const caseId = asCaseId(detail.case.id);
  const audited = auditCaseChain(detail.chain, { caseId, signingKeyOf: (id) => certified(id)?.signingPublicKey ?? null, knownHead: props.knownHead });
  checkServedHolders(
    audited,
    detail.compartments.map((c) => ({ compartment: c.compartment, epoch: c.epoch, holders: c.holders as MemberId[] })),
  );
  const keyrings: CaseKeyrings = {};
  const seen = new Set<CaseCompartmentName>();
  for (const raw of detail.myKeys) {
    const sealed = parseSealedCompartmentKey(raw);
    const name = sealed.compartment as CaseCompartmentName;
    if (!(caseCompartments as readonly string[]).includes(name) || seen.has(name)) throw cryptoError('CASE_HOLDERS_MISMATCH', { compartment: String(name) });
    seen.add(name);
    const chain = audited.compartments[name];
    if (!chain.holders.includes(me.memberId)) throw cryptoError('CASE_HOLDERS_MISMATCH', { compartment: name });
    const grantorId = chain.grantors[me.memberId];
    const grantor = grantorId ? certified(grantorId) : null;
    if (!grantor || sealed.grantedBy !== grantorId) throw cryptoError('SEALED_KEY_BAD_SIGNATURE', { field: 'grantedBy' });
    const current = openCompartmentKey(sealed, me.keys, grantor, { caseId, compartment: name, epoch: chain.epoch });
    if (toBase64url(current.publicKey) !== chain.publicKey) throw cryptoError('SEALED_KEY_TAMPERED');
    keyrings[name] = walkBack(current, detail.compartments.find((c) => c.compartment === name)?.links ?? [], chain.publicKeys);
  }
  return { audited, keyrings, head: audited.head };
}

function walkBack(current: CompartmentKey, links: readonly { epoch: number; link: string }[], publicKeys: readonly string[]): CompartmentKeyring {
  const keys: CompartmentKey[] = [current];
  let newer = current;
  for (let epoch = current.reference.epoch; epoch >= 1; epoch--) {
    const link = links.find((l) => l.epoch === epoch);
    if (!link) throw cryptoError('EPOCH_LINK_TAMPERED', { epoch });
    const older = openPreviousEpoch(newer, link.link);
    if (toBase64url(older.publicKey) !== publicKeys[epoch - 1]) throw cryptoError('EPOCH_LINK_TAMPERED', { epoch });
    keys.push(older);
    newer = older;
  }
  return compartmentKeyring(keys);
}
