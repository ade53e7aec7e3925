import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../../../core/api/cases.js';
import {
  asCaseId,
  asMemberId,
  auditCaseChain,
  caseCompartments,
  generateMemberKeys,
  generateOrganizationKey,
  memberSigner,
  openCaseKeys,
  parseSealedCompartmentKey,
  prepareOpenCase,
  signMemberCertificate,
  verifyMemberCertificate,
  type CertifiedMember,
  type MemberId,
  type Role,
} from '../../../../core/index.js';
import { certifiedIn, grantable, grantsFor } from './case-crypto.js';

const organization = generateOrganizationKey();
let serial = 0;
function member(role: Role) {
  const keys = generateMemberKeys();
  const id = asMemberId(`00000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`);
  const certificate = signMemberCertificate(organization.privateKey, {
    memberId: id,
    name: `${role}${serial}`,
    role,
    encryptionPublicKey: keys.encryption.publicKey,
    signingPublicKey: keys.signing.publicKey,
    issuedBy: id,
  });
  return { id, keys, certificate, certified: verifyMemberCertificate(organization.publicKey, certificate) as CertifiedMember };
}

const admin = member('administrator');
const coordinator = member('coordinator');
const specialist = member('specialist');
const caseId = asCaseId('33333333-3333-4333-8333-333333333333');

/** A case as the server would serve it right after opening: the first statement, the holders and this member's sealed keys. */
function openedCase() {
  const { request } = prepareOpenCase({
    caseId,
    code: 'K7F-3QX',
    category: 'officer',
    priority: 'normal',
    creator: { signer: memberSigner(coordinator.id, coordinator.keys), certified: coordinator.certified },
    owner: coordinator.certified,
    administrators: [admin.certified],
    at: '2026-12-02T01:00:00.000Z',
  });
  const sealed = request.sealedKeys.map((s) => ({ raw: s, parsed: parseSealedCompartmentKey(s) }));
  const detail = {
    case: { id: caseId, code: 'K7F-3QX', category: 'officer' },
    chain: [request.statement],
    compartments: caseCompartments.map((compartment) => ({
      compartment,
      epoch: 0,
      holders: sealed.filter((s) => s.parsed.compartment === compartment).map((s) => s.parsed.recipient),
      pendingRemovals: [],
      links: [],
    })),
    myKeys: sealed.filter((s) => s.parsed.recipient === coordinator.id).map((s) => s.raw),
    certificates: [admin, coordinator, specialist].map((m) => ({ memberId: m.id, certificate: m.certificate, status: 'active' })),
  } as unknown as CaseDetail;
  return detail;
}

describe('grants the workflow seals in the browser', () => {
  const detail = openedCase();
  const certified = certifiedIn(detail, organization.publicKey);
  const keys = openCaseKeys({ detail, me: { memberId: coordinator.id, keys: coordinator.keys }, certified: (id: MemberId) => certified(id), knownHead: null });

  it('chains one grant per compartment after the audited head, and the chain with them audits', () => {
    const among = ['identity', 'legal', 'testimony'] as const;
    const { grants, compartments } = grantsFor({
      keys,
      recipient: specialist.certified,
      compartments: among,
      signer: memberSigner(coordinator.id, coordinator.keys),
    });
    expect(compartments).toEqual([...among]);
    expect(grants.map((g) => (g.statement as { seq: number }).seq)).toEqual([1, 2, 3]);
    const audited = auditCaseChain([...detail.chain, ...grants.map((g) => g.statement)], {
      caseId,
      signingKeyOf: (id) => certified(id)?.signingPublicKey ?? null,
      knownHead: null,
    });
    for (const c of among) expect(audited.compartments[c].holders).toContain(specialist.id);
    expect(audited.compartments.support.holders).not.toContain(specialist.id);
  });

  it('offers only compartments the signer holds and the recipient does not', () => {
    expect(grantable(keys, coordinator.id, admin.id, caseCompartments)).toEqual([]);
    expect(grantable(keys, coordinator.id, specialist.id, ['contact', 'support'])).toEqual(['contact', 'support']);
    expect(grantable(null, coordinator.id, specialist.id, caseCompartments)).toEqual([]);
  });

  it('does not vouch for a certificate filed under another member', () => {
    const swapped = { ...detail, certificates: [{ memberId: specialist.id, certificate: admin.certificate, status: 'active' }] } as unknown as CaseDetail;
    expect(certifiedIn(swapped, organization.publicKey)(specialist.id)).toBeNull();
    expect(certifiedIn(detail, null)(specialist.id)).toBeNull();
  });
});
