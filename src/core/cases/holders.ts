import type { GrantRequest, RotateRequest } from '../api/cases.js';
import type { CaseCompartmentName } from '../domain/cases.js';
import { minimumHolders } from '../domain/cases.js';
import type { MemberId } from '../domain/ids.js';
import { ClearingError } from '../errors/index.js';
import type { AuditedCase, CaseChainHead } from '../crypto/case-chain/audit.js';
import { caseStatementHash, signCaseStatement, type RotationReason } from '../crypto/case-chain/statement.js';
import { linkPreviousEpoch } from '../crypto/compartments/epoch-link.js';
import { currentCompartmentKey, rotateCompartment, type CompartmentKeyring } from '../crypto/compartments/keyring.js';
import { sealCompartmentKey } from '../crypto/compartments/sealed.js';
import { toBase64url } from '../crypto/primitives/bytes.js';
import type { CertifiedMember } from '../crypto/trust/certificate.js';
import type { MemberSigner } from '../crypto/trust/signatures.js';

interface ChainPosition {
  audited: AuditedCase;
  /** Where the chain stands when several statements are made in a row; the audited head otherwise. */
  head?: CaseChainHead;
}

function holderOf(audited: AuditedCase, compartment: CaseCompartmentName, signer: MemberSigner): void {
  if (!audited.compartments[compartment].holders.includes(signer.memberId)) throw new ClearingError('CASE_NOT_HOLDER', { status: 403 });
}

/**
 * A grant: the compartment's current key sealed to a member whose
 * certificate the caller verified (the type demands it), and the chain
 * statement that records it. Call only after openCaseKeys audited the case.
 */
export function prepareGrant(
  props: ChainPosition & { compartment: CaseCompartmentName; keyring: CompartmentKeyring; recipient: CertifiedMember; signer: MemberSigner; at: string },
): GrantRequest & { head: CaseChainHead } {
  const { audited, compartment, recipient, signer } = props;
  holderOf(audited, compartment, signer);
  const chain = audited.compartments[compartment];
  if (chain.holders.includes(recipient.memberId)) throw new ClearingError('CASE_ALREADY_HOLDER', { status: 409 });
  const key = currentCompartmentKey(props.keyring);
  if (key.reference.epoch !== chain.epoch || toBase64url(key.publicKey) !== chain.publicKey) throw new ClearingError('CASE_CHAIN_CONFLICT', { status: 409 });
  const head = props.head ?? audited.head;
  const statement = signCaseStatement(
    {
      caseId: audited.caseId,
      seq: head.seq + 1,
      prev: head.hash,
      by: signer.memberId,
      at: props.at,
      body: { kind: 'grant', compartment, epoch: chain.epoch, publicKey: chain.publicKey, member: recipient.memberId },
    },
    signer,
  );
  return { statement, sealedKey: sealCompartmentKey(key, recipient, signer), head: { seq: statement.seq, hash: caseStatementHash(statement) } };
}

/**
 * A rotation: a new epoch for the compartment, its key sealed to every
 * remaining holder, the previous key linked under the new one, and the chain
 * statement naming who stays and who is dropped.
 */
export function prepareRotation(
  props: ChainPosition & {
    compartment: CaseCompartmentName;
    keyring: CompartmentKeyring;
    /** Certificates of every holder who stays (verified by the caller). */
    holders: readonly CertifiedMember[];
    dropped: readonly MemberId[];
    reason: RotationReason;
    signer: MemberSigner;
    at: string;
  },
): { request: RotateRequest; keyring: CompartmentKeyring; head: CaseChainHead } {
  const { audited, compartment, signer } = props;
  holderOf(audited, compartment, signer);
  const chain = audited.compartments[compartment];
  const staying = chain.holders.filter((id) => !props.dropped.includes(id));
  if (staying.length < minimumHolders) throw new ClearingError('CASE_HOLDERS_TOO_FEW', { status: 409, params: { code: audited.code } });
  const previous = currentCompartmentKey(props.keyring);
  if (previous.reference.epoch !== chain.epoch || toBase64url(previous.publicKey) !== chain.publicKey)
    throw new ClearingError('CASE_CHAIN_CONFLICT', { status: 409 });
  const certificates = new Map(props.holders.map((m) => [m.memberId, m]));
  const keyring = rotateCompartment(props.keyring);
  const next = currentCompartmentKey(keyring);
  const sealedKeys = staying.map((id) => {
    const member = certificates.get(id);
    if (!member) throw new ClearingError('CASE_MEMBER_NOT_ELIGIBLE', { status: 400 });
    return sealCompartmentKey(next, member, signer);
  });
  const head = props.head ?? audited.head;
  const statement = signCaseStatement(
    {
      caseId: audited.caseId,
      seq: head.seq + 1,
      prev: head.hash,
      by: signer.memberId,
      at: props.at,
      body: {
        kind: 'rotate',
        compartment,
        epoch: next.reference.epoch,
        publicKey: toBase64url(next.publicKey),
        holders: staying,
        dropped: chain.holders.filter((id) => props.dropped.includes(id)),
        reason: props.reason,
      },
    },
    signer,
  );
  return {
    request: { statement, sealedKeys, link: linkPreviousEpoch(next, previous) },
    keyring,
    head: { seq: statement.seq, hash: caseStatementHash(statement) },
  };
}
