import { describe, expect, it } from 'vitest';
import type { CaseDetail, StoredRecord } from '../api/cases.js';
import { caseCompartments } from '../domain/compartments.js';
import { asCaseId, asMemberId, asRecordId, type MemberId } from '../domain/ids.js';
import type { Role } from '../domain/roles.js';
import { generateMemberKeys, type MemberKeys } from '../crypto/member-keys/keys.js';
import { errorCode } from '../crypto/primitives/testing.js';
import { signMemberCertificate, verifyMemberCertificate, type CertifiedMember } from '../crypto/trust/certificate.js';
import { generateOrganizationKey } from '../crypto/trust/organization.js';
import { memberSigner } from '../crypto/trust/signatures.js';
import { parseSealedCompartmentKey, openCompartmentKey } from '../crypto/compartments/sealed.js';
import { currentCompartmentKey } from '../crypto/compartments/keyring.js';
import { openCaseKeys } from './case-keys.js';
import { prepareGrant, prepareRotation } from './holders.js';
import { prepareOpenCase } from './open-case.js';
import { openStoredRecord, prepareRecord } from './records.js';
import { highlightMatches, matchesQuery, prepareSearch } from './search.js';
import type { CaseStatement } from '../crypto/case-chain/statement.js';

const org = generateOrganizationKey();
let n = 0;
function person(role: Role): { id: MemberId; keys: MemberKeys; certified: CertifiedMember } {
  const keys = generateMemberKeys();
  const id = asMemberId(`00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`);
  const certificate = signMemberCertificate(org.privateKey, {
    memberId: id,
    name: `${role} ${n}`,
    role,
    encryptionPublicKey: keys.encryption.publicKey,
    signingPublicKey: keys.signing.publicKey,
    issuedBy: id,
  });
  return { id, keys, certified: verifyMemberCertificate(org.publicKey, certificate) };
}

const admin = person('administrator');
const coordinator = person('coordinator');
const specialist = person('specialist');
const psychologist = person('psychologist');
const people = [admin, coordinator, specialist, psychologist];
const certified = (id: MemberId) => people.find((p) => p.id === id)?.certified ?? null;
const signer = (p: typeof admin) => memberSigner(p.id, p.keys);
const me = (p: typeof admin) => ({ memberId: p.id, keys: p.keys });
const caseId = asCaseId('11111111-1111-4111-8111-111111111111');
const at = '2026-12-02T02:00:00.000Z';

/** A stand-in for the server: it stores what the browser sends and serves it back as CaseDetail. */
class FakeServer {
  chain: CaseStatement[] = [];
  grants: { compartment: string; epoch: number; member: string; sealed: unknown }[] = [];
  epochs: Record<string, number> = {};
  links: Record<string, { epoch: number; link: string }[]> = {};
  constructor(request: ReturnType<typeof prepareOpenCase>['request']) {
    this.chain.push(request.statement as CaseStatement);
    for (const s of request.sealedKeys) {
      const p = parseSealedCompartmentKey(s);
      this.grants.push({ compartment: p.compartment, epoch: 0, member: p.recipient, sealed: s });
    }
    for (const c of caseCompartments) {
      this.epochs[c] = 0;
      this.links[c] = [];
    }
  }
  detail(for_: MemberId): Pick<CaseDetail, 'case' | 'chain' | 'compartments' | 'myKeys'> {
    return {
      case: { id: caseId, code: 'K7F-3QX' } as unknown as CaseDetail['case'],
      chain: this.chain as unknown as CaseDetail['chain'],
      compartments: caseCompartments.map((compartment) => ({
        compartment,
        epoch: this.epochs[compartment] as number,
        holders: this.grants.filter((g) => g.compartment === compartment && g.epoch === this.epochs[compartment]).map((g) => g.member),
        pendingRemovals: [],
        links: this.links[compartment] ?? [],
      })),
      myKeys: this.grants.filter((g) => g.member === for_ && g.epoch === this.epochs[g.compartment]).map((g) => g.sealed) as CaseDetail['myKeys'],
    };
  }
}

