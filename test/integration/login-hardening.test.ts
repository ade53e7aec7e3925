import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deriveAuthKey,
  deriveMasterKey,
  encodeAuthPublicKey,
  insecureKdfParamsForTests,
  insecureKdfPolicyForTests,
  parseKeyBundle,
  prepareLogin,
  preparePassphraseChange,
  toBase64url,
} from '../../src/core/index.js';
import { hashAuthKey } from '../../src/server/members/slow-hash.js';
import { purgeExpired } from '../../src/server/members/housekeeping.js';
import { backends } from '../support/databases.js';
import {
  Browserish,
  firstFactor,
  inviteAndJoin,
  logIn,
  loginBody,
  newMemberMaterial,
  setUpOrganization,
  totpCode,
  type TestMember,
} from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Login and account changes against a server that records, replays and races:
 * each test here fails on a login that compares a static key, on one-time
 * codes checked before they are spent, and on a throttle read apart from its write.
 * The races run on PostgreSQL too, where requests really run side by side.
 */
describe.each(backends())('login against a hostile network on $name', (backend) => {
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

  const db = () => server.database.db;
  const auditCount = async (action: string, subject: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_entries WHERE action = ${action} AND subject_id = ${subject}`.execute(db())).rows[0]!.n;
  const sessionCount = async (memberId: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions WHERE member_id = ${memberId} AND revoked_at IS NULL`.execute(db())).rows[0]!.n;

  /** A member who has enrolled TOTP, logged out, and whose next code has not been used. */
  async function enrolled(name: string): Promise<{ member: TestMember }> {
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'coordinator', name);
    await logIn(client, member);
    await client.post('/api/auth/logout');
    return { member };
  }

  /** `n` half-finished logins of one member, made one after another (each success clears the throttle). */
  async function pendingSessions(member: TestMember, n: number): Promise<Browserish[]> {
    const clients: Browserish[] = [];
    for (let i = 0; i < n; i++) {
      const c = new Browserish(server.url);
      expect((await firstFactor(c, member.name, member.passphrase)).status).toBe(200);
      clients.push(c);
    }
    return clients;
  }

  it('a recorded login request, replayed with a fresh challenge, is refused', async () => {
    const c = new Browserish(server.url);
    const pre = await c.post('/api/auth/prelogin', { name: org.admin.name });
    expect(pre.body.memberId).toBe(org.admin.id);
    const pending = await prepareLogin(org.admin.passphrase, pre.body.kdf, insecureKdfPolicyForTests);
    const recorded = loginBody(c, org.admin.name, pre.body, pending);
    expect((await c.post('/api/auth/login', recorded)).status).toBe(200);
    const before = await sessionCount(org.admin.id);

    // The eavesdropper asks for a new challenge and sends the recorded proof with it.
    const attacker = new Browserish(server.url);
    const fresh = await attacker.post('/api/auth/prelogin', { name: org.admin.name });
    const replay = await attacker.post('/api/auth/login', { ...recorded, challenge: fresh.body.challenge });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('LOGIN_FAILED');
    expect(attacker.cookie).toBeNull();
    expect(await sessionCount(org.admin.id)).toBe(before);

    // A proof made for another origin or another purpose does not count either.
    for (const tamper of [{ origin: 'https://phish.example' }, { purpose: 'passphrase-change' as const }, { memberId: crypto.randomUUID() }]) {
      await sql`DELETE FROM auth_throttle`.execute(db());
      const next = await attacker.post('/api/auth/prelogin', { name: org.admin.name });
      const proof = pending.prove({ purpose: 'login', challenge: next.body.challenge, memberId: org.admin.id, origin: new URL(server.url).origin, ...tamper });
      const res = await attacker.post('/api/auth/login', { name: org.admin.name, challenge: next.body.challenge, proof });
      expect(res.body.error?.code, JSON.stringify(tamper)).toBe('LOGIN_FAILED');
    }
    pending.wipe();
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('the database holds no login secret: only the public half of the authentication key', async () => {
    const row = (
      await sql<{ auth_hash: string | null; auth_public_key: string }>`SELECT auth_hash, auth_public_key FROM members WHERE id = ${org.admin.id}`.execute(db())
    ).rows[0]!;
    expect(row.auth_hash).toBeNull();
    expect(row.auth_public_key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('an account made before login proofs moves over at its next login, and the old request stops working', async () => {
    // A member as the previous version stored them: a slow hash of the static authentication key.
    const { member } = await inviteAndJoin(adminClient, server.url, 'verifier', 'old-timer');
    const bundle = parseKeyBundle(
      (await sql<{ key_bundle: unknown }>`SELECT key_bundle FROM members WHERE id = ${member.id}`.execute(db())).rows[0]!.key_bundle,
    );
    const legacyKey = deriveAuthKey(await deriveMasterKey(member.passphrase, bundle.kdf, insecureKdfPolicyForTests));
    await sql`UPDATE members SET auth_hash = ${await hashAuthKey(legacyKey)}, auth_public_key = NULL WHERE id = ${member.id}`.execute(db());

    const c = new Browserish(server.url);
    const pre = await c.post('/api/auth/prelogin', { name: member.name });
    expect(pre.body.upgrade).toBe(true);
    const pending = await prepareLogin(member.passphrase, pre.body.kdf, insecureKdfPolicyForTests);
    // Without the old key the move is refused: a server-side key cannot be planted by whoever guesses the id.
    const withoutOld = await c.post('/api/auth/login', {
      name: member.name,
      challenge: pre.body.challenge,
      proof: pending.prove({ purpose: 'login', challenge: pre.body.challenge, memberId: member.id, origin: new URL(server.url).origin }),
      authKey: toBase64url(new Uint8Array(32)),
      authPublicKey: pending.authPublicKey,
    });
    expect(withoutOld.body.error.code).toBe('LOGIN_FAILED');
    const pre2 = await c.post('/api/auth/prelogin', { name: member.name });
    const moving = loginBody(c, member.name, pre2.body, pending);
    expect(moving.authKey).toBe(toBase64url(legacyKey));
    expect((await c.post('/api/auth/login', moving)).status).toBe(200);
    const row = (
      await sql<{ auth_hash: string | null; auth_public_key: string | null }>`SELECT auth_hash, auth_public_key FROM members WHERE id = ${member.id}`.execute(
        db(),
      )
    ).rows[0]!;
    expect(row).toEqual({ auth_hash: null, auth_public_key: pending.authPublicKey });
    expect(await auditCount('auth.login_upgraded', member.id)).toBe(1);

    // The old-style key alone, as a recording of an old login would carry it, opens nothing now.
    const pre3 = await c.post('/api/auth/prelogin', { name: member.name });
    expect(pre3.body.upgrade).toBeUndefined();
    const oldStyle = await c.post('/api/auth/login', {
      name: member.name,
      challenge: pre3.body.challenge,
      proof: toBase64url(new Uint8Array(64)),
      authKey: toBase64url(legacyKey),
      authPublicKey: encodeAuthPublicKey((await newMemberMaterial('x y z w v')).auth),
    });
    expect(oldStyle.body.error.code).toBe('LOGIN_FAILED');
    expect((await sql<{ k: string }>`SELECT auth_public_key AS k FROM members WHERE id = ${member.id}`.execute(db())).rows[0]!.k).toBe(pending.authPublicKey);
    pending.wipe();
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('one TOTP code is accepted by exactly one of five concurrent pending sessions', async () => {
    const { member } = await enrolled('racer-totp');
    const clients = await pendingSessions(member, 5);
    const code = totpCode(member.totpSecret!, 1);
    const results = await Promise.all(clients.map((c) => c.post('/api/auth/second-factor', { code })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => ['TOTP_INVALID', 'TOO_MANY_ATTEMPTS'].includes(r.body.error.code))).toBe(true);
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('one recovery code is accepted by exactly one of five concurrent pending sessions', async () => {
    const { member } = await enrolled('racer-recovery');
    const clients = await pendingSessions(member, 5);
    const recoveryCode = member.recoveryCodes![0]!;
    const results = await Promise.all(clients.map((c) => c.post('/api/auth/second-factor', { recoveryCode })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const left = (await sql<{ n: number }>`SELECT jsonb_array_length(recovery_codes)::int AS n FROM members WHERE id = ${member.id}`.execute(db())).rows[0]!.n;
    expect(left).toBe(9);
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('of 25 concurrent wrong codes exactly 3 are checked; the rest wait', async () => {
    const { member } = await enrolled('racer-guess');
    const clients = await pendingSessions(member, 25);
    const wrong = totpCode(member.totpSecret!, 1) === '000000' ? '111111' : '000000';
    const results = await Promise.all(clients.map((c) => c.post('/api/auth/second-factor', { code: wrong })));
    expect(results.filter((r) => r.body.error?.code === 'TOTP_INVALID')).toHaveLength(3);
    expect(results.filter((r) => r.body.error?.code === 'TOO_MANY_ATTEMPTS')).toHaveLength(22);
    expect(await auditCount('auth.second_factor_failed', member.id)).toBe(3);
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('of 12 concurrent wrong logins exactly 3 are checked', async () => {
    const { member } = await enrolled('racer-login');
    const attempts = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const c = new Browserish(server.url);
        const pre = await c.post('/api/auth/prelogin', { name: member.name });
        const pending = await prepareLogin(`wrong passphrase ${i}`, pre.body.kdf, insecureKdfPolicyForTests);
        return { c, body: loginBody(c, member.name, pre.body, pending) };
      }),
    );
    const results = await Promise.all(attempts.map(({ c, body }) => c.post('/api/auth/login', body)));
    expect(results.filter((r) => r.body.error?.code === 'LOGIN_FAILED')).toHaveLength(3);
    expect(results.filter((r) => r.body.error?.code === 'TOO_MANY_ATTEMPTS')).toHaveLength(9);
    expect(await auditCount('auth.login_failed', member.id)).toBe(3);
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('finishing the second factor issues a new session token and anti-forgery token; the pending ones stop working', async () => {
    const { member } = await enrolled('token-renewal');
    const c = new Browserish(server.url);
    const pre = await c.post('/api/auth/prelogin', { name: member.name });
    const pending = await prepareLogin(member.passphrase, pre.body.kdf, insecureKdfPolicyForTests);
    const raw = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(loginBody(c, member.name, pre.body, pending)),
    });
    expect(raw.status).toBe(200);
    const setCookie = raw.headers.get('set-cookie') ?? '';
    // The half-finished login's cookie lives minutes, not the full session's 12 hours.
    const maxAge = Number(/Max-Age=(\d+)/i.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(600);
    c.cookie = setCookie.split(';')[0]!;
    const pendingCookie = c.cookie;
    const pendingCsrf = ((await raw.json()) as { csrfToken: string }).csrfToken;
    c.csrf = pendingCsrf;

    const done = await c.post('/api/auth/second-factor', { code: totpCode(member.totpSecret!, 1) });
    expect(done.status).toBe(200);
    expect(c.cookie).not.toBe(pendingCookie);
    expect(done.body.csrfToken).not.toBe(pendingCsrf);
    // Whoever copied the pending cookie cannot ride the full session.
    const stolen = new Browserish(server.url);
    stolen.cookie = pendingCookie;
    expect((await stolen.get('/api/session')).status).toBe(401);
    // And the old anti-forgery token no longer passes on the new session.
    const oldCsrf = await c.request('POST', '/api/auth/logout-everywhere', {}, { 'x-csrf-token': pendingCsrf });
    expect(oldCsrf.body.error.code).toBe('CSRF_REJECTED');
    expect((await c.get('/api/session')).body.stage).toBe('full');
    pending.wipe();
  });

  it('typed names never reach the database: challenges and throttle rows carry tags, and a passphrase typed as a name leaves no trace', async () => {
    const marker = 'Typed-Passphrase-Marker-7';
    const c = new Browserish(server.url);
    const pre = await c.post('/api/auth/prelogin', { name: marker });
    expect(pre.status).toBe(200);
    await c.post('/api/auth/login', { name: marker, challenge: pre.body.challenge, proof: toBase64url(new Uint8Array(64)) });
    const dump =
      JSON.stringify((await sql`SELECT * FROM login_challenges`.execute(db())).rows) +
      JSON.stringify((await sql`SELECT * FROM auth_throttle`.execute(db())).rows);
    for (const form of [marker, marker.toLowerCase(), marker.toUpperCase()]) expect(dump.includes(form)).toBe(false);
    expect(server.logs().toLowerCase().includes(marker.toLowerCase())).toBe(false);
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('unknown names get decoys shaped like members: default parameters, a member-like id, no extra work to tell apart', async () => {
    const c = new Browserish(server.url);
    const a = await c.post('/api/auth/prelogin', { name: 'nobody-at-all' });
    const b = await c.post('/api/auth/prelogin', { name: 'Nobody-At-All' });
    expect(a.body.memberId).toBe(b.body.memberId);
    expect(a.body.memberId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.body.kdf).toEqual(b.body.kdf);
    expect(a.body.kdf).toMatchObject({ algorithm: 'argon2id', version: 19, memoryKiB: 128 * 1024, iterations: 3, parallelism: 1 });
    expect(a.body.upgrade).toBeUndefined();
    expect(Object.keys(a.body).sort()).toEqual(['challenge', 'kdf', 'memberId']);
  });

  it('stores TOTP secrets sealed with the server secret, never in the clear', async () => {
    const { member } = await enrolled('sealed-totp');
    const stored = (await sql<{ s: string }>`SELECT totp_secret AS s FROM members WHERE id = ${member.id}`.execute(db())).rows[0]!.s;
    expect(stored.startsWith('v1.')).toBe(true);
    expect(stored).not.toContain(member.totpSecret!);
    expect(server.secrets.openTotpSecret(member.id, stored)).toBe(member.totpSecret);
    // Sealed for one member, it opens for no other.
    expect(server.secrets.openTotpSecret(org.admin.id, stored)).toBeNull();
    await adminClient.post(`/api/members/${member.id}/remove`);
    const removed = (
      await sql<{ s: string | null; r: string[] }>`SELECT totp_secret AS s, recovery_codes AS r FROM members WHERE id = ${member.id}`.execute(db())
    ).rows[0]!;
    expect(removed).toEqual({ s: null, r: [] });
  });

  it('a database restored without its server secret: authenticator codes stop working, recovery codes still let the member in', async () => {
    const { member } = await enrolled('restored-elsewhere');
    const { ServerSecrets } = await import('../../src/server/secrets.js');
    const foreign = new ServerSecrets(Buffer.alloc(32, 9)).sealTotpSecret(member.id, member.totpSecret!);
    await sql`UPDATE members SET totp_secret = ${foreign} WHERE id = ${member.id}`.execute(db());
    const c = new Browserish(server.url);
    await firstFactor(c, member.name, member.passphrase);
    expect((await c.post('/api/auth/second-factor', { code: totpCode(member.totpSecret!, 1) })).body.error.code).toBe('TOTP_INVALID');
    expect((await c.post('/api/auth/second-factor', { recoveryCode: member.recoveryCodes![0] })).status).toBe(200);
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  it('purges spent challenges, idle throttle rows, ended sessions and old invitations', async () => {
    await sql`INSERT INTO login_challenges (challenge_hash, subject_tag, expires_at) VALUES ('old-challenge', 'tag', now() - interval '1 minute')`.execute(
      db(),
    );
    await sql`INSERT INTO auth_throttle (key, failures, next_allowed_at, updated_at) VALUES ('login:old', 5, now() - interval '2 days', now() - interval '2 days')`.execute(
      db(),
    );
    await sql`INSERT INTO auth_throttle (key, failures, next_allowed_at, updated_at) VALUES ('login:fresh', 5, now() + interval '30 seconds', now())`.execute(
      db(),
    );
    const old = await adminClient.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
    await sql`UPDATE invitations SET expires_at = now() - interval '8 days' WHERE id = ${old.body.id}`.execute(db());
    await sql`INSERT INTO sessions (id_hash, member_id, stage, csrf_token, expires_at) VALUES ('ended', ${org.admin.id}, 'full', 'x', now() - interval '2 days')`.execute(
      db(),
    );
    await sql`INSERT INTO webauthn_challenges (challenge_hash, member_id, session_hash, purpose, expires_at) VALUES ('old-webauthn', ${org.admin.id}, 'x', 'login', now() - interval '1 minute')`.execute(
      db(),
    );
    await sql`UPDATE members SET totp_pending_secret = 'v1.x.y', totp_pending_expires_at = now() - interval '1 minute' WHERE id = ${org.admin.id}`.execute(
      db(),
    );
    const counts = await purgeExpired(server.database);
    expect(counts.secondFactors).toBeGreaterThanOrEqual(2);
    expect((await sql`SELECT 1 FROM webauthn_challenges WHERE challenge_hash = 'old-webauthn'`.execute(db())).rows).toHaveLength(0);
    expect((await sql<{ p: string | null }>`SELECT totp_pending_secret AS p FROM members WHERE id = ${org.admin.id}`.execute(db())).rows[0]!.p).toBeNull();
    expect(counts.challenges).toBeGreaterThanOrEqual(1);
    expect(counts.throttle).toBeGreaterThanOrEqual(1);
    expect(counts.sessions).toBeGreaterThanOrEqual(1);
    expect(counts.invitations).toBeGreaterThanOrEqual(1);
    expect((await sql<{ k: string }>`SELECT key AS k FROM auth_throttle`.execute(db())).rows.map((r) => r.k)).toEqual(['login:fresh']);
    expect((await sql`SELECT 1 FROM sessions WHERE id_hash = 'ended'`.execute(db())).rows).toHaveLength(0);
    expect((await sql`SELECT 1 FROM invitations WHERE id = ${old.body.id}`.execute(db())).rows).toHaveLength(0);
    // The live session is untouched.
    expect((await adminClient.get('/api/session')).status).toBe(200);
    await sql`DELETE FROM auth_throttle`.execute(db());
  });

  describe('passphrase change', () => {
    async function loggedIn(name: string) {
      const { client, member } = await inviteAndJoin(adminClient, server.url, 'specialist', name);
      await logIn(client, member);
      const bundle = (await client.get('/api/me/keys')).body.keyBundle;
      return { client, member, bundle };
    }
    async function request(client: Browserish, member: TestMember, bundle: unknown, newPassphrase: string, oldPassphrase = member.passphrase) {
      const { challenge } = (await client.post('/api/me/challenge', { purpose: 'passphrase-change' })).body;
      return preparePassphraseChange({
        memberId: member.id,
        oldPassphrase,
        newPassphrase,
        bundle,
        challenge,
        origin: new URL(server.url).origin,
        newParams: insecureKdfParamsForTests(),
        policy: insecureKdfPolicyForTests,
      });
    }

    it('needs a proof by the current passphrase, the member’s signature over the new bundle and a fresh second factor; replays fail', async () => {
      const { client, member, bundle } = await loggedIn('changer');
      const other = new Browserish(server.url);
      await logIn(other, member);
      const body = await request(client, member, bundle, 'the new passphrase for changer');

      // Without a second factor, or with a wrong one: refused, nothing changed.
      expect((await client.post('/api/me/passphrase', body)).body.error.code).toBe('VALIDATION_FAILED');
      const noCode = await request(client, member, bundle, 'the new passphrase for changer');
      expect((await client.post('/api/me/passphrase', { ...noCode, recoveryCode: '0000-0000-0000-0000' })).body.error.code).toBe('TOTP_INVALID');
      expect(await auditCount('member.passphrase_change_failed', member.id)).toBe(1);

      const good = await request(client, member, bundle, 'the new passphrase for changer');
      const recoveryCode = member.recoveryCodes!.pop()!;
      const ok = await client.post('/api/me/passphrase', { ...good, recoveryCode });
      expect(ok.status).toBe(200);
      expect(await auditCount('member.passphrase_changed', member.id)).toBe(1);
      // The same request again: its challenge is spent.
      expect((await client.post('/api/me/passphrase', { ...good, recoveryCode: member.recoveryCodes!.pop()! })).body.error.code).toBe(
        'LOGIN_CHALLENGE_INVALID',
      );
      // Other sessions ended; the new passphrase logs in and the old one does not.
      expect((await other.get('/api/session')).status).toBe(401);
      expect((await firstFactor(new Browserish(server.url), member.name, member.passphrase)).body.error.code).toBe('LOGIN_FAILED');
      await sql`DELETE FROM auth_throttle`.execute(db());
      expect((await firstFactor(new Browserish(server.url), member.name, 'the new passphrase for changer')).status).toBe(200);
    });

    it('refuses a bundle the member did not sign, or one that wraps other keys, even with a valid proof and code', async () => {
      const { client, member, bundle } = await loggedIn('forger-target');
      const body = await request(client, member, bundle, 'another new passphrase here');
      // A server (or a stolen session) swaps in a bundle of its own making.
      const attacker = await newMemberMaterial('attacker chosen passphrase');
      const swapped = await client.post('/api/me/passphrase', {
        ...body,
        keyBundle: {
          ...attacker.bundle,
          encryptionPublicKey: member.keys && parseKeyBundle(bundle).encryptionPublicKey,
          signingPublicKey: parseKeyBundle(bundle).signingPublicKey,
        },
        code: totpCode(member.totpSecret!, 1),
      });
      expect(swapped.status).toBe(400);
      expect(swapped.body.error.code).toBe('KEY_BUNDLE_REJECTED');
      const body2 = await request(client, member, bundle, 'another new passphrase here');
      const otherKeys = await client.post('/api/me/passphrase', { ...body2, keyBundle: attacker.bundle, code: totpCode(member.totpSecret!, 1) });
      expect(otherKeys.body.error.code).toBe('KEY_BUNDLE_REJECTED');
      // A proof made with a wrong current passphrase: refused.
      const body3 = await request(client, member, bundle, 'x new passphrase', member.passphrase);
      const wrongProof = await client.post('/api/me/passphrase', { ...body3, proof: toBase64url(new Uint8Array(64)), code: totpCode(member.totpSecret!, 1) });
      expect(wrongProof.body.error.code).toBe('LOGIN_FAILED');
      const stored = (await sql<{ b: unknown }>`SELECT key_bundle AS b FROM members WHERE id = ${member.id}`.execute(db())).rows[0]!.b;
      expect(stored).toEqual(bundle);
      await sql`DELETE FROM auth_throttle`.execute(db());
    });
  });
});

describe.each(backends())('first-run setup on $name', (backend) => {
  it('needs the one-time code the server printed; without it nothing is created, and the code is gone after setup', async () => {
    const server = await startTestServer(backend);
    try {
      const c = new Browserish(server.url);
      await expect(setUpOrganization(c, { setupCode: 'AAAA-BBBB-CCCC-DDDD' })).rejects.toThrow(/SETUP_CODE_INVALID/);
      expect((await c.get('/api/setup')).body.setUp).toBe(false);
      expect(server.logs()).toMatch(/setup code: [A-Z2-9]{4}(-[A-Z2-9]{4}){3}/);
      await setUpOrganization(c);
      expect((await c.get('/api/setup')).body.setUp).toBe(true);
      const { readSetupCode } = await import('../../src/server/index.js');
      expect(readSetupCode(server.config.dataDir)).toBeNull();
    } finally {
      await server.dispose();
    }
  });

  it('holds stored key bundles to the Argon2id floor (64 MiB, 3 passes) when not told otherwise', async () => {
    const server = await startTestServer(backend, { kdfPolicy: (await import('../../src/core/index.js')).defaultKdfPolicy });
    try {
      const weak = await setUpOrganization(new Browserish(server.url)).catch((e: Error) => e.message);
      expect(String(weak)).toMatch(/KEY_BUNDLE_REJECTED/);
      expect(String(weak)).toMatch(/KDF_PARAMS_REJECTED/);
      expect((await new Browserish(server.url).get('/api/setup')).body.setUp).toBe(false);
    } finally {
      await server.dispose();
    }
  });
});

describe('behind a TLS proxy (CLEARING_TRUST_PROXY)', () => {
  it('throttles per forwarded client address, so one client cannot lock out the rest', async () => {
    const server = await startTestServer(backends()[0]!, { env: { CLEARING_TRUST_PROXY: '127.0.0.1' }, addressLimit: 3 });
    try {
      const from = (ip: string) =>
        fetch(`${server.url}/api/auth/prelogin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: '{"name":"someone"}',
        });
      const noisy = [];
      for (let i = 0; i < 4; i++) noisy.push((await from('203.0.113.7')).status);
      expect(noisy).toEqual([200, 200, 200, 429]);
      expect((await from('198.51.100.9')).status).toBe(200);
    } finally {
      await server.dispose();
    }
  });
});
