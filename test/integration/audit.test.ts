import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLeafHash,
  auditLogId,
  checkHistory,
  entryInHead,
  fromBase64url,
  makeTreeHead,
  MerkleTree,
  signTreeHead,
  toBase64url,
  verifyInclusion,
  type SignedTreeHead,
  type StoredAuditEntry,
} from '../../src/core/index.js';
import { appendAuditEntry, AuditTree, storedEntry } from '../../src/server/audit/index.js';
import { runCli } from '../support/cli.js';
import { backends, type Backend } from '../support/databases.js';
import { Browserish, inviteAndJoin, logIn, setUpOrganization, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

type HeadBody = { logPublicKey: string; head: SignedTreeHead };
type Page = { entries: (StoredAuditEntry & { proof?: string[] })[]; nextBefore: number | null };

describe.each(backends())('tamper-evident audit log on $name', (backend) => {
  let server: TestServer;
  let admin: Browserish;
  let adminMember: TestMember;
  let coordinator: Browserish;
  beforeAll(async () => {
    server = await startTestServer(backend);
    admin = new Browserish(server.url);
    ({ admin: adminMember } = await setUpOrganization(admin, { adminName: 'quillwarden' }));
    await logIn(admin, adminMember);
    const joined = await inviteAndJoin(admin, server.url, 'coordinator', 'audited-one');
    coordinator = joined.client;
    await logIn(coordinator, joined.member);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const head = async () => (await admin.get('/api/audit/head')).body as HeadBody;
  const endpoints = ['/api/audit/head', '/api/audit/entries', '/api/audit/consistency?from=0&to=1', '/api/audit/inclusion?seq=0&size=1'];

  it('is read by administrators only', async () => {
    const anonymous = new Browserish(server.url);
    for (const path of endpoints) {
      expect((await anonymous.get(path)).status, path).toBe(401);
      const refused = await coordinator.get(path);
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      expect((await admin.get(path)).status, path).toBe(200);
    }
  });

  it('records security actions with pseudonymous ids and no names', async () => {
    const res = await admin.get('/api/audit/entries?limit=50');
    expect(res.status).toBe(200);
    const actions = res.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['organization.setup', 'auth.totp_enrolled', 'auth.login', 'member.invited', 'member.joined']));
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain('audited-one');
    expect(raw).not.toContain('Free Passage');
    expect(raw).not.toContain(adminMember.name);
  });

  it('filters by action, member and period, newest first, page by page', async () => {
    const invited = (await admin.get('/api/audit/entries?action=member.invited')).body as Page;
    expect(invited.entries.length).toBeGreaterThan(0);
    expect(invited.entries.every((e) => e.action === 'member.invited')).toBe(true);

    const mine = (await admin.get(`/api/audit/entries?actor=${adminMember.id}`)).body as Page;
    expect(mine.entries.length).toBeGreaterThan(0);
    expect(mine.entries.every((e) => e.actorId === adminMember.id || e.subjectId === adminMember.id)).toBe(true);

    const all = (await admin.get('/api/audit/entries?limit=500')).body as Page;
    const seqs = all.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(all.nextBefore).toBeNull();

    // Walking the pages gives every entry once, in the same order.
    const walked: number[] = [];
    let before: number | null = null;
    do {
      const page = (await admin.get(`/api/audit/entries?limit=3${before === null ? '' : `&before=${before}`}`)).body as Page;
      expect(page.entries.length).toBeLessThanOrEqual(3);
      walked.push(...page.entries.map((e) => e.seq));
      before = page.nextBefore;
    } while (before !== null);
    expect(walked).toEqual(seqs);

    const middle = all.entries[Math.floor(all.entries.length / 2)]!;
    const from = encodeURIComponent(middle.occurredAt);
    const since = (await admin.get(`/api/audit/entries?limit=500&from=${from}`)).body as Page;
    expect(since.entries.every((e) => e.occurredAt >= middle.occurredAt)).toBe(true);
    expect(since.entries.map((e) => e.seq)).toContain(middle.seq);
    const until = (await admin.get(`/api/audit/entries?limit=500&to=${from}`)).body as Page;
    expect(until.entries.every((e) => e.occurredAt < middle.occurredAt)).toBe(true);
    expect((await admin.get('/api/audit/entries?from=2999-01-01T00:00:00Z')).body.entries).toEqual([]);
  });

  it('rejects malformed queries plainly', async () => {
    for (const q of [
      'limit=0',
      'limit=9999',
      'action=nope',
      'actor=not-a-uuid',
      'from=yesterday',
      'before=-1',
      'limit=501',
      'extra=1',
      'size=1e3',
      'to=2026-13-01T00:00:00Z',
    ]) {
      const res = await admin.get(`/api/audit/entries?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe('VALIDATION_FAILED');
    }
    for (const q of ['from=1', 'to=2', 'from=a&to=2', 'from=1&to=2&extra=3', 'from=-1&to=2']) {
      expect((await admin.get(`/api/audit/consistency?${q}`)).body.error.code, q).toBe('VALIDATION_FAILED');
    }
    const period = await admin.get('/api/audit/entries?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(period.status).toBe(400);
    expect(period.body.error.code).toBe('AUDIT_PERIOD_INVALID');
    const size = (await head()).head.size;
    for (const path of [
      '/api/audit/consistency?from=5&to=2',
      `/api/audit/consistency?from=1&to=${size + 1}`,
      '/api/audit/consistency?from=1&to=999999999999',
      `/api/audit/inclusion?seq=${size}&size=${size}`,
      `/api/audit/inclusion?seq=0&size=${size + 1}`,
      `/api/audit/entries?size=${size + 1}`,
    ]) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('AUDIT_RANGE_INVALID');
      expect(res.body.error.message).toContain(String(size));
    }
  });

  it('an entry exists only if its transaction committed, and concurrent appends get consecutive numbers', async () => {
    const before = (await head()).head.size;
    await expect(
      server.database.db.transaction().execute(async (tx) => {
        await appendAuditEntry(tx, { action: 'member.suspended', actorId: null });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect((await head()).head.size).toBe(before);
    await expect(appendAuditEntry(server.database.db, { action: 'member.suspended', actorId: null })).rejects.toThrow(/inside the transaction/);
    await Promise.all(
      Array.from({ length: 12 }, () => server.database.db.transaction().execute((tx) => appendAuditEntry(tx, { action: 'member.reinstated', actorId: null }))),
    );
    const seqs = (await sql<{ seq: string }>`SELECT seq FROM audit_entries ORDER BY seq`.execute(server.database.db)).rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBe(before + 12);
  });

  it('signs heads that match the stored entries, records each one once, and proves consistency and inclusion', async () => {
    const first = await head();
    expect((await head()).head).toEqual(first.head);
    await admin.post('/api/invitations', { role: 'verifier', expiresInHours: 1 });
    const second = await head();
    expect(second.head.size).toBeGreaterThan(first.head.size);

    // The head is the root of the tree rebuilt from the entries' own fields.
    const rows = (await sql<any>`SELECT * FROM audit_entries ORDER BY seq`.execute(server.database.db)).rows.map(storedEntry);
    const rebuilt = MerkleTree.fromLeafHashes(rows.map((e) => fromBase64url(auditLeafHash(e), 32)));
    expect(second.head.rootHash).toBe(toBase64url(rebuilt.root()));

    const recorded = (await sql<{ size: string }>`SELECT size FROM audit_tree_heads ORDER BY size`.execute(server.database.db)).rows.map((r) => Number(r.size));
    expect(recorded).toEqual(expect.arrayContaining([first.head.size, second.head.size]));
    expect(new Set(recorded).size).toBe(recorded.length);

    const proof = (await admin.get(`/api/audit/consistency?from=${first.head.size}&to=${second.head.size}`)).body.proof;
    const key = fromBase64url(second.logPublicKey, 32);
    expect(checkHistory({ logPublicKey: key, lastSeen: first.head, latest: second.head, consistencyProof: proof }).status).toBe('consistent');
    expect(checkHistory({ logPublicKey: key, lastSeen: second.head, latest: second.head, consistencyProof: [] }).status).toBe('consistent');
    expect(checkHistory({ logPublicKey: new Uint8Array(32).fill(7), lastSeen: first.head, latest: second.head, consistencyProof: proof }).status).toBe(
      'bad_signature',
    );

    const inclusion = (await admin.get(`/api/audit/inclusion?seq=1&size=${second.head.size}`)).body.proof as string[];
    expect(
      verifyInclusion(
        fromBase64url(auditLeafHash(rows[1]!), 32),
        1,
        second.head.size,
        inclusion.map((p) => fromBase64url(p, 32)),
        fromBase64url(second.head.rootHash, 32),
      ),
    ).toBe(true);

    // With a size, a page lists the log as of that head, each entry with its proof.
    await admin.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
    const page = (await admin.get(`/api/audit/entries?limit=5&size=${second.head.size}`)).body as Page;
    expect(page.entries[0]!.seq).toBe(second.head.size - 1);
    for (const e of page.entries) expect(entryInHead(e, e.proof!, second.head)).toBe(true);
    const older = (await admin.get(`/api/audit/entries?limit=5&size=${second.head.size}&before=${page.nextBefore}`)).body as Page;
    for (const e of older.entries) expect(entryInHead(e, e.proof!, second.head)).toBe(true);
  });

  it('stays correct when requests race and when other servers append to the same database', async () => {
    // Two trees over one database stand for two server processes; each caches what it saw.
    const a = new AuditTree();
    const b = new AuditTree();
    const db = server.database.db;
    const start = await a.currentHead(db);
    for (let i = 0; i < 7; i++) await db.transaction().execute((tx) => appendAuditEntry(tx, { action: 'auth.logout', actorId: null }));
    const [fromB, ...racing] = await Promise.all([b.currentHead(db), ...Array.from({ length: 6 }, () => a.currentHead(db))]);
    for (const h of racing) expect({ size: h.size, root: h.rootHash }).toEqual({ size: fromB.size, root: fromB.rootHash });
    expect(fromB.size).toBe(start.size + 7);
    const proof = await b.consistencyProof(db, start.size, fromB.size);
    const key = (await a.logKey(db)).publicKey;
    expect(toBase64url(key)).toBe(toBase64url((await b.logKey(db)).publicKey));
    expect(checkHistory({ logPublicKey: key, lastSeen: start, latest: fromB, consistencyProof: proof }).status).toBe('consistent');
    // And the server's own cache followed the appends it did not make.
    expect((await head()).head.rootHash).toBe(fromB.rootHash);
  });

  it.runIf(backend.name === 'postgres')('serves one history from two servers sharing a PostgreSQL database', async () => {
    // Servers that share a database share its server secret too (README, "Running on a PostgreSQL server").
    const otherDir = mkdtempSync(join(tmpdir(), 'clearing-second-'));
    copyFileSync(join(server.config.dataDir, 'server-secret'), join(otherDir, 'server-secret'));
    const other = await startTestServer(backend, { databaseUrl: server.config.databaseUrl!, dataDir: otherDir });
    try {
      const second = new Browserish(other.url);
      await logIn(second, adminMember);
      const seenHere = await head();
      await second.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
      const there = (await second.get('/api/audit/head')).body as HeadBody;
      const here = await head();
      expect(here.head.rootHash).toBe(there.head.rootHash);
      expect(here.logPublicKey).toBe(there.logPublicKey);
      const proof = (await second.get(`/api/audit/consistency?from=${seenHere.head.size}&to=${there.head.size}`)).body.proof;
      expect(
        checkHistory({ logPublicKey: fromBase64url(there.logPublicKey, 32), lastSeen: seenHere.head, latest: here.head, consistencyProof: proof }).status,
      ).toBe('consistent');
    } finally {
      await other.stop();
    }
  });
});

/** A server with some history, for one destructive test each. */
async function freshLog(backend: Backend) {
  const server = await startTestServer(backend, { keepData: true });
  const admin = new Browserish(server.url);
  const { admin: adminMember } = await setUpOrganization(admin);
  await logIn(admin, adminMember);
  await inviteAndJoin(admin, server.url, 'coordinator', 'audited-one');
  await admin.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
  const head = async (client = admin) => (await client.get('/api/audit/head')).body as HeadBody;
  const verify = (extra: string[] = [], env: Record<string, string> = {}) =>
    runCli(
      ['audit', 'verify', '--data-dir', server.config.dataDir, ...(server.config.databaseUrl ? ['--database-url', server.config.databaseUrl] : []), ...extra],
      { env },
    );
  return { server, admin, adminMember, head, verify };
}

async function rows(server: TestServer): Promise<StoredAuditEntry[]> {
  return (await sql<any>`SELECT * FROM audit_entries ORDER BY seq`.execute(server.database.db)).rows.map(storedEntry);
}

/** What a careful forger does after altering entries: make every stored leaf hash match its fields again. */
async function rehashAll(server: TestServer): Promise<void> {
  for (const e of await rows(server)) await sql`UPDATE audit_entries SET leaf_hash = ${auditLeafHash(e)} WHERE seq = ${e.seq}`.execute(server.database.db);
}

describe.each(backends())('audit log tampering on $name', (backend) => {
  it('an untouched log verifies offline, in English and in Russian', async () => {
    const { server, head, verify } = await freshLog(backend);
    const size = (await head()).head.size;
    await server.stop();
    const result = verify();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${size} entries`);
    expect(result.stdout).toMatch(/Log key fingerprint .*: (\d{5} ){11}\d{5}/);
    const ru = verify([], { CLEARING_LANGUAGE: 'ru' });
    expect(ru.status, ru.stderr).toBe(0);
    expect(ru.stdout).toContain(`Журнал аудита цел: записей ${size}`);
    await server.dispose();
  });

  for (const tamper of ['change', 'delete', 'reorder'] as const) {
    it(`detects a ${tamper === 'reorder' ? 'reordered' : `${tamper}d`} entry: in the browser's check and in \`clearing audit verify\``, async () => {
      const { server, adminMember, head, verify } = await freshLog(backend);
      const seen = await head();
      const db = server.database.db;
      if (tamper === 'change') {
        await sql`UPDATE audit_entries SET action = 'member.certified' WHERE seq = 2`.execute(db);
      } else if (tamper === 'delete') {
        await sql`DELETE FROM audit_entries WHERE seq = 2`.execute(db);
        await sql`UPDATE audit_entries SET seq = seq - 1 WHERE seq > 2`.execute(db);
      } else {
        await sql`UPDATE audit_entries SET seq = 1000000 WHERE seq = 3`.execute(db);
        await sql`UPDATE audit_entries SET seq = 3 WHERE seq = 4`.execute(db);
        await sql`UPDATE audit_entries SET seq = 4 WHERE seq = 1000000`.execute(db);
      }
      await rehashAll(server);
      // The server restarts on the altered database and offers a new head over it.
      await server.stop();
      const restarted = await startTestServer(backend, { dataDir: server.config.dataDir, databaseUrl: server.config.databaseUrl ?? undefined, keepData: true });
      const client = new Browserish(restarted.url);
      await logIn(client, adminMember);
      await client.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
      const now = await head(client);
      const proof = await client.get(`/api/audit/consistency?from=${seen.head.size}&to=${now.head.size}`);
      const check = checkHistory({
        logPublicKey: fromBase64url(now.logPublicKey, 32),
        lastSeen: seen.head,
        latest: now.head,
        consistencyProof: proof.body.proof ?? [],
      });
      expect(check.status).toBe('rewritten');
      await restarted.stop();

      const result = verify();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('AUDIT_TAMPERED');
      // Heads vouch for ranges, and the damage is inside the first range that no longer matches.
      const range = /entries (\d+)–(\d+): no longer what a signed head committed to/.exec(result.stderr);
      expect(range, result.stderr).not.toBeNull();
      expect(Number(range![1])).toBeLessThanOrEqual(tamper === 'reorder' ? 3 : 2);
      expect(Number(range![2])).toBeGreaterThanOrEqual(tamper === 'reorder' ? 3 : 2);
      await restarted.dispose();
      await server.dispose();
    });
  }

  it('names the exact entry a careless forger changed, and the browser refuses it under a good head', async () => {
    const { server, admin, head, verify } = await freshLog(backend);
    const seen = await head();
    // The running server's cache still holds the honest tree; the altered row keeps its old leaf hash.
    await sql`UPDATE audit_entries SET detail = '{"role":"administrator"}'::jsonb WHERE seq = 3`.execute(server.database.db);
    const page = (await admin.get(`/api/audit/entries?limit=50&size=${seen.head.size}`)).body as Page;
    const shown = page.entries.map((e) => ({ seq: e.seq, ok: entryInHead(e, e.proof!, seen.head) }));
    expect(shown.filter((s) => !s.ok).map((s) => s.seq)).toEqual([3]);
    await server.stop();
    const result = verify();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AUDIT_TAMPERED: The audit log was altered — entry 3: its contents no longer match its leaf hash');
    await server.dispose();
  });

  it('catches a forger who holds the log key and re-signs every head, given a head saved from a browser', async () => {
    const { server, head, verify } = await freshLog(backend);
    const saved = await head();
    const db = server.database.db;
    await sql`DELETE FROM audit_entries WHERE seq = 1`.execute(db);
    await sql`UPDATE audit_entries SET seq = seq - 1 WHERE seq > 1`.execute(db);
    await rehashAll(server);
    // With the private key from the database, every recorded head is replaced by one over the new history.
    const key = fromBase64url((await db.selectFrom('audit_log_key').select('private_key').executeTakeFirstOrThrow()).private_key, 32);
    const tree = MerkleTree.fromLeafHashes((await rows(server)).map((e) => fromBase64url(e.leafHash, 32)));
    await sql`DELETE FROM audit_tree_heads`.execute(db);
    const forged = signTreeHead(key, makeTreeHead(tree.size, tree.root()), auditLogId);
    await sql`INSERT INTO audit_tree_heads (size, root_hash, signed_head) VALUES (${forged.size}, ${forged.rootHash}, ${JSON.stringify(forged)}::jsonb)`.execute(
      db,
    );
    await server.stop();

    expect(verify().status, 'the database alone no longer tells').toBe(0);
    const file = join(server.config.dataDir, 'browser-head.json');
    writeFileSync(file, JSON.stringify(saved));
    const result = verify(['--head', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AUDIT_TAMPERED');
    expect(result.stderr).toContain(`a signed head covers entries that are no longer stored (removed) (signed head of ${saved.head.size} entries)`);

    writeFileSync(file, '{"not":"a head"}');
    const bad = verify(['--head', file]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('AUDIT_HEAD_INVALID');
    await server.dispose();
  });
});