function open() {
  const prepared = prepareOpenCase({
    caseId,
    code: 'K7F-3QX',
    category: 'officer',
    priority: 'high',
    creator: { signer: signer(coordinator), certified: coordinator.certified },
    owner: null,
    administrators: [admin.certified],
    at,
  });
  return { prepared, server: new FakeServer(prepared.request) };
}

describe('opening a case', () => {
  it('seals every compartment to the creator and the administrators, and the chain says so', () => {
    const { prepared, server } = open();
    expect(prepared.request.sealedKeys).toHaveLength(14);
    const keys = openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: null });
    expect(Object.keys(keys.keyrings).sort()).toEqual([...caseCompartments].sort());
    expect(keys.audited.compartments.identity.holders).toEqual([coordinator.id, admin.id]);
    expect(keys.head.seq).toBe(0);
  });

  it('refuses a case that only one member would hold', () => {
    expect(
      errorCode(() =>
        prepareOpenCase({
          caseId,
          code: 'K7F-3QX',
          category: 'officer',
          priority: 'low',
          creator: { signer: signer(admin), certified: admin.certified },
          owner: null,
          administrators: [admin.certified],
          at,
        }),
      ),
    ).toBe('CASE_HOLDERS_TOO_FEW');
  });
});

describe('records', () => {
  it('round-trip, signed by their author; a record of another author or version does not open', () => {
    const { server } = open();
    const keys = openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: null });
    const recordId = asRecordId('22222222-2222-4222-8222-222222222222');
    const keyring = keys.keyrings.identity!;
    const request = prepareRecord({
      caseId,
      compartment: 'identity',
      recordId,
      version: 0,
      keyring,
      signer: signer(coordinator),
      content: { kind: 'fields', fields: { realName: 'Иван Петров', unit: 'в/ч 12345' } },
    });
    const stored: StoredRecord = {
      recordId,
      kind: 'fields',
      version: 0,
      epoch: 0,
      authorId: coordinator.id,
      createdAt: at,
      sealed: request.sealed as StoredRecord['sealed'],
    };
    const opened = openStoredRecord({ stored, caseId, compartment: 'identity', keyring, author: coordinator.certified });
    expect(opened).toEqual({ ok: true, verified: true, content: { kind: 'fields', fields: { realName: 'Иван Петров', unit: 'в/ч 12345' } } });
    expect(openStoredRecord({ stored, caseId, compartment: 'identity', keyring, author: admin.certified })).toMatchObject({ ok: false });
    expect(openStoredRecord({ stored: { ...stored, version: 1 }, caseId, compartment: 'identity', keyring, author: coordinator.certified })).toMatchObject({
      ok: false,
      problem: 'RECORD_WRONG_CONTEXT',
    });
    expect(openStoredRecord({ stored, caseId, compartment: 'contact', keyring, author: coordinator.certified })).toMatchObject({ ok: false });
    expect(JSON.stringify(request)).not.toContain('Петров');
    expect(request.tokens.length).toBeGreaterThan(2);
  });
});

