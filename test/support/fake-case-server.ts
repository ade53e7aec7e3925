/**
 * A stand-in Clearing server for the command line's case tests: it answers
 * the casework API with a case made in core by real members (organization
 * key, certificates, a signed chain, sealed keys, sealed and signed records),
 * and can be told to lie, as a compromised server would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaseDetail, StoredRecord } from '../../src/core/api/cases.js';
import { prepareOpenCase, prepareRecord, type CaseKeyrings, type RecordContent } from '../../src/core/cases/index.js';
import {
  asCaseId,
  asMemberId,
  asRecordId,
  caseCompartments,
  createMember,
  defaultKdfPolicy,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  memberSigner,
  newKdfParams,
  organizationFingerprint,
  signMemberCertificate,
  verifyMemberCertificate,
  type CaseCompartmentName,
  type CertifiedMember,
  type MemberId,
  type MemberKeys,
  type Role,
} from '../../src/core/index.js';

export interface FakeMember {
  id: MemberId;
  name: string;
  role: Role;
  passphrase: string;
  keys: MemberKeys;
  bundle: unknown;
  certificate: unknown;
  certified: CertifiedMember;
}

export interface FakeCaseServer {
  url: string;
  code: string;
  caseId: string;
  me: FakeMember;
  /** Every version written, by compartment, as the server stores them. */
  records: Map<CaseCompartmentName, StoredRecord[]>;
  /** Set to change what GET /api/cases/:id serves (a lying server). */
  tamper: ((detail: CaseDetail) => CaseDetail) | null;
  /** Whether GET /api/cases/:id/records/:recordId/history answers with every version (false: 404, like an older server). */
  history: boolean;
  requests: string[];
  close(): Promise<void>;
}

/** The lowest Argon2id settings the command line accepts (defaultKdfPolicy), so the test derives in under a second. */
const lowestAcceptedParams = () => newKdfParams({ memoryKiB: defaultKdfPolicy.minMemoryKiB, iterations: defaultKdfPolicy.minIterations, parallelism: 1 });

