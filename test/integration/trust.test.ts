import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asMemberId,
  signMemberCertificate,
  encodeAuthPublicKey,
  decodePublicKey,
  encodeOrganizationPublicKey,
  followKeyRotations,
  generateOrganizationKey,
  sealOrganizationKey,
  signInvitationStatement,
  signKeyRotation,
  signMembershipList,
  toBase64url,
  verifyMembershipList,
  type MemberId,
  type OrganizationKeyPair,
  type Role,
} from '../../src/core/index.js';
import { backends } from '../support/databases.js';
import {
  Browserish,
  certificateFor,
  inviteAndJoin,
  logIn,
  newMemberMaterial,
  publishMembershipList,
  setUpOrganization,
  type TestMember,
} from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/*
 * Items 2, 4, 7 and 8 of "Login and trust, hardened against the server
 * itself", over HTTP against a real database: names in certificates and
 * look-alike names, administrators without the organization key, the signed
 * membership list, organization-key rotation, bundles bound to the key.
 */
describe.each(backends())('trust on $name', (backend) => {
  let server: TestServer;
  let adminClient: Browserish;
  let org: Awaited<ReturnType<typeof setUpOrganization>>;
  let orgKey: OrganizationKeyPair;
  beforeAll(async () => {
    server = await startTestServer(backend);
    adminClient = new Browserish(server.url);
    org = await setUpOrganization(adminClient, { adminName: 'anna' });
    orgKey = org.organization;
    await logIn(adminClient, org.admin);
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const signedBy = () => ({ organization: orgKey, adminId: org.admin.id });
  const certify = async (member: TestMember, role: Role = member.role, extra: Record<string, unknown> = {}) =>
    adminClient.post(`/api/members/${member.id}/certificate`, { certificate: certificateFor(orgKey, member, role, org.admin.id), ...extra });

  it('refuses a name that looks like an existing member’s (UTS #39 skeleton), and the same name in any case', async () => {
    await expect(inviteAndJoin(adminClient, server.url, 'coordinator', 'аnna')).rejects.toThrow(/NAME_CONFUSABLE/); // Cyrillic а
    await expect(inviteAndJoin(adminClient, server.url, 'coordinator', 'ANNA')).rejects.toThrow(/NAME_TAKEN/);
    await expect(inviteAndJoin(adminClient, server.url, 'coordinator', 'Αnna')).rejects.toThrow(/NAME_CONFUSABLE/); // Greek Α
    const { member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'Anne');
    expect(member.name).toBe('Anne');
  });

  it('a certificate must name the member as stored: a server swapping names is refused, and version 1 is no longer accepted', async () => {
    const { member } = await inviteAndJoin(adminClient, server.url, 'specialist', 'Boris');
    const wrongName = signMemberCertificate(orgKey.privateKey, {
      memberId: member.id as MemberId,
      name: 'Anne',
      role: 'specialist',
      encryptionPublicKey: member.keys.encryption.publicKey,
      signingPublicKey: member.keys.signing.publicKey,
      issuedBy: org.admin.id as MemberId,
    });
    expect((await adminClient.post(`/api/members/${member.id}/certificate`, { certificate: wrongName })).body.error.code).toBe('CERTIFICATE_REJECTED');
    const { name: _n, nameKey: _k, ...v1body } = certificateFor(orgKey, member, 'specialist', org.admin.id).body;
    expect(
      (await adminClient.post(`/api/members/${member.id}/certificate`, { certificate: { v: 1, body: v1body, signature: toBase64url(new Uint8Array(64)) } }))
        .body.error.code,
    ).toBe('CERTIFICATE_REJECTED');
    expect((await certify(member)).status).toBe(200);
    const entry = ((await adminClient.get('/api/members/directory')).body as any[]).find((d) => d.id === member.id);
    expect(entry.certificate.body).toMatchObject({ name: 'Boris', nameKey: 'boris' });
  });

  it('an uncertified administrator has no administrator’s powers, and does not count as the last administrator', async () => {
    // Without the organization key's signature, no administrator invitation.
    const unsigned = await adminClient.post('/api/invitations', { role: 'administrator', expiresInHours: 24 });
    expect(unsigned.body.error.code).toBe('INVITATION_STATEMENT_REJECTED');
    const forged = signInvitationStatement(generateOrganizationKey().privateKey, {
      invitationId: crypto.randomUUID(),
      role: 'administrator',
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      issuedBy: asMemberId(org.admin.id),
    });
    expect((await adminClient.post('/api/invitations', { role: 'administrator', expiresInHours: 1, statement: forged })).body.error.code).toBe(
      'INVITATION_STATEMENT_REJECTED',
    );
    const honest = signInvitationStatement(orgKey.privateKey, {
      invitationId: crypto.randomUUID(),
      role: 'coordinator',
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      issuedBy: asMemberId(org.admin.id),
    });
    expect((await adminClient.post('/api/invitations', { role: 'administrator', expiresInHours: 1, statement: honest })).body.error.code).toBe(
      'INVITATION_STATEMENT_REJECTED',
    );

    const { client, member } = await inviteAndJoin(adminClient, server.url, 'administrator', 'Vera', undefined, signedBy());
    await logIn(client, member);
    // Full session, administrator role, but not certified: every administrator's action is refused.
    for (const [method, path] of [
      ['GET', '/api/audit/head'],
      ['GET', '/api/members'],
      ['POST', `/api/members/${org.admin.id}/remove`],
      ['POST', '/api/invitations'],
    ] as const) {
      const res = await client.request(method, path, method === 'POST' ? { role: 'coordinator', expiresInHours: 1 } : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    // The only certified, key-holding administrator cannot be removed or demoted in their favour.
    expect((await client.post(`/api/members/${org.admin.id}/remove`)).status).toBe(403);
    // Certifying an administrator also hands them the organization key; without it, refused.
    expect((await certify(member)).body.error.code).toBe('SEALED_KEY_REJECTED');
    expect((await certify(member, 'administrator', { sealedOrganizationKey: sealOrganizationKey(orgKey, member.keys.encryption.publicKey) })).status).toBe(200);
    const grants = await sql<{ n: number }>`SELECT count(*)::int AS n FROM organization_key_grants WHERE member_id = ${member.id}`.execute(server.database.db);
    expect(grants.rows[0]!.n).toBe(1);
    // Now certified and holding the key: a full administrator after logging in again.
    await logIn(client, member);
    expect((await client.get('/api/members')).status).toBe(200);
  });

  it('the last-administrator guard counts only certified administrators who hold the organization key', async () => {
    const s = await startTestServer(backend);
    try {
      const a = new Browserish(s.url);
      const o = await setUpOrganization(a, { adminName: 'solo' });
      await logIn(a, o.admin);
      const { member } = await inviteAndJoin(a, s.url, 'administrator', 'never-certified', undefined, { organization: o.organization, adminId: o.admin.id });
      // A second administrator who never got the key cannot be the reason the only real one may go.
      const b = new Browserish(s.url);
      await logIn(b, member);
      await sql`UPDATE members SET certificate = ${JSON.stringify(certificateFor(o.organization, member, 'administrator', o.admin.id))}::jsonb WHERE id = ${member.id}`.execute(
        s.database.db,
      );
      await logIn(b, member);
      // Certified in the database (say, by a server that wrote it) but holding no key grant: still not counted.
      const removal = await b.post(`/api/members/${o.admin.id}/remove`);
      expect(removal.body.error.code).toBe('LAST_ADMINISTRATOR');
    } finally {
      await s.dispose();
    }
  });

  it('membership lists: signed by the organization key, one counter after the last, agreeing with the members table', async () => {
    const first = await publishMembershipList(adminClient, orgKey, org.admin.id);
    const got = await adminClient.get('/api/organization/membership-list');
    expect(verifyMembershipList(orgKey.publicKey, got.body.list).counter).toBe(first.body.counter);
    // Replaying the same counter, or skipping one, is refused.
    const replay = await adminClient.post('/api/organization/membership-list', { list: first });
    expect(replay.body.error.code).toBe('MEMBERSHIP_LIST_REJECTED');
    const forged = signMembershipList(generateOrganizationKey().privateKey, {
      counter: first.body.counter + 1,
      issuedBy: asMemberId(org.admin.id),
      members: [],
    });
    expect((await adminClient.post('/api/organization/membership-list', { list: forged })).body.error.code).toBe('MEMBERSHIP_LIST_REJECTED');
    // A list that contradicts the server (a role nobody has) is refused too.
    const liar = signMembershipList(orgKey.privateKey, {
      counter: first.body.counter + 1,
      issuedBy: asMemberId(org.admin.id),
      members: [
        {
          id: asMemberId(org.admin.id),
          name: 'anna',
          role: 'partner',
          status: 'active',
          encryptionPublicKey: org.admin.keys.encryption.publicKey,
          signingPublicKey: org.admin.keys.signing.publicKey,
        },
      ],
    });
    expect((await adminClient.post('/api/organization/membership-list', { list: liar })).body.error.code).toBe('MEMBERSHIP_LIST_REJECTED');
    const audit = await sql<{
      detail: Record<string, unknown>;
    }>`SELECT detail FROM audit_entries WHERE action = 'membership.list_published' ORDER BY seq DESC LIMIT 1`.execute(server.database.db);
    expect(Object.keys(audit.rows[0]!.detail).sort()).toEqual(['counter', 'members']);
  });

  it('removing an administrator marks a rotation pending; the rotation replaces the key, re-certifies, re-seals and publishes', async () => {
    const { member: vera } = await inviteAndJoin(adminClient, server.url, 'administrator', 'Vera2', undefined, signedBy());
    await certify(vera, 'administrator', { sealedOrganizationKey: sealOrganizationKey(orgKey, vera.keys.encryption.publicKey) });
    await publishMembershipList(adminClient, orgKey, org.admin.id);
    expect((await adminClient.post(`/api/members/${vera.id}/remove`)).status).toBe(200);
    expect((await adminClient.get('/api/organization/key-rotations')).body.rotationPending).toBe(true);

    const members = ((await adminClient.get('/api/members')).body as any[]).filter((m) => m.status !== 'removed' && m.certificate !== null);
    const next = generateOrganizationKey();
    const statement = signKeyRotation(orgKey, next.publicKey, asMemberId(org.admin.id));
    const certificates = members.map((m) => ({
      memberId: m.id,
      certificate: signMemberCertificate(next.privateKey, {
        memberId: m.id,
        name: m.name,
        role: m.role,
        encryptionPublicKey: decodePublicKey(m.encryptionPublicKey, 'x25519'),
        signingPublicKey: decodePublicKey(m.signingPublicKey, 'ed25519'),
        issuedBy: asMemberId(org.admin.id),
      }),
    }));
    const admins = members.filter((m) => m.role === 'administrator' && m.status === 'active');
    const sealedKeys = admins.map((m) => ({
      memberId: m.id,
      sealedOrganizationKey: sealOrganizationKey(next, decodePublicKey(m.encryptionPublicKey, 'x25519')),
    }));
    const counter = verifyMembershipList(orgKey.publicKey, (await adminClient.get('/api/organization/membership-list')).body.list).counter + 1;
    const membershipList = signMembershipList(next.privateKey, {
      counter,
      issuedBy: asMemberId(org.admin.id),
      members: members.map((m) => ({
        id: m.id,
        name: m.name,
        role: m.role,
        status: m.status,
        encryptionPublicKey: decodePublicKey(m.encryptionPublicKey, 'x25519'),
        signingPublicKey: decodePublicKey(m.signingPublicKey, 'ed25519'),
      })),
    });
    // Incomplete (an administrator left without the new key): refused, nothing changes.
    const partial = await adminClient.post('/api/organization/key-rotation', { statement, certificates, sealedKeys: sealedKeys.slice(1), membershipList });
    expect(partial.status).toBe(409);
    // A statement not signed by the current key: refused.
    const rogue = signKeyRotation(generateOrganizationKey(), next.publicKey, asMemberId(org.admin.id));
    expect((await adminClient.post('/api/organization/key-rotation', { statement: rogue, certificates, sealedKeys, membershipList })).body.error.code).toBe(
      'KEY_ROTATION_REJECTED',
    );

    const done = await adminClient.post('/api/organization/key-rotation', { statement, certificates, sealedKeys, membershipList });
    expect(done.status).toBe(200);
    const setup = await adminClient.get('/api/setup');
    expect(setup.body.organization.publicKey).toBe(encodeOrganizationPublicKey(next.publicKey));
    const rotations = await new Browserish(server.url).get('/api/organization/key-rotations');
    expect(rotations.body.rotationPending).toBe(false);
    // A browser that pinned the old key follows the chain to the new one.
    expect(followKeyRotations(orgKey.publicKey, rotations.body.rotations, next.publicKey)).toEqual(next.publicKey);
    // The removed administrator's grant is gone; only the remaining administrators hold the new key.
    const holders = await sql<{ member_id: string }>`SELECT member_id FROM organization_key_grants`.execute(server.database.db);
    expect(holders.rows.map((r) => r.member_id).sort()).toEqual(admins.map((m) => m.id).sort());
    expect(holders.rows.map((r) => r.member_id)).not.toContain(vera.id);
    const audit = await sql<{ detail: Record<string, unknown> }>`SELECT detail FROM audit_entries WHERE action = 'organization.key_rotated'`.execute(
      server.database.db,
    );
    expect(audit.rows[0]!.detail).toEqual({ members: members.length, administrators: admins.length });
    orgKey = next;
  });

  it('an organization from before version 2: a v1 certificate keeps its holder certified, and they can certify themself again with a name', async () => {
    const { name: _n, nameKey: _k, ...v1body } = certificateFor(orgKey, org.admin, 'administrator', org.admin.id).body;
    const { signJson, labels } = await import('../../src/core/crypto/trust/signatures.js').then(async (m) => ({
      signJson: m.signJson,
      labels: (await import('../../src/core/crypto/primitives/labels.js')).labels,
    }));
    const v1 = { v: 1, body: v1body, signature: toBase64url(signJson(orgKey.privateKey, labels.memberCertificate, v1body)) };
    await sql`UPDATE members SET certificate = ${JSON.stringify(v1)}::jsonb WHERE id = ${org.admin.id}`.execute(server.database.db);
    expect((await adminClient.get('/api/members')).status).toBe(200);
    const renewed = await adminClient.post(`/api/members/${org.admin.id}/certificate`, {
      certificate: certificateFor(orgKey, org.admin, 'administrator', org.admin.id),
    });
    expect(renewed.status).toBe(200);
    const me = ((await adminClient.get('/api/members')).body as any[]).find((m) => m.id === org.admin.id);
    expect(me.certificate.v).toBe(2);
  });

  it('a key bundle bound to another organization key is refused when joining', async () => {
    const invitation = await adminClient.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
    const material = await newMemberMaterial('a passphrase long enough for this');
    const other = await (async () => {
      const { createMember, insecureKdfParamsForTests, insecureKdfPolicyForTests } = await import('../../src/core/index.js');
      return createMember(
        'a passphrase long enough for this',
        insecureKdfParamsForTests(),
        insecureKdfPolicyForTests,
        encodeOrganizationPublicKey(generateOrganizationKey().publicKey),
      );
    })();
    const wrong = await new Browserish(server.url).post('/api/invitations/accept', {
      token: invitation.body.token,
      member: { id: crypto.randomUUID(), name: 'Gleb', keyBundle: other.bundle, authPublicKey: encodeAuthPublicKey(other.auth) },
    });
    expect(wrong.body.error.code).toBe('KEY_BUNDLE_REJECTED');
    expect(material.bundle.v).toBe(1);
  });
});