describe('grants and rotation', () => {
  it('a grant lets the specialist in; a rotation drops them from everything written afterwards', () => {
    const { server } = open();
    let keys = openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: null });
    const grant = prepareGrant({
      audited: keys.audited,
      compartment: 'testimony',
      keyring: keys.keyrings.testimony!,
      recipient: specialist.certified,
      signer: signer(coordinator),
      at,
    });
    server.chain.push(grant.statement as CaseStatement);
    server.grants.push({ compartment: 'testimony', epoch: 0, member: specialist.id, sealed: grant.sealedKey });
    const theirs = openCaseKeys({ detail: server.detail(specialist.id), me: me(specialist), certified, knownHead: null });
    expect(Object.keys(theirs.keyrings)).toEqual(['testimony']);
    const savedByRemoved = currentCompartmentKey(theirs.keyrings.testimony!);

    keys = openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: keys.head });
    const rotation = prepareRotation({
      audited: keys.audited,
      compartment: 'testimony',
      keyring: keys.keyrings.testimony!,
      holders: [coordinator.certified, admin.certified],
      dropped: [specialist.id],
      reason: 'revoked',
      signer: signer(coordinator),
      at,
    });
    server.chain.push(rotation.request.statement as CaseStatement);
    server.epochs.testimony = 1;
    server.links.testimony = [{ epoch: 1, link: rotation.request.link }];
    for (const s of rotation.request.sealedKeys)
      server.grants.push({ compartment: 'testimony', epoch: 1, member: parseSealedCompartmentKey(s).recipient, sealed: s });

    // The remaining holder reads epoch 0 and 1 through the link.
    const after = openCaseKeys({ detail: server.detail(admin.id), me: me(admin), certified, knownHead: null });
    expect(after.keyrings.testimony!.keys.map((k) => k.reference.epoch)).toEqual([0, 1]);
    const newRecord = prepareRecord({
      caseId,
      compartment: 'testimony',
      recordId: asRecordId('33333333-3333-4333-8333-333333333333'),
      version: 0,
      keyring: after.keyrings.testimony!,
      signer: signer(admin),
      content: { kind: 'note', text: 'после отзыва' },
    });
    const stored: StoredRecord = {
      recordId: '33333333-3333-4333-8333-333333333333',
      kind: 'note',
      version: 0,
      epoch: 1,
      authorId: admin.id,
      createdAt: at,
      sealed: newRecord.sealed as StoredRecord['sealed'],
    };
    // What the removed specialist saved opens nothing written after the rotation.
    const removedRing = { caseId, compartment: 'testimony' as const, keys: [savedByRemoved] };
    expect(openStoredRecord({ stored, caseId, compartment: 'testimony', keyring: removedRing, author: admin.certified })).toMatchObject({
      ok: false,
      problem: 'COMPARTMENT_EPOCH_UNKNOWN',
    });
    // And the removed member is served no key of the new epoch; a key sealed to someone else does not open for them.
    expect(server.detail(specialist.id).myKeys).toHaveLength(0);
    expect(errorCode(() => openCompartmentKey(rotation.request.sealedKeys[0], specialist.keys, coordinator.certified))).toBe('SEALED_KEY_WRONG_RECIPIENT');
  });

  it('detects a holder the server added without a signed grant, a hidden revocation and a rolled-back chain', () => {
    const { server } = open();
    const keys = openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: null });
    // The server reports the psychologist as a holder of `identity`, with no statement that let them in.
    const lying = server.detail(coordinator.id);
    lying.compartments[0] = { ...lying.compartments[0]!, holders: [...lying.compartments[0]!.holders, psychologist.id] };
    expect(errorCode(() => openCaseKeys({ detail: lying, me: me(coordinator), certified, knownHead: null }))).toBe('CASE_HOLDERS_MISMATCH');

    // A grant statement signed by a non-holder (the psychologist lets themself in).
    const forged = prepareGrant({
      audited: {
        ...keys.audited,
        compartments: {
          ...keys.audited.compartments,
          identity: { ...keys.audited.compartments.identity, holders: [...keys.audited.compartments.identity.holders, psychologist.id] },
        },
      },
      compartment: 'identity',
      keyring: keys.keyrings.identity!,
      recipient: specialist.certified,
      signer: signer(psychologist),
      at,
    });
    const withForged = server.detail(coordinator.id);
    withForged.chain = [...withForged.chain, forged.statement as never];
    expect(errorCode(() => openCaseKeys({ detail: withForged, me: me(coordinator), certified, knownHead: null }))).toBe('CASE_CHAIN_UNENTITLED');

    // A revocation (rotation) the browser saw, then hidden by the server: the chain is older than the known head.
    const rotation = prepareRotation({
      audited: keys.audited,
      compartment: 'contact',
      keyring: keys.keyrings.contact!,
      holders: [coordinator.certified, admin.certified],
      dropped: [],
      reason: 'renewal',
      signer: signer(coordinator),
      at,
    });
    expect(errorCode(() => openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: rotation.head }))).toBe(
      'CASE_CHAIN_ROLLBACK',
    );
    // A forked chain with the same length is a rollback too.
    expect(
      errorCode(() => openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: { seq: 0, hash: rotation.head.hash } })),
    ).toBe('CASE_CHAIN_ROLLBACK');

    // A changed statement breaks its signature.
    const altered = server.detail(coordinator.id);
    const first = structuredClone(altered.chain[0]) as unknown as CaseStatement;
    (first.body as { code: string }).code = 'AAA-AAA';
    altered.chain = [first as never];
    expect(errorCode(() => openCaseKeys({ detail: altered, me: me(coordinator), certified, knownHead: null }))).toBe('CASE_CHAIN_BROKEN');
    // A statement dropped from the middle breaks the links.
    const grant = prepareGrant({
      audited: keys.audited,
      compartment: 'legal',
      keyring: keys.keyrings.legal!,
      recipient: specialist.certified,
      signer: signer(coordinator),
      at,
    });
    const second = prepareGrant({
      audited: keys.audited,
      head: grant.head,
      compartment: 'evidence',
      keyring: keys.keyrings.evidence!,
      recipient: specialist.certified,
      signer: signer(coordinator),
      at,
    });
    const gap = server.detail(coordinator.id);
    gap.chain = [...gap.chain, second.statement as never];
    expect(errorCode(() => openCaseKeys({ detail: gap, me: me(coordinator), certified, knownHead: null }))).toBe('CASE_CHAIN_BROKEN');
  });

  it('refuses to rotate below two holders', () => {
    const { server } = open();
    const keys = openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: null });
    expect(
      errorCode(() =>
        prepareRotation({
          audited: keys.audited,
          compartment: 'logistics',
          keyring: keys.keyrings.logistics!,
          holders: [coordinator.certified],
          dropped: [admin.id],
          reason: 'revoked',
          signer: signer(coordinator),
          at,
        }),
      ),
    ).toBe('CASE_HOLDERS_TOO_FEW');
  });
});