export async function startFakeCaseServer(options: { code?: string; notes?: readonly string[]; passphrase?: string } = {}): Promise<FakeCaseServer> {
  const organization = generateOrganizationKey();
  const organizationKey = encodeOrganizationPublicKey(organization.publicKey);
  let n = 0;
  const person = async (role: Role, name: string, passphrase: string): Promise<FakeMember> => {
    const id = asMemberId(`00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`);
    const material = await createMember(passphrase, lowestAcceptedParams(), defaultKdfPolicy, organizationKey);
    const certificate = signMemberCertificate(organization.privateKey, {
      memberId: id,
      name,
      role,
      encryptionPublicKey: material.keys.encryption.publicKey,
      signingPublicKey: material.keys.signing.publicKey,
      issuedBy: id,
    });
    return {
      id,
      name,
      role,
      passphrase,
      keys: material.keys,
      bundle: material.bundle,
      certificate,
      certified: verifyMemberCertificate(organization.publicKey, certificate),
    };
  };
  const me = await person('coordinator', 'Vera', options.passphrase ?? 'a long passphrase for the command line');
  const admin = await person('administrator', 'Admin', 'another long passphrase, unused');

  const code = options.code ?? 'K7F-3QX';
  const caseId = asCaseId(crypto.randomUUID());
  const at = '2026-12-01T10:00:00.000Z';
  const opened = prepareOpenCase({
    caseId,
    code,
    category: 'mobilized',
    priority: 'high',
    creator: { signer: memberSigner(me.id, me.keys), certified: me.certified },
    owner: null,
    administrators: [admin.certified],
    at,
  });
  const keyrings: CaseKeyrings = opened.keyrings;
  const records = new Map<CaseCompartmentName, StoredRecord[]>(caseCompartments.map((c) => [c, []]));
  const write = (compartment: CaseCompartmentName, author: FakeMember, content: RecordContent, recordId: string = crypto.randomUUID(), version = 0): string => {
    const request = prepareRecord({
      caseId,
      compartment,
      recordId: asRecordId(recordId),
      version,
      keyring: keyrings[compartment]!,
      signer: memberSigner(author.id, author.keys),
      content,
    });
    records.get(compartment)!.push({
      recordId,
      kind: request.kind,
      version,
      epoch: 0,
      authorId: author.id,
      createdAt: new Date(Date.parse(at) + records.get(compartment)!.length * 60_000 + version * 3_600_000).toISOString(),
      sealed: request.sealed as unknown as StoredRecord['sealed'],
    });
    return recordId;
  };
  const profile = write('identity', me, { kind: 'fields', fields: { alias: 'Сокол', unit: '3rd motor rifle' } });
  write('identity', admin, { kind: 'fields', fields: { alias: 'Сокол', unit: '3rd motor rifle', rank: 'private' } }, profile, 1);
  for (const text of options.notes ?? ['Первая встреча на вокзале.', 'Documents copied, originals stay with him.'])
    write('testimony', me, { kind: 'note', text });
  const taskRecord = write('legal', admin, { kind: 'task', title: 'Call the lawyer about the asylum hearing' });
  const taskId = crypto.randomUUID();
  // A version whose ciphertext the server changed: it must show as unreadable, not disappear.
  const damaged = write('support', me, { kind: 'note', text: 'to be damaged' });
  const stored = records.get('support')!.find((r) => r.recordId === damaged)!;
  const sealed = stored.sealed as unknown as { ciphertext: string };
  stored.sealed = {
    ...(stored.sealed as Record<string, unknown>),
    ciphertext: `${sealed.ciphertext.slice(0, -4)}${sealed.ciphertext.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
  };

  const newest = (compartment: CaseCompartmentName): StoredRecord[] => {
    const byId = new Map<string, StoredRecord>();
    for (const r of records.get(compartment)!) if ((byId.get(r.recordId)?.version ?? -1) < r.version) byId.set(r.recordId, r);
    return [...byId.values()];
  };
  const summary = {
    id: caseId,
    code,
    status: 'active',
    category: 'mobilized',
    priority: 'high',
    ownerId: null,
    specialistIds: [],
    flags: ['safety_risk'],
    openTasks: 1,
    overdueTasks: 0,
    nextDueOn: null,
    createdAt: at,
    updatedAt: at,
    rotationPending: false,
  } as const;
  const detail = (): CaseDetail => ({
    case: { ...summary, specialistIds: [], flags: ['safety_risk'] },
    outcome: null,
    closedAt: null,
    specialists: [],
    chain: [opened.request.statement as unknown as Record<string, unknown>],
    compartments: caseCompartments.map((compartment) => ({
      compartment,
      epoch: 0,
      holders: opened.request.sealedKeys
        .filter((k) => (k as { compartment: string }).compartment === compartment)
        .map((k) => (k as { recipient: string }).recipient),
      pendingRemovals: [],
      links: [],
    })),
    myKeys: opened.request.sealedKeys.filter((k) => (k as { recipient: string }).recipient === me.id) as CaseDetail['myKeys'],
    certificates: [me, admin].map((m) => ({ memberId: m.id, certificate: m.certificate as Record<string, unknown>, status: 'active' })),
    abilities: { update: true, assign: true, escalate: true, timeline: true, revoke: true, grant: true },
  });

  const fake: FakeCaseServer = {
    url: '',
    code,
    caseId,
    me,
    records,
    tamper: null,
    history: true,
    requests: [],
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string) => send(status, { error: { code, message: code } });
    if (req.headers.cookie !== 'clearing_session=fake-session') return error(401, 'AUTH_REQUIRED');
    const path = url.pathname;
    if (path === '/api/session') {
      return send(200, {
        stage: 'full',
        csrfToken: 'fake-csrf',
        member: { id: me.id, name: me.name, role: me.role, certified: true },
        organization: { name: 'Free Passage', defaultLanguage: 'en', publicKey: organizationKey, fingerprint: organizationFingerprint(organization.publicKey) },
      });
    }
    if (path === '/api/me/keys') return send(200, { keyBundle: me.bundle, certificate: me.certificate, sealedOrganizationKey: null });
    if (path === '/api/cases') {
      const wanted = url.searchParams.get('code') ?? '';
      const cases = code.startsWith(wanted.toUpperCase()) ? [summary] : [];
      return send(200, { cases, nextCursor: null, total: cases.length });
    }
    if (path === `/api/cases/${caseId}`) return send(200, fake.tamper ? fake.tamper(detail()) : detail());
    if (path === `/api/cases/${caseId}/records`) {
      const compartment = url.searchParams.get('compartment') as CaseCompartmentName;
      if (!records.has(compartment)) return error(400, 'VALIDATION_FAILED');
      return send(200, newest(compartment));
    }
    const history = new RegExp(`^/api/cases/${caseId}/records/([0-9a-f-]{36})/history$`).exec(path);
    if (history) {
      if (!fake.history) return error(404, 'ROUTE_NOT_FOUND');
      const all = [...records.values()].flat().filter((r) => r.recordId === history[1]);
      return all.length > 0
        ? send(
            200,
            all.sort((a, b) => b.version - a.version),
          )
        : error(404, 'RECORD_NOT_FOUND');
    }
    if (path === `/api/cases/${caseId}/tasks`) {
      return send(200, {
        tasks: [
          {
            taskId,
            caseId,
            recordId: taskRecord,
            compartment: 'legal',
            assigneeId: me.id,
            dueOn: '2026-12-10',
            state: 'open',
            createdBy: admin.id,
            createdAt: at,
            updatedAt: at,
            overdue: false,
            dueSoon: true,
          },
        ],
      });
    }
    if (path === `/api/cases/${caseId}/timeline`) {
      // Newest first, in two pages, as the server pages them.
      const entries = [
        { seq: 7, occurredAt: '2026-12-01T10:05:00.000Z', action: 'case.record.write', actorId: admin.id, detail: { compartment: 'legal' }, leafHash: 'x' },
        { seq: 3, occurredAt: '2026-12-01T10:00:00.000Z', action: 'case.open', actorId: me.id, detail: {}, leafHash: 'y' },
      ];
      const before = url.searchParams.get('before');
      return send(200, before === null ? { entries: [entries[0]], nextBefore: 7 } : { entries: [entries[1]], nextBefore: null });
    }
    if (path.startsWith('/api/cases/')) return error(404, 'CASE_NOT_FOUND');
    return error(404, 'ROUTE_NOT_FOUND');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
