/**
 * Casework over HTTP as a browser does it, for the integration tier and the
 * benchmarks: certify members, open a case, write records, each made with
 * core and sent through the real routes.
 */
import type { WriteRecordRequest } from '../../src/core/api/cases.js';
import {
  asCaseId,
  asRecordId,
  caseCodeFrom,
  memberSigner,
  prepareCertification,
  prepareOpenCase,
  prepareRecord,
  randomBytes,
  verifyMemberCertificate,
  type CaseCategory,
  type CaseCompartmentName,
  type CaseId,
  type CaseKeyrings,
  type CertifiedMember,
  type MemberId,
  type MemberKeys,
  type OrganizationKeyPair,
  type RecordContent,
} from '../../src/core/index.js';
import type { Browserish } from './members.js';

/** Certifies every listed member who has no certificate yet; returns everyone's verified certificate by id. */
export async function certifyEveryone(admin: Browserish, organization: OrganizationKeyPair, adminId: string): Promise<Map<string, CertifiedMember>> {
  const list = (await admin.get('/api/members')).body as Array<{ id: string; certificate: unknown } & Parameters<typeof prepareCertification>[1]>;
  for (const m of list) {
    if (m.certificate !== null || m.status !== 'active') continue;
    const res = await admin.post(`/api/members/${m.id}/certificate`, prepareCertification(organization, m, adminId as MemberId));
    if (res.status !== 200) throw new Error(`certify ${m.name} failed: ${JSON.stringify(res.body)}`);
  }
  const certified = new Map<string, CertifiedMember>();
  for (const m of (await admin.get('/api/members')).body as Array<{ id: string; certificate: unknown }>) {
    if (m.certificate) certified.set(m.id, verifyMemberCertificate(organization.publicKey, m.certificate));
  }
  return certified;
}

export interface Caseworker {
  id: string;
  keys: MemberKeys;
  certified: CertifiedMember;
  client: Browserish;
}

/** Opens a case in `creator`'s browser and stores it; returns its keys as the browser holds them. */
export async function openCaseOverHttp(
  creator: Caseworker,
  administrators: readonly CertifiedMember[],
  options: { category?: CaseCategory; code?: string; owner?: CertifiedMember | null } = {},
): Promise<{ caseId: CaseId; code: string; keyrings: CaseKeyrings }> {
  const caseId = asCaseId(crypto.randomUUID());
  for (let attempt = 0; ; attempt++) {
    const code = options.code ?? caseCodeFrom(randomBytes(6));
    const { request, keyrings } = prepareOpenCase({
      caseId,
      code,
      category: options.category ?? 'mobilized',
      priority: 'normal',
      creator: { signer: memberSigner(creator.certified.memberId, creator.keys), certified: creator.certified },
      owner: options.owner ?? null,
      administrators,
      at: new Date().toISOString(),
    });
    const res = await creator.client.post('/api/cases', request);
    if (res.status === 201 || res.status === 200) return { caseId, code: (res.body as { code: string }).code, keyrings };
    // A random code another case already has: draw again, as the browser does.
    if (res.body?.error?.code === 'CASE_CODE_TAKEN' && options.code === undefined && attempt < 5) continue;
    throw new Error(`open case failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** The request body of one record, sealed, signed and tokenized with core. */
export function recordRequest(
  author: Caseworker,
  opened: { caseId: CaseId; keyrings: CaseKeyrings },
  compartment: CaseCompartmentName,
  content: RecordContent,
  options: { recordId?: string; version?: number } = {},
): { recordId: string; body: WriteRecordRequest } {
  const keyring = opened.keyrings[compartment];
  if (!keyring) throw new Error(`no key for ${compartment}`);
  const recordId = options.recordId ?? crypto.randomUUID();
  const body = prepareRecord({
    caseId: opened.caseId,
    compartment,
    recordId: asRecordId(recordId),
    version: options.version ?? 0,
    keyring,
    signer: memberSigner(author.certified.memberId, author.keys),
    content,
  });
  return { recordId, body };
}

export async function writeRecordOverHttp(
  author: Caseworker,
  opened: { caseId: CaseId; keyrings: CaseKeyrings },
  compartment: CaseCompartmentName,
  content: RecordContent,
  options: { recordId?: string; version?: number } = {},
): Promise<string> {
  const { recordId, body } = recordRequest(author, opened, compartment, content, options);
  const res = await author.client.post(`/api/cases/${opened.caseId}/records`, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`write record failed: ${res.status} ${JSON.stringify(res.body)}`);
  return recordId;
}
