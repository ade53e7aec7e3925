import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insecureKdfParamsForTests, insecureKdfPolicyForTests, prepareLogin, preparePassphraseChange } from '../../src/core/index.js';
import { backends } from '../support/databases.js';
import { Browserish, firstFactor, inviteAndJoin, logIn, loginBody, setUpOrganization, totpCode, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SoftAuthenticator } from '../support/webauthn.js';

/*
 * WebAuthn as a second factor and the account endpoints, over HTTP against a
 * real server, with a software authenticator that signs real answers.
 */

/** The next unused TOTP step of a member (the server accepts each step once, and one step ahead). */
function freshCode(member: TestMember): { code: string } | null {
  const next = (member.usedSteps ?? 0) + 1;
  if (next > 1) return null;
  member.usedSteps = next;
  return { code: totpCode(member.totpSecret!, next) };
}

describe.each(backends())('WebAuthn and the account page on $name', (backend) => {
  let server: TestServer;
  let origin: string;
  let adminClient: Browserish;
  let admin: TestMember;

  beforeAll(async () => {
    server = await startTestServer(backend);
    origin = server.url;
    adminClient = new Browserish(server.url);
    admin = (await setUpOrganization(adminClient)).admin;
    await logIn(adminClient, admin);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  async function audit(action: string) {
    return server.database.db.selectFrom('audit_entries').select(['action', 'actor_id', 'detail']).where('action', '=', action).orderBy('seq').execute();
  }

  /** A fresh second factor from a registered authenticator, over a confirmation challenge of this session. */
  async function confirmWith(client: Browserish, authenticator: SoftAuthenticator) {
    const options = await client.post('/api/auth/webauthn/options');
    expect(options.status).toBe(200);
    return { assertion: authenticator.assert(options.body.options, origin) };
  }

  async function register(client: Browserish, authenticator: SoftAuthenticator, fresh: unknown, name = 'blue key') {
    const options = await client.post('/api/me/authenticators/options', fresh);
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const registration = authenticator.register(options.body.options, origin);
    return client.post('/api/me/authenticators', { name, registration });
  }

  /** A member with TOTP and one authenticator, logged in. */
  async function memberWithKey(name: string) {
    const joined = await inviteAndJoin(adminClient, server.url, 'coordinator', name);
    await logIn(joined.client, joined.member);
    const key = new SoftAuthenticator();
    const added = await register(joined.client, key, freshCode(joined.member));
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    return { ...joined, key, credential: added.body.id as string };
  }

  async function pendingLogin(member: TestMember) {
    const client = new Browserish(server.url);
    const first = await firstFactor(client, member.name, member.passphrase);
    expect(first.body.stage).toBe('second_factor');
    return client;
  }

  it('registers an authenticator with a fresh code, lists it by name, and logs in with it instead of a code', async () => {
    const { member, client, key } = await memberWithKey('kestrel');
    const account = await client.get('/api/me/account');
    expect(account.body).toMatchObject({ totpEnabled: true, recoveryCodesLeft: 10, authenticators: [{ name: 'blue key', lastUsedAt: null }] });

    const pending = await pendingLogin(member);
    expect((await pending.get('/api/me/keys')).status).toBe(401);
    const options = await pending.post('/api/auth/webauthn/options');
    expect(options.body.options.allowCredentials).toEqual([expect.objectContaining({ id: key.id })]);
    const done = await pending.post('/api/auth/webauthn', { assertion: key.assert(options.body.options, origin) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await pending.get('/api/me/keys')).status).toBe(200);
    const logins = await audit('auth.login');
    expect(logins.at(-1)).toMatchObject({ actor_id: member.id, detail: { factor: 'webauthn' } });
    expect((await audit('auth.authenticator_added')).at(-1)).toMatchObject({ actor_id: member.id, detail: { authenticators: 1 } });
    expect((await client.get('/api/me/account')).body.authenticators[0].lastUsedAt).not.toBeNull();

    // The member's words for the key appear nowhere but in its row.
    const entries = await server.database.db.selectFrom('audit_entries').select('detail').execute();
    expect(JSON.stringify(entries)).not.toContain('blue key');
    expect(server.logs()).not.toContain('blue key');
  });

  it('a member without an authenticator gets no options, and the second-factor page offers only the code', async () => {
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'specialist', 'plain-totp');
    await logIn(client, member);
    const pending = await pendingLogin(member);
    const options = await pending.post('/api/auth/webauthn/options');
    expect(options).toMatchObject({ status: 200, body: { options: null } });
  });

  it('refuses a replayed assertion, a reused challenge, and two answers racing for one challenge', async () => {
    const { member, key } = await memberWithKey('heron');
    const first = await pendingLogin(member);
    const options = await first.post('/api/auth/webauthn/options');
    const assertion = key.assert(options.body.options, origin);
    expect((await first.post('/api/auth/webauthn', { assertion })).status).toBe(200);

    // The same answer again, in a new login: its challenge is spent (and was never this session's).
    const second = await pendingLogin(member);
    await second.post('/api/auth/webauthn/options');
    const replay = await second.post('/api/auth/webauthn', { assertion });
    expect(replay).toMatchObject({ status: 400, body: { error: { code: 'WEBAUTHN_CHALLENGE_INVALID' } } });
    expect((await second.get('/api/me/keys')).status).toBe(401);

    // Two answers to one challenge at once: exactly one gets in.
    const race = await pendingLogin(member);
    const raceOptions = await race.post('/api/auth/webauthn/options');
    const a = key.assert(raceOptions.body.options, origin);
    const b = key.assert(raceOptions.body.options, origin);
    // Two tabs of one browser: each keeps the cookie its own answer set (the loser's answer clears a stale one).
    const tabs = [0, 1].map(() => Object.assign(new Browserish(server.url), { cookie: race.cookie, csrf: race.csrf }));
    const results = await Promise.all([tabs[0]!.post('/api/auth/webauthn', { assertion: a }), tabs[1]!.post('/api/auth/webauthn', { assertion: b })]);
    const won = results.findIndex((r) => r.status === 200);
    race.cookie = tabs[won]?.cookie ?? null;
    race.csrf = results[won]?.body.csrfToken ?? null;
    // The loser finds the challenge spent (400), arrives after the winner finished and its pending token is gone (401), or meets the brake the failed replay above started (429).
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.find((r) => r.status !== 200)?.body.error.code).toMatch(/^(WEBAUTHN_CHALLENGE_INVALID|TOTP_NOT_ENROLLING|AUTH_REQUIRED|TOO_MANY_ATTEMPTS)$/);
    expect((await race.get('/api/me/keys')).status).toBe(200);

    // A registration answer cannot be used twice either.
    const { client: owner, member: other } = await inviteAndJoin(adminClient, server.url, 'verifier', 'ibis');
    await logIn(owner, other);
    const reg = await owner.post('/api/me/authenticators/options', freshCode(other));
    const soft = new SoftAuthenticator();
    const registration = soft.register(reg.body.options, origin);
    expect((await owner.post('/api/me/authenticators', { name: 'one', registration })).status).toBe(201);
    expect(await owner.post('/api/me/authenticators', { name: 'again', registration })).toMatchObject({
      status: 400,
      body: { error: { code: 'WEBAUTHN_CHALLENGE_INVALID' } },
    });
    expect((await owner.get('/api/me/account')).body.authenticators).toHaveLength(1);
  });

  it('refuses answers made for another origin or RP ID, with a lowered counter, or with another member’s credential', async () => {
    const { member, key } = await memberWithKey('osprey');
    const { member: otherMember, key: otherKey } = await memberWithKey('plover');

    // One good login, so the server has seen the key's counter move.
    const ok = await pendingLogin(member);
    let options = await ok.post('/api/auth/webauthn/options');
    expect((await ok.post('/api/auth/webauthn', { assertion: key.assert(options.body.options, origin) })).status).toBe(200);

    const phished = await pendingLogin(member);
    options = await phished.post('/api/auth/webauthn/options');
    const wrongOrigin = await phished.post('/api/auth/webauthn', { assertion: key.assert(options.body.options, 'https://clearing.example.evil') });
    expect(wrongOrigin).toMatchObject({ status: 401, body: { error: { code: 'WEBAUTHN_INVALID' } } });
    options = await phished.post('/api/auth/webauthn/options');
    const wrongRp = await phished.post('/api/auth/webauthn', { assertion: key.assert(options.body.options, origin, { rpId: 'evil.example' }) });
    expect(wrongRp).toMatchObject({ status: 401, body: { error: { code: 'WEBAUTHN_INVALID' } } });

    // A cloned key: its counter does not move past what the server saw.
    options = await phished.post('/api/auth/webauthn/options');
    const cloned = await phished.post('/api/auth/webauthn', { assertion: key.assert(options.body.options, origin, { counter: 0 }) });
    expect(cloned.status).toBe(401);

    // Three failures: the brake now asks for a second's wait before the next try.
    await new Promise((r) => setTimeout(r, 1100));
    // Another member's authenticator answering this member's challenge.
    const other = await pendingLogin(member);
    options = await other.post('/api/auth/webauthn/options');
    const foreign = await other.post('/api/auth/webauthn', { assertion: otherKey.assert(options.body.options, origin) });
    expect(foreign).toMatchObject({ status: 401, body: { error: { code: 'WEBAUTHN_INVALID' } } });
    expect((await other.get('/api/me/keys')).status).toBe(401);

    const failures = (await audit('auth.second_factor_failed')).filter((e) => e.actor_id === member.id);
    expect(failures.map((f) => f.detail)).toEqual([
      { factor: 'webauthn', reason: 'signature' },
      { factor: 'webauthn', reason: 'signature' },
      { factor: 'webauthn', reason: 'counter' },
      { factor: 'webauthn', reason: 'unknown' },
    ]);
    // Failures count against the member's second-factor brake.
    options = await other.post('/api/auth/webauthn/options');
    expect(options.status).toBe(200);
    const braked = await other.post('/api/auth/webauthn', { assertion: key.assert(options.body.options, origin) });
    expect(braked).toMatchObject({ status: 429, body: { error: { code: 'TOO_MANY_ATTEMPTS' } } });
    expect(otherMember.id).not.toBe(member.id);
  });

  it('a stolen session alone cannot add an authenticator: options need a fresh second factor', async () => {
    const { client, member, key } = await memberWithKey('curlew');
    expect(await client.post('/api/me/authenticators/options', {})).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const wrong = await client.post('/api/me/authenticators/options', { code: '000000' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'TOTP_INVALID' } } });
    // An assertion from a registered key confirms; a second key is added.
    const second = new SoftAuthenticator(false);
    const added = await register(client, second, await confirmWith(client, key), 'phone');
    expect(added.status).toBe(201);
    expect((await client.get('/api/me/account')).body.authenticators.map((a: { name: string }) => a.name)).toEqual(['blue key', 'phone']);
    // An authenticator that does not count (counter stays 0) still logs in, more than once.
    for (let i = 0; i < 2; i++) {
      const pending = await pendingLogin(member);
      const options = await pending.post('/api/auth/webauthn/options');
      expect((await pending.post('/api/auth/webauthn', { assertion: second.assert(options.body.options, origin) })).status).toBe(200);
    }
  });

  it('renames and removes authenticators, never the last second factor', async () => {
    const { client, member, credential } = await memberWithKey('dunlin');
    expect((await client.post(`/api/me/authenticators/${credential}/name`, { name: '  red   key ' })).status).toBe(200);
    expect((await client.get('/api/me/account')).body.authenticators[0].name).toBe('red key');
    expect(await client.post(`/api/me/authenticators/${credential}/name`, { name: 'x'.repeat(65) })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    expect(await client.post(`/api/me/authenticators/${credential}/name`, { name: 'bad\u0007name' })).toMatchObject({
      status: 400,
      body: { error: { code: 'AUTHENTICATOR_NAME_INVALID' } },
    });
    expect(await client.post(`/api/me/authenticators/${credential}/name`, { name: '   ' })).toMatchObject({
      status: 400,
      body: { error: { code: 'AUTHENTICATOR_NAME_INVALID' } },
    });

    // Another member cannot rename or remove it.
    expect(await adminClient.post(`/api/me/authenticators/${credential}/name`, { name: 'mine now' })).toMatchObject({
      status: 404,
      body: { error: { code: 'AUTHENTICATOR_NOT_FOUND' } },
    });
    expect(await adminClient.request('DELETE', `/api/me/authenticators/${credential}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'AUTHENTICATOR_NOT_FOUND' } },
    });

    // Without TOTP, the only authenticator is the last second factor.
    await server.database.db.updateTable('members').set({ totp_enabled_at: null }).where('id', '=', member.id).execute();
    expect(await client.request('DELETE', `/api/me/authenticators/${credential}`)).toMatchObject({
      status: 409,
      body: { error: { code: 'LAST_SECOND_FACTOR' } },
    });
    expect((await client.get('/api/me/account')).body.authenticators).toHaveLength(1);
    await server.database.db.updateTable('members').set({ totp_enabled_at: new Date() }).where('id', '=', member.id).execute();
    // With TOTP still there, it can go.
    expect((await client.request('DELETE', `/api/me/authenticators/${credential}`)).status).toBe(200);
    expect((await client.get('/api/me/account')).body.authenticators).toEqual([]);
    expect((await audit('auth.authenticator_removed')).at(-1)).toMatchObject({ actor_id: member.id, detail: { authenticators: 0 } });
  });

  it('refuses malformed, hostile and oversized WebAuthn bodies with clear errors, leaving nothing behind', async () => {
    const { member, client, key } = await memberWithKey('godwit');
    const pending = await pendingLogin(member);
    const options = await pending.post('/api/auth/webauthn/options');
    const good = key.assert(options.body.options, origin);
    const cases: [unknown, number, string][] = [
      [{}, 400, 'VALIDATION_FAILED'],
      [{ assertion: 'nope' }, 400, 'VALIDATION_FAILED'],
      [{ assertion: { ...good, type: 'password' } }, 400, 'VALIDATION_FAILED'],
      [{ assertion: { ...good, extra: 1 } }, 400, 'VALIDATION_FAILED'],
      [{ assertion: { ...good, response: { ...good.response, clientDataJSON: 'A'.repeat(5000) } } }, 400, 'VALIDATION_FAILED'],
      [{ assertion: { ...good, response: { ...good.response, signature: 'not base64url!' } } }, 400, 'VALIDATION_FAILED'],
      [{ assertion: { ...good, response: { ...good.response, clientDataJSON: 'bm90IGpzb24' } } }, 400, 'WEBAUTHN_CHALLENGE_INVALID'],
    ];
    for (const [body, status, code] of cases) {
      const res = await pending.post('/api/auth/webauthn', body);
      expect(res, JSON.stringify(body).slice(0, 200)).toMatchObject({ status, body: { error: { code } } });
    }
    const huge = await pending.post('/api/auth/webauthn', { assertion: { ...good, padding: 'x'.repeat(1_100_000) } });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'BODY_TOO_LARGE' } } });
    // None of that spent the challenge or counted as a guess: the good answer still works.
    expect((await pending.post('/api/auth/webauthn', { assertion: good })).status).toBe(200);

    const reg = await client.post('/api/me/authenticators/options', await confirmWith(client, key));
    const registration = new SoftAuthenticator().register(reg.body.options, origin);
    expect(await client.post('/api/me/authenticators', { name: '', registration })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    expect(
      await client.post('/api/me/authenticators', {
        name: 'ok',
        registration: { ...registration, response: { ...registration.response, attestationObject: 'AAAA' } },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'WEBAUTHN_INVALID' } },
    });
    expect((await client.get('/api/me/account')).body.authenticators).toHaveLength(1);
    // A registration answer made for another site is refused too.
    const reg2 = await client.post('/api/me/authenticators/options', await confirmWith(client, key));
    const phished = new SoftAuthenticator().register(reg2.body.options, 'https://evil.example');
    expect(await client.post('/api/me/authenticators', { name: 'evil', registration: phished })).toMatchObject({
      status: 400,
      body: { error: { code: 'WEBAUTHN_INVALID' } },
    });
    expect((await client.get('/api/me/account')).body.authenticators).toHaveLength(1);
  });

  it('makes a new set of recovery codes with a fresh factor, which voids the old set', async () => {
    const { client, member, key } = await memberWithKey('avocet');
    const oldCode = member.recoveryCodes![0]!;
    const made = await client.post('/api/me/recovery-codes', await confirmWith(client, key));
    expect(made.status).toBe(200);
    expect(made.body.recoveryCodes).toHaveLength(10);
    expect((await audit('auth.recovery_codes_regenerated')).at(-1)).toMatchObject({ actor_id: member.id, detail: { remaining: 10 } });

    const old = await pendingLogin(member);
    expect((await old.post('/api/auth/second-factor', { recoveryCode: oldCode })).status).toBe(401);
    const fresh = await pendingLogin(member);
    expect((await fresh.post('/api/auth/second-factor', { recoveryCode: made.body.recoveryCodes[0] })).status).toBe(200);
    expect((await client.get('/api/me/account')).body.recoveryCodesLeft).toBe(9);
  });

  it('replaces the TOTP secret only once a code from the new secret confirms it', async () => {
    const { client, member, key } = await memberWithKey('sanderling');
    const started = await client.post('/api/me/totp', await confirmWith(client, key));
    expect(started.status).toBe(200);
    const newSecret = started.body.secret as string;
    // A code from the old secret does not confirm the new one.
    expect(await client.post('/api/me/totp/confirm', { code: totpCode(member.totpSecret!) })).toMatchObject({
      status: 401,
      body: { error: { code: 'TOTP_INVALID' } },
    });
    expect((await client.post('/api/me/totp/confirm', { code: totpCode(newSecret) })).status).toBe(200);
    expect((await audit('auth.totp_reenrolled')).at(-1)).toMatchObject({ actor_id: member.id });
    // The new secret logs in; a second confirmation finds nothing pending.
    expect(await client.post('/api/me/totp/confirm', { code: totpCode(newSecret, 1) })).toMatchObject({
      status: 409,
      body: { error: { code: 'TOTP_NOT_ENROLLING' } },
    });
    const pending = await pendingLogin(member);
    expect((await pending.post('/api/auth/second-factor', { code: totpCode(newSecret, 1) })).status).toBe(200);
  });

  it('lists my sessions with coarse labels only, marks this one, and ends another or this one', async () => {
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'psychologist', 'whimbrel');
    await logIn(client, member);
    const phone = new Browserish(server.url);
    const ua = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
    const pre = await phone.request('POST', '/api/auth/prelogin', { name: member.name }, { 'user-agent': ua });
    const pendingKey = await prepareLogin(member.passphrase, pre.body.kdf, insecureKdfPolicyForTests);
    await phone.request('POST', '/api/auth/login', loginBody(phone, member.name, pre.body, pendingKey), { 'user-agent': ua });
    const list = await client.get('/api/me/sessions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    const mine = list.body.find((s: { current: boolean }) => s.current);
    const other = list.body.find((s: { current: boolean }) => !s.current);
    expect(other).toMatchObject({ pending: true, browser: 'chrome', system: 'android' });
    expect(mine.pending).toBe(false);
    // No address and no user agent in the database.
    const rows = await server.database.db.selectFrom('sessions').selectAll().where('member_id', '=', member.id).execute();
    expect(JSON.stringify(rows)).not.toMatch(/Pixel|Mozilla|127\.0\.0\.1/);

    expect(await adminClient.request('DELETE', `/api/me/sessions/${other.id}`)).toMatchObject({ status: 404, body: { error: { code: 'SESSION_NOT_FOUND' } } });
    expect((await client.request('DELETE', `/api/me/sessions/${other.id}`)).body).toEqual({ ok: true, current: false });
    expect((await phone.get('/api/session')).status).toBe(401);
    expect((await client.request('DELETE', `/api/me/sessions/${mine.id}`)).body).toEqual({ ok: true, current: true });
    expect((await client.get('/api/session')).status).toBe(401);
    expect((await audit('auth.session_ended')).filter((e) => e.actor_id === member.id).map((e) => e.detail)).toEqual([{ current: false }, { current: true }]);
  });

  it('changes the passphrase only with a right, unused TOTP code, atomically', async () => {
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'turnstone');
    await logIn(client, member);
    const keys = await client.get('/api/me/keys');
    const prepare = async () =>
      preparePassphraseChange({
        memberId: member.id,
        oldPassphrase: member.passphrase,
        newPassphrase: 'a brand new passphrase for turnstone',
        bundle: keys.body.keyBundle,
        challenge: (await client.post('/api/me/challenge', { purpose: 'passphrase-change' })).body.challenge,
        origin: new URL(server.url).origin,
        newParams: insecureKdfParamsForTests(),
        policy: insecureKdfPolicyForTests,
      });
    expect(await client.post('/api/me/passphrase', { ...(await prepare()), code: '000000' })).toMatchObject({
      status: 401,
      body: { error: { code: 'TOTP_INVALID' } },
    });
    // Nothing changed: the old passphrase still logs in.
    expect((await firstFactor(new Browserish(server.url), member.name, member.passphrase)).status).toBe(200);
    expect((await client.post('/api/me/passphrase', { ...(await prepare()), ...freshCode(member) })).status).toBe(200);
    expect((await firstFactor(new Browserish(server.url), member.name, 'a brand new passphrase for turnstone')).status).toBe(200);
  });
});
