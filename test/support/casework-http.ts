import {
  asCaseId,
  asMemberId,
  asRecordId,
  caseCodeFrom,
  memberSigner,
  openCaseKeys,
  prepareOpenCase,
  prepareRecord,
  randomBytes,
  verifyMemberCertificate,
  type CaseId,
  type CaseKeys,
  type CertifiedMember,
  type MemberId,
  type OrganizationKeyPair,
  type RecordContent,
  type CaseCompartmentName,
} from '../../src/core/index.js';
import type { CaseDetail } from '../../src/core/api/cases.js';
import { certificateFor, type Browserish, type TestMember } from './members.js';

/** Casework over HTTP as the web app does it, for integration tests. */
export async function certify(adminClient: Browserish, organization: OrganizationKeyPair, member: TestMember, adminId: string): Promise<void> {
  const res = await adminClient.post(`/api/members/${member.id}/certificate`, { certificate: certificateFor(organization, member, member.role, adminId) });
  if (res.status !== 200) throw new Error(`certify failed: ${JSON.stringify(res.body)}`);
}

export function certifiedMember(organization: OrganizationKeyPair, member: TestMember, adminId: string): CertifiedMember {
  return verifyMemberCertificate(organization.publicKey, certificateFor(organization, member, member.role, adminId));
}

export async function httpOpenCase(
  client: Browserish,
  organization: OrganizationKeyPair,
  creator: TestMember,
  administrators: readonly TestMember[],
  adminId: string,
): Promise<{ caseId: CaseId; code: string }> {
  const caseId = asCaseId(crypto.randomUUID());
  const code = caseCodeFrom(randomBytes(6));
  const { request } = prepareOpenCase({
    caseId,
    code,
    category: 'officer',
    priority: 'high',
    creator: { signer: memberSigner(asMemberId(creator.id), creator.keys), certified: certifiedMember(organization, creator, adminId) },
    owner: null,
    administrators: administrators.map((a) => certifiedMember(organization, a, adminId)),
    at: new Date().toISOString(),
  });
  const res = await client.post('/api/cases', request);
  if (res.status !== 200) throw new Error(`open case failed: ${JSON.stringify(res.body)}`);
  return { caseId, code };
}

/** Reads a case and audits it against certificates verified with the organization key. */
export async function httpCaseKeys(
  client: Browserish,
  organization: OrganizationKeyPair,
  me: TestMember,
  caseId: string,
): Promise<{ detail: CaseDetail; keys: CaseKeys }> {
  const res = await client.get(`/api/cases/${caseId}`);
  if (res.status !== 200) throw new Error(`read case failed: ${JSON.stringify(res.body)}`);
  const detail = res.body as CaseDetail;
  const certified = new Map(detail.certificates.map((c) => [c.memberId, verifyMemberCertificate(organization.publicKey, c.certificate)]));
  const keys = openCaseKeys({
    detail,
    me: { memberId: asMemberId(me.id), keys: me.keys },
    certified: (id: MemberId) => certified.get(id) ?? null,
    knownHead: null,
  });
  return { detail, keys };
}

export async function httpWriteRecord(
  client: Browserish,
  me: TestMember,
  keys: CaseKeys,
  compartment: CaseCompartmentName,
  content: RecordContent,
  options: { recordId?: string; version?: number } = {},
) {
  const request = prepareRecord({
    caseId: keys.audited.caseId,
    compartment,
    recordId: asRecordId(options.recordId ?? crypto.randomUUID()),
    version: options.version ?? 0,
    keyring: keys.keyrings[compartment]!,
    signer: memberSigner(asMemberId(me.id), me.keys),
    content,
  });
  return client.post(`/api/cases/${keys.audited.caseId}/records`, request);
}