describe('search', () => {
  it('one token group per query word over every epoch key; highlights word forms', () => {
    const { server } = open();
    const keys = openCaseKeys({ detail: server.detail(coordinator.id), me: me(coordinator), certified, knownHead: null });
    const request = prepareSearch({ query: 'паспорт контракт', keyrings: [keys.keyrings.identity!, keys.keyrings.legal!] });
    expect(request?.groups).toHaveLength(2);
    expect(request?.groups[0]).toHaveLength(2);
    const note = prepareRecord({
      caseId,
      compartment: 'identity',
      recordId: asRecordId('44444444-4444-4444-8444-444444444444'),
      version: 0,
      keyring: keys.keyrings.identity!,
      signer: signer(coordinator),
      content: { kind: 'note', text: 'Нет заграничного паспорта, контракты подписаны' },
    });
    for (const group of request?.groups ?? []) expect(group.some((t) => note.tokens.includes(t))).toBe(true);
    expect(prepareSearch({ query: 'паспорт', keyrings: [] })).toBeNull();
    expect(errorCode(() => prepareSearch({ query: 'и в на', keyrings: [keys.keyrings.identity!] }))).toBe('SEARCH_QUERY_EMPTY');
    expect(matchesQuery('Нет паспорта, есть contracts.', 'паспорт contract')).toBe(true);
    expect(matchesQuery('Нет паспорта.', 'паспорт contract')).toBe(false);
    expect(
      highlightMatches('Нет паспорта, есть contracts.', 'паспорт contract')
        .filter((s) => s.hit)
        .map((s) => s.text),
    ).toEqual(['паспорта', 'contracts']);
  });
});
