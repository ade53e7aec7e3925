/**
 * `clearing login`, `clearing logout` and `clearing case export` as a
 * person runs them: the CLI as its own process, answers on standard input.
 * Login goes to a real server; the export goes to a stand-in server built
 * from core (test/support/fake-case-server.ts) that can also lie.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/core/api/cases.js';
import type { CertifiedMember } from '../../src/core/index.js';
import { projectRoot } from '../../src/server/index.js';
import { ageToolStatus, run } from '../support/age-tool.js';
import { startFakeCaseServer, type FakeCaseServer } from '../support/fake-case-server.js';
import { certifyEveryone, openCaseOverHttp, writeRecordOverHttp, type Caseworker } from '../support/http-casework.js';
import { Browserish, inviteAndJoin, logIn, setUpOrganization, totpCode, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

const root = projectRoot();
// By its path, so the CLI can run from any directory (the export writes into its working directory).
const tsxLoader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `clearing <args>` from source, without blocking this process (the server under test runs in it). */
function clearing(args: string[], options: { config: string; input?: string; cwd?: string; language?: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/cli/main.ts'), ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, CLEARING_LANGUAGE: options.language ?? 'en', XDG_CONFIG_HOME: options.config },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

const sessionFile = (config: string) => join(config, 'clearing', 'session.json');
const freshConfig = () => mkdtempSync(join(tmpdir(), 'clearing-cli-config-'));

describe('clearing login and logout, against a real server', () => {
  let server: TestServer;
  let member: TestMember;
  let newcomer: TestMember;
  let vera: Caseworker;
  let administrators: CertifiedMember[];

  beforeAll(async () => {
    server = await startTestServer({ name: 'pglite' });
    const admin = new Browserish(server.url);
    const org = await setUpOrganization(admin);
    await logIn(admin, org.admin);
    // Production Argon2id settings: the command line refuses anything weaker, as the browser does.
    member = (await inviteAndJoin(admin, server.url, 'coordinator', 'vera', 'a long passphrase of vera', { realKdf: true })).member;
    // Log in once as the browser does, which enrols the authenticator app; that browser stays logged in.
    const browser = new Browserish(server.url);
    const { keys } = await logIn(browser, member);
    const certified = await certifyEveryone(admin, org.organization, org.admin.id);
    vera = { id: member.id, keys, certified: certified.get(member.id)!, client: browser };
    administrators = [certified.get(org.admin.id)!];
    newcomer = (await inviteAndJoin(admin, server.url, 'coordinator', 'newcomer', 'a long passphrase of the newcomer', { realKdf: true })).member;
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('refuses a wrong passphrase, keeps nothing, and says so in the user’s language', async () => {
    const config = freshConfig();
    const wrong = await clearing(['login', '--server', server.url, '--name', 'vera'], { config, input: 'not the passphrase\n' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('LOGIN_FAILED: The name or passphrase is wrong.');
    expect(existsSync(sessionFile(config))).toBe(false);
    const russian = await clearing(['login', '--server', server.url, '--name', 'vera'], { config, input: 'not the passphrase\n', language: 'ru' });
    expect(russian.status).toBe(1);
    expect(russian.stderr).toMatch(/LOGIN_FAILED: [А-Яа-я]/);
  }, 60_000);

  it('refuses a wrong authenticator code and keeps nothing', async () => {
    const config = freshConfig();
    const result = await clearing(['login', '--server', server.url, '--name', 'vera'], { config, input: `${member.passphrase}\n000000\n` });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TOTP_INVALID');
    expect(existsSync(sessionFile(config))).toBe(false);
  }, 60_000);

  it('tells a member without a second factor to set it up in the browser first', async () => {
    const config = freshConfig();
    const result = await clearing(['login', '--server', server.url, '--name', 'newcomer'], { config, input: `${newcomer.passphrase}\n` });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no second factor yet');
    expect(existsSync(sessionFile(config))).toBe(false);
  }, 60_000);

  it('logs in with passphrase and code, keeps only the address and the cookie in a 0600 file, and logs out', async () => {
    const config = freshConfig();
    member.usedSteps = (member.usedSteps ?? 0) + 1;
    const code = totpCode(member.totpSecret!, member.usedSteps);
    const result = await clearing(['login', '--server', `${server.url}/`, '--name', 'vera'], { config, input: `${member.passphrase}\n${code}\n` });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Logged in to');
    expect(result.stderr).not.toContain(member.passphrase);
    const file = sessionFile(config);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved).sort()).toEqual(['cookie', 'server']);
    expect(saved.server).toBe(new URL(server.url).origin);
    expect(readFileSync(file, 'utf8')).not.toContain(member.passphrase);
    // The cookie is a working session.
    const me = await fetch(`${server.url}/api/session`, { headers: { cookie: saved.cookie } });
    expect(me.status).toBe(200);

    const out = await clearing(['logout'], { config });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('Logged out');
    expect(existsSync(file)).toBe(false);
    expect((await fetch(`${server.url}/api/session`, { headers: { cookie: saved.cookie } })).status).toBe(401);
    const again = await clearing(['logout'], { config });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('Not logged in');
  }, 60_000);

  it.skipIf(!ageToolStatus().available)(
    'exports a case from the real server that `age -d` and `tar -x` open',
    async () => {
      const opened = await openCaseOverHttp(vera, administrators);
      const note = await writeRecordOverHttp(vera, opened, 'testimony', { kind: 'note', text: 'Crossed the border at night.' });
      await writeRecordOverHttp(vera, opened, 'testimony', { kind: 'note', text: 'Crossed the border at night, on foot.' }, { recordId: note, version: 1 });
      await writeRecordOverHttp(vera, opened, 'identity', { kind: 'fields', fields: { alias: 'Грач' } });

      const config = freshConfig();
      const dir = mkdtempSync(join(tmpdir(), 'clearing-cli-real-export-'));
      const login = await clearing(['login', '--server', server.url, '--name', 'vera'], {
        config,
        input: `${member.passphrase}\n${member.recoveryCodes!.shift()}\n`,
      });
      expect(login.status, login.stderr).toBe(0);
      expect((await run('age-keygen', ['-o', join(dir, 'key.txt')])).status).toBe(0);
      const recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(join(dir, 'key.txt'), 'utf8'))![1]!;
      const result = await clearing(['case', 'export', '--case', opened.code, '-r', recipient], { config, cwd: dir, input: `${member.passphrase}\n` });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`case ${opened.code}, 2 record(s) with 3 version(s)`);
      const file = join(dir, `case-${opened.code}.tar.age`);
      const unpacked = join(dir, 'out');
      mkdirSync(unpacked);
      const open = await run('sh', ['-c', `age -d -i "${join(dir, 'key.txt')}" "${file}" | tar -x -C "${unpacked}"`]);
      expect(open.status, open.stderr).toBe(0);
      const record = JSON.parse(readFileSync(join(unpacked, 'compartments/testimony', `${note}.json`), 'utf8'));
      expect(record.versions.map((v: { content: { text: string } }) => v.content.text)).toEqual([
        'Crossed the border at night, on foot.',
        'Crossed the border at night.',
      ]);
      expect(record.versions.every((v: { signatureVerified: boolean; author: { name: string } }) => v.signatureVerified && v.author.name === 'vera')).toBe(
        true,
      );
      expect(readFileSync(join(unpacked, 'compartments/identity/notes.txt'), 'utf8')).toContain('alias: Грач');
      rmSync(dir, { recursive: true, force: true });
    },
    120_000,
  );

  it('names an unreachable server and a bad address plainly', async () => {
    const config = freshConfig();
    const bad = await clearing(['login', '--server', 'clearing.example', '--name', 'vera'], { config });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Not a server address');
    const unreachable = await clearing(['login', '--server', 'http://127.0.0.1:9', '--name', 'vera'], { config });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain('Cannot reach the Clearing server at http://127.0.0.1:9');
  }, 60_000);
});

const tool = ageToolStatus();

describe.skipIf(!tool.available)(`clearing case export (${tool.reason})`, () => {
  let fake: FakeCaseServer;
  let dir: string;
  let config: string;
  let identityFile: string;
  let recipient: string;

  beforeAll(async () => {
    fake = await startFakeCaseServer();
    dir = mkdtempSync(join(tmpdir(), 'clearing-cli-export-'));
    config = join(dir, 'config');
    mkdirSync(join(config, 'clearing'), { recursive: true });
    writeFileSync(sessionFile(config), JSON.stringify({ server: fake.url, cookie: 'clearing_session=fake-session' }), { mode: 0o600 });
    identityFile = join(dir, 'key.txt');
    expect((await run('age-keygen', ['-o', identityFile])).status).toBe(0);
    recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(identityFile, 'utf8'))![1]!;
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes an archive that `age -d` and `tar -x` open: every record, every version, who wrote it, whether it verified', async () => {
    const out = join(dir, 'export.tar.age');
    const result = await clearing(['case', 'export', '--case', 'k7f 3qx', '--recipient', recipient, '--out', out], {
      config,
      input: `${fake.me.passphrase}\n`,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Wrote ${out}`);
    expect(result.stdout).toContain('case K7F-3QX, 5 record(s) with 6 version(s) from 7 compartment(s), encrypted to 1 recipient(s)');
    expect(result.stdout).toContain('1 version(s) could not be opened');
    expect(statSync(out).mode & 0o077).toBe(0);

    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    const opened = await run('sh', ['-c', `age -d -i "${identityFile}" "${out}" | tar -x -C "${unpacked}"`]);
    expect(opened.status, opened.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(unpacked, 'case.json'), 'utf8'));
    expect(summary.case).toMatchObject({ code: 'K7F-3QX', status: 'active', category: 'mobilized', flags: ['safety_risk'] });
    expect(summary.exportedBy).toEqual({ id: fake.me.id, name: 'Vera' });
    // Tasks with their decrypted titles; the timeline oldest first, every page.
    expect(summary.tasks).toEqual([
      expect.objectContaining({
        title: 'Call the lawyer about the asylum hearing',
        state: 'open',
        dueOn: '2026-12-10',
        compartment: 'legal',
        assigneeId: fake.me.id,
      }),
    ]);
    expect(summary.timeline.map((e: { action: string; actor: { name: string } }) => [e.action, e.actor.name])).toEqual([
      ['case.open', 'Vera'],
      ['case.record.write', 'Admin'],
    ]);
    const identity = summary.compartments.find((c: { name: string }) => c.name === 'identity');
    expect(identity).toMatchObject({ records: 1, versions: 2, unverified: 0 });
    const profileFile = readdirSync(join(unpacked, 'compartments/identity')).find((f) => f.endsWith('.json'))!;
    const profile = JSON.parse(readFileSync(join(unpacked, 'compartments/identity', profileFile), 'utf8'));
    expect(profile.versions.map((v: { version: number; author: { name: string } }) => [v.version, v.author.name])).toEqual([
      [1, 'Admin'],
      [0, 'Vera'],
    ]);
    expect(profile.versions[0].content.fields.rank).toBe('private');
    expect(profile.versions.every((v: { signatureVerified: boolean }) => v.signatureVerified)).toBe(true);
    const testimony = readFileSync(join(unpacked, 'compartments/testimony/notes.txt'), 'utf8');
    expect(testimony).toContain('Первая встреча на вокзале.');
    expect(testimony).toContain('signature verified');
    expect(readFileSync(join(unpacked, 'compartments/support/notes.txt'), 'utf8')).toContain('could not be opened: RECORD_TAMPERED');
    expect(readFileSync(join(unpacked, 'compartments/legal/notes.txt'), 'utf8')).toContain('Call the lawyer about the asylum hearing');
    // The session file was only read.
    expect(JSON.parse(readFileSync(sessionFile(config), 'utf8'))).toEqual({ server: fake.url, cookie: 'clearing_session=fake-session' });
  }, 60_000);

  it('refuses to overwrite a file, an unknown case code and a malformed one, in the user’s language', async () => {
    const existing = join(dir, 'existing.age');
    writeFileSync(existing, 'keep me');
    const overwrite = await clearing(['case', 'export', '--case', 'K7F-3QX', '-r', recipient, '--out', existing], { config });
    expect(overwrite.status).toBe(1);
    expect(overwrite.stderr).toContain('already exists');
    expect(readFileSync(existing, 'utf8')).toBe('keep me');

    const unknown = await clearing(['case', 'export', '--case', 'ZZZ-ZZZ', '-r', recipient, '--out', join(dir, 'none.age')], { config });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(`No case with the code ZZZ-ZZZ is visible to you on ${fake.url}`);
    expect(existsSync(join(dir, 'none.age'))).toBe(false);
    const russian = await clearing(['case', 'export', '--case', 'ZZZ-ZZZ', '-r', recipient, '--out', join(dir, 'none.age')], { config, language: 'ru' });
    expect(russian.stderr).toContain('Дела с кодом ZZZ-ZZZ');

    const malformed = await clearing(['case', 'export', '--case', 'hello', '-r', recipient], { config });
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain('Not a case code: hello');
    const badRecipient = await clearing(['case', 'export', '--case', 'K7F-3QX', '-r', 'age1nope'], { config });
    expect(badRecipient.status).toBe(1);
    expect(badRecipient.stderr).toContain('Not an age recipient: age1nope');
  }, 60_000);

  it('refuses a wrong passphrase before fetching any record', async () => {
    fake.requests.length = 0;
    const out = join(dir, 'wrong.age');
    const result = await clearing(['case', 'export', '--case', 'K7F-3QX', '-r', recipient, '--out', out], { config, input: 'not my passphrase\n' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('KEY_BUNDLE_WRONG_PASSPHRASE');
    expect(existsSync(out)).toBe(false);
    expect(fake.requests.some((r) => r.includes('/records'))).toBe(false);
  }, 60_000);

  it('refuses a case whose chain the server tampered with, and writes nothing', async () => {
    const out = join(dir, 'tampered.age');
    const tampers: ((detail: CaseDetail) => CaseDetail)[] = [
      // A statement changed after it was signed.
      (d) => ({ ...d, chain: d.chain.map((s) => ({ ...(s as Record<string, unknown>), at: '2020-01-01T00:00:00.000Z' })) }),
      // A holder the chain never let in.
      (d) => ({ ...d, compartments: d.compartments.map((c) => ({ ...c, holders: [...c.holders, '00000000-0000-4000-8000-0000000000ff'] })) }),
    ];
    try {
      for (const tamper of tampers) {
        fake.tamper = tamper;
        fake.requests.length = 0;
        const result = await clearing(['case', 'export', '--case', 'K7F-3QX', '-r', recipient, '--out', out], { config, input: `${fake.me.passphrase}\n` });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('Case K7F-3QX was refused and nothing was exported');
        expect(result.stderr).toMatch(/CASE_(CHAIN_BROKEN|HOLDERS_MISMATCH)/);
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(dir).some((f) => f.includes('.partial'))).toBe(false);
        expect(fake.requests.some((r) => r.includes('/records'))).toBe(false);
      }
    } finally {
      fake.tamper = null;
    }
  }, 120_000);

  it('says it is not logged in, and that a session ended', async () => {
    const none = await clearing(['case', 'export', '--case', 'K7F-3QX', '-r', recipient], { config: freshConfig() });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('Not logged in');
    const ended = freshConfig();
    mkdirSync(join(ended, 'clearing'));
    writeFileSync(sessionFile(ended), JSON.stringify({ server: fake.url, cookie: 'clearing_session=expired' }));
    const result = await clearing(['case', 'export', '--case', 'K7F-3QX', '-r', recipient], { config: ended });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The session on');
  }, 60_000);
});
