import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeOrganizationPublicKey,
  encodeAuthPublicKey,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  sealOrganizationKey,
  toBase64url,
  trustDirectoryEntry,
} from '../../src/core/index.js';
import { backends } from '../support/databases.js';
import {
  Browserish,
  certificateFor,
  firstFactor,
  inviteAndJoin,
  logIn,
  loginBody,
  newMemberMaterial,
  setUpOrganization,
  totpCode,
} from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(backends())('members, login and invitations on $name', (backend) => {
  let server: TestServer;
  let adminClient: Browserish;
  let org: Awaited<ReturnType<typeof setUpOrganization>>;
  beforeAll(async () => {
    server = await startTestServer(backend);
    adminClient = new Browserish(server.url);
    org = await setUpOrganization(adminClient);
    await logIn(adminClient, org.admin);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const count = async (table: 'members' | 'invitations' | 'sessions') =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(server.database.db)).rows[0]!.n;

  it('refuses a second setup and leaves the first intact', async () => {
    const other = new Browserish(server.url);
    await expect(setUpOrganization(other, { adminName: 'intruder' })).rejects.toThrow(/ALREADY_SET_UP/);
    expect((await other.get('/api/setup')).body.organization.name).toBe('Free Passage');
  });

  it('a fresh session knows the member, stage and organization fingerprint', async () => {
    const session = await adminClient.get('/api/session');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ stage: 'full', member: { id: org.admin.id, role: 'administrator', certified: true } });
    expect(session.body.organization.publicKey).toBe(encodeOrganizationPublicKey(org.organization.publicKey));
    expect(session.body.organization.fingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
  });

  it('session cookies are HttpOnly and SameSite=Strict', async () => {
    const c = new Browserish(server.url);
    const pre = await c.post('/api/auth/prelogin', { name: 'admin' });
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', challenge: pre.body.challenge, proof: toBase64url(new Uint8Array(64)) }),
    });
    expect(res.status).toBe(401);
    const ok = await firstFactor(c, org.admin.name, org.admin.passphrase);
    expect(ok.status).toBe(200);
    expect(c.cookie).toMatch(/^clearing_session=/);
    const raw = await fetch(`${server.url}/api/auth/prelogin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"admin"}' });
    expect(raw.status).toBe(200);
  });

  it('a wrong passphrase and an unknown name fail alike, and unknown names get stable decoy parameters', async () => {
    const c = new Browserish(server.url);
    const wrong = await firstFactor(c, org.admin.name, 'not the passphrase at all');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('LOGIN_FAILED');
    const a = await c.post('/api/auth/prelogin', { name: 'nobody-here' });
    const b = await c.post('/api/auth/prelogin', { name: 'Nobody-Here' });
    expect(a.body.kdf).toEqual(b.body.kdf);
    expect(Object.keys(a.body.kdf).sort()).toEqual(Object.keys((await c.post('/api/auth/prelogin', { name: 'admin' })).body.kdf).sort());
    await sql`DELETE FROM auth_throttle`.execute(server.database.db);
  });

  it('a replayed login request is refused, even with the right authentication key', async () => {
    const c = new Browserish(server.url);
    const pre = await c.post('/api/auth/prelogin', { name: org.admin.name });
    const { prepareLogin, insecureKdfPolicyForTests } = await import('../../src/core/index.js');
    const pending = await prepareLogin(org.admin.passphrase, pre.body.kdf, insecureKdfPolicyForTests);
    const body = loginBody(c, org.admin.name, pre.body, pending);
    expect((await c.post('/api/auth/login', body)).status).toBe(200);
    const sessionsBefore = await count('sessions');
    const replay = await new Browserish(server.url).post('/api/auth/login', body);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('LOGIN_CHALLENGE_INVALID');
    // A challenge issued for one name does not serve another.
    const pre2 = await c.post('/api/auth/prelogin', { name: 'someone-else' });
    const cross = await c.post('/api/auth/login', { ...body, challenge: pre2.body.challenge });
    expect(cross.body.error.code).toBe('LOGIN_CHALLENGE_INVALID');
    expect(await count('sessions')).toBe(sessionsBefore);
  });

  it('refuses a wrong TOTP code and the same code twice; a recovery code works once', async () => {
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'totp-tester');
    const first = await firstFactor(client, member.name, member.passphrase);
    expect(first.body.stage).toBe('totp_enrollment');
    // Not fully logged in: no keys yet.
    expect((await client.get('/api/me/keys')).body.error.code).toBe('SECOND_FACTOR_REQUIRED');
    const enrollment = await client.post('/api/auth/totp/enrollment');
    expect(enrollment.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const bad = await client.post('/api/auth/totp/enrollment/confirm', { code: '000000' === totpCode(enrollment.body.secret) ? '111111' : '000000' });
    expect(bad.body.error.code).toBe('TOTP_INVALID');
    const code = totpCode(enrollment.body.secret);
    const confirmed = await client.post('/api/auth/totp/enrollment/confirm', { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);

    const again = new Browserish(server.url);
    await firstFactor(again, member.name, member.passphrase);
    const reused = await again.post('/api/auth/second-factor', { code });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('TOTP_INVALID');
    const recovery = confirmed.body.recoveryCodes[0];
    expect((await again.post('/api/auth/second-factor', { recoveryCode: recovery })).status).toBe(200);
    const third = new Browserish(server.url);
    await firstFactor(third, member.name, member.passphrase);
    expect((await third.post('/api/auth/second-factor', { recoveryCode: recovery })).body.error.code).toBe('TOTP_INVALID');
    await sql`DELETE FROM auth_throttle`.execute(server.database.db);
  });

  it('slows repeated failures with a capped delay that never locks the member out for long', async () => {
    const c = new Browserish(server.url);
    const { member } = await inviteAndJoin(adminClient, server.url, 'verifier', 'brute-target');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await firstFactor(c, member.name, `wrong guess ${i}`);
      codes.push(r.body.error.code);
    }
    expect(codes.slice(0, 3)).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED']);
    expect(codes).toContain('TOO_MANY_ATTEMPTS');
    const blocked = await firstFactor(c, member.name, member.passphrase);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/\d+/);
    const wait = await sql<{
      s: number;
    }>`SELECT extract(epoch from (next_allowed_at - now()))::int AS s FROM auth_throttle WHERE key = ${`login:${server.secrets.nameTag('brute-target')}`}`.execute(
      server.database.db,
    );
    expect(wait.rows[0]!.s).toBeLessThanOrEqual(60);
    // Once the delay has passed, the right passphrase gets in and clears the record.
    await sql`UPDATE auth_throttle SET next_allowed_at = now() - interval '1 second'`.execute(server.database.db);
    expect((await firstFactor(c, member.name, member.passphrase)).status).toBe(200);
    expect(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM auth_throttle WHERE key = ${`login:${server.secrets.nameTag('brute-target')}`}`.execute(
          server.database.db,
        )
      ).rows[0]!.n,
    ).toBe(0);
  });

  it('refuses state changes without the anti-forgery token or from another site, changing nothing', async () => {
    const before = await count('invitations');
    const noToken = await adminClient.request('POST', '/api/invitations', { role: 'coordinator', expiresInHours: 2 }, { 'x-csrf-token': 'wrong' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('CSRF_REJECTED');
    const crossSite = await adminClient.request('POST', '/api/invitations', { role: 'coordinator', expiresInHours: 2 }, { origin: 'https://evil.example' });
    expect(crossSite.body.error.code).toBe('CSRF_REJECTED');
    const fetchSite = await adminClient.request('POST', '/api/invitations', { role: 'coordinator', expiresInHours: 2 }, { 'sec-fetch-site': 'cross-site' });
    expect(fetchSite.body.error.code).toBe('CSRF_REJECTED');
    expect(await count('invitations')).toBe(before);
  });

  it('invitation links work once, expire, and can be revoked; failures change nothing', async () => {
    const { member, token } = await inviteAndJoin(adminClient, server.url, 'specialist', 'specialist-one');
    const reuse = await new Browserish(server.url).post('/api/invitations/lookup', { token });
    expect(reuse.status).toBe(410);
    expect(reuse.body.error.code).toBe('INVITATION_USED');
    const material = await newMemberMaterial('another passphrase entirely');
    const reused = await new Browserish(server.url).post('/api/invitations/accept', {
      token,
      member: { id: crypto.randomUUID(), name: 'second-use', keyBundle: material.bundle, authPublicKey: encodeAuthPublicKey(material.auth) },
    });
    expect(reused.body.error.code).toBe('INVITATION_USED');

    const fresh = await adminClient.post('/api/invitations', { role: 'psychologist', expiresInHours: 1 });
    // A name already taken: refused, and the invitation stays usable.
    const taken = await new Browserish(server.url).post('/api/invitations/accept', {
      token: fresh.body.token,
      member: { id: crypto.randomUUID(), name: member.name.toUpperCase(), keyBundle: material.bundle, authPublicKey: encodeAuthPublicKey(material.auth) },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('NAME_TAKEN');
    expect((await new Browserish(server.url).post('/api/invitations/lookup', { token: fresh.body.token })).status).toBe(200);

    await sql`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = ${fresh.body.id}`.execute(server.database.db);
    const expired = await new Browserish(server.url).post('/api/invitations/lookup', { token: fresh.body.token });
    expect(expired.body.error.code).toBe('INVITATION_EXPIRED');

    const revocable = await adminClient.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
    expect((await adminClient.request('DELETE', `/api/invitations/${revocable.body.id}`)).status).toBe(200);
    expect((await new Browserish(server.url).post('/api/invitations/lookup', { token: revocable.body.token })).body.error.code).toBe('INVITATION_INVALID');
    expect((await new Browserish(server.url).post('/api/invitations/lookup', { token: 'A'.repeat(43) })).body.error.code).toBe('INVITATION_INVALID');
    const list = await adminClient.get('/api/invitations');
    expect(list.body.map((i: { state: string }) => i.state)).toEqual(expect.arrayContaining(['used', 'expired', 'revoked']));
  });

  it('rejects garbage, oversized and mismatched key material with clear errors and no new member', async () => {
    const before = await count('members');
    const material = await newMemberMaterial('some passphrase for tests');
    const invite = async () => (await adminClient.post('/api/invitations', { role: 'coordinator', expiresInHours: 1 })).body.token as string;
    const attempts = [
      { keyBundle: { v: 1, kdf: {}, nonce: 'x', ciphertext: 'y' }, authPublicKey: encodeAuthPublicKey(material.auth) },
      { keyBundle: { ...material.bundle, ciphertext: material.bundle.ciphertext.slice(0, 10) }, authPublicKey: encodeAuthPublicKey(material.auth) },
      { keyBundle: material.bundle, authPublicKey: 'short' },
      { keyBundle: { ...material.bundle, junk: 'x'.repeat(5000) }, authPublicKey: encodeAuthPublicKey(material.auth) },
      // Not a point on the curve: no proof could ever verify against it.
      { keyBundle: material.bundle, authPublicKey: toBase64url(new Uint8Array(32).fill(0xff)) },
    ];
    for (const a of attempts) {
      const res = await new Browserish(server.url).post('/api/invitations/accept', {
        token: await invite(),
        member: { id: crypto.randomUUID(), name: `bad-${Math.random().toString(36).slice(2, 8)}`, ...a },
      });
      expect(res.status).toBe(400);
      expect(['KEY_BUNDLE_REJECTED', 'VALIDATION_FAILED']).toContain(res.body.error.code);
    }
    const badName = await new Browserish(server.url).post('/api/invitations/accept', {
      token: await invite(),
      member: { id: crypto.randomUUID(), name: '<script>', keyBundle: material.bundle, authPublicKey: encodeAuthPublicKey(material.auth) },
    });
    expect(badName.body.error.code).toBe('VALIDATION_FAILED');
    expect(await count('members')).toBe(before);
  });

  it('certification: only a certificate from the organization key, for exactly the member’s keys and role, is stored', async () => {
    const { member } = await inviteAndJoin(adminClient, server.url, 'verifier', 'verifier-cert');
    const forged = certificateFor(generateOrganizationKey(), member, 'verifier', org.admin.id);
    expect((await adminClient.post(`/api/members/${member.id}/certificate`, { certificate: forged })).body.error.code).toBe('CERTIFICATE_REJECTED');
    const wrongRole = certificateFor(org.organization, member, 'administrator', org.admin.id);
    expect((await adminClient.post(`/api/members/${member.id}/certificate`, { certificate: wrongRole })).body.error.code).toBe('CERTIFICATE_REJECTED');
    let directory = (await adminClient.get('/api/members/directory')).body as { id: string }[];
    expect(directory.map((d) => d.id)).not.toContain(member.id);
    const good = certificateFor(org.organization, member, 'verifier', org.admin.id);
    expect((await adminClient.post(`/api/members/${member.id}/certificate`, { certificate: good })).status).toBe(200);
    directory = (await adminClient.get('/api/members/directory')).body;
    expect(directory.map((d) => d.id)).toContain(member.id);
  });

  it('key substitution: a key the server swaps into the directory is refused by the client', async () => {
    const { member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'substituted');
    await adminClient.post(`/api/members/${member.id}/certificate`, { certificate: certificateFor(org.organization, member, 'coordinator', org.admin.id) });
    const pinned = decodeOrganizationPublicKey(encodeOrganizationPublicKey(org.organization.publicKey));
    const honest = ((await adminClient.get('/api/members/directory')).body as any[]).find((d) => d.id === member.id);
    expect(trustDirectoryEntry(pinned, honest).memberId).toBe(member.id);

    // The server (or whoever controls its database) swaps in a key it holds the private half of.
    const attacker = await newMemberMaterial('attacker passphrase long enough');
    await sql`UPDATE members SET encryption_public_key = ${attacker.bundle.encryptionPublicKey} WHERE id = ${member.id}`.execute(server.database.db);
    const swapped = ((await adminClient.get('/api/members/directory')).body as any[]).find((d) => d.id === member.id);
    expect(swapped.encryptionPublicKey).toBe(attacker.bundle.encryptionPublicKey);
    expect(() => trustDirectoryEntry(pinned, swapped)).toThrow(expect.objectContaining({ code: 'KEY_SUBSTITUTION' }));
    // Swapping the certificate too does not help without the organization's private key.
    const selfMade = certificateFor(generateOrganizationKey(), { ...member, keys: attacker.keys }, 'coordinator', org.admin.id);
    expect(() => trustDirectoryEntry(pinned, { ...swapped, certificate: selfMade })).toThrow(expect.objectContaining({ code: 'KEY_SUBSTITUTION' }));
  });

  it('the member list carries what the caller may do to each member, as the resource policy decides', async () => {
    const { member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'able-one');
    const list = (await adminClient.get('/api/members')).body as { id: string; abilities: Record<string, boolean> }[];
    const self = list.find((m) => m.id === org.admin.id)!;
    const other = list.find((m) => m.id === member.id)!;
    // Nobody suspends, removes or re-roles themself; an administrator renews their own certificate.
    expect(self.abilities).toEqual({ certify: true, changeRole: false, suspend: false, reinstate: true, remove: false });
    expect(other.abilities).toEqual({ certify: true, changeRole: true, suspend: true, reinstate: true, remove: true });
  });

  it('role changes, suspension and removal: sessions end, the last administrator stays, nobody changes themself', async () => {
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'role-changer');
    await logIn(client, member);
    expect((await adminClient.post(`/api/members/${org.admin.id}/role`, { role: 'coordinator' })).body.error.code).toBe('CANNOT_CHANGE_SELF');
    expect((await adminClient.post(`/api/members/${org.admin.id}/suspend`)).body.error.code).toBe('CANNOT_CHANGE_SELF');

    // Promotion to administrator needs the organization key sealed to the member.
    expect((await adminClient.post(`/api/members/${member.id}/role`, { role: 'administrator' })).body.error.code).toBe('SEALED_KEY_REJECTED');
    const promoted = await adminClient.post(`/api/members/${member.id}/role`, {
      role: 'administrator',
      certificate: certificateFor(org.organization, member, 'administrator', org.admin.id),
      sealedOrganizationKey: sealOrganizationKey(org.organization, member.keys.encryption.publicKey),
    });
    expect(promoted.status).toBe(200);
    // The old session carried the old role: it is gone.
    expect((await client.get('/api/session')).status).toBe(401);
    const relogged = await logIn(client, member);
    expect(relogged.sealedOrganizationKey).not.toBeNull();

    const suspended = await adminClient.post(`/api/members/${member.id}/suspend`);
    expect(suspended.status).toBe(200);
    expect((await client.get('/api/session')).status).toBe(401);
    const denied = await firstFactor(new Browserish(server.url), member.name, member.passphrase);
    expect(denied.body.error.code).toBe('MEMBER_SUSPENDED');
    expect((await adminClient.post(`/api/members/${member.id}/reinstate`)).status).toBe(200);
    expect((await adminClient.post(`/api/members/${member.id}/remove`)).status).toBe(200);
    expect((await firstFactor(new Browserish(server.url), member.name, member.passphrase)).body.error.code).toBe('MEMBER_SUSPENDED');
    const list = (await adminClient.get('/api/members')).body as { id: string; status: string }[];
    expect(list.find((m) => m.id === member.id)?.status).toBe('removed');
  });

  it('logout ends the session; logout everywhere ends them all', async () => {
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'partner', 'partner-logout');
    await logIn(client, member);
    const other = new Browserish(server.url);
    await logIn(other, member);
    expect((await client.post('/api/auth/logout')).status).toBe(200);
    expect((await client.get('/api/session')).status).toBe(401);
    expect((await other.get('/api/session')).status).toBe(200);
    const third = new Browserish(server.url);
    await logIn(third, member);
    expect((await third.post('/api/auth/logout-everywhere')).status).toBe(200);
    expect((await other.get('/api/session')).status).toBe(401);
    expect((await third.get('/api/session')).status).toBe(401);
  });
});
