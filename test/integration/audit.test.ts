import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLeafHash, checkHistory, fromBase64url, type SignedTreeHead } from '../../src/core/index.js';
import { appendAuditEntry } from '../../src/server/audit/index.js';
import { storedEntry } from '../../src/server/audit/tree.js';
import { backends } from '../support/databases.js';
import { runCli } from '../support/cli.js';
import { Browserish, inviteAndJoin, logIn, setUpOrganization } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(backends())('tamper-evident audit log on $name', (backend) => {
  let server: TestServer;
  let admin: Browserish;
  beforeAll(async () => {
    server = await startTestServer(backend);
    admin = new Browserish(server.url);
    const { admin: adminMember } = await setUpOrganization(admin);
    await logIn(admin, adminMember);
    await inviteAndJoin(admin, server.url, 'coordinator', 'audited-one');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const head = async () => (await admin.get('/api/audit/head')).body as { logPublicKey: string; head: SignedTreeHead };

  it('records security actions with pseudonymous ids and no names', async () => {
    const res = await admin.get('/api/audit/entries?limit=50');
    expect(res.status).toBe(200);
    const actions = res.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['organization.setup', 'auth.totp_enrolled', 'auth.login', 'member.invited', 'member.joined']));
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain('audited-one');
    expect(raw).not.toContain('Free Passage');
    const filtered = await admin.get('/api/audit/entries?action=member.invited');
    expect(filtered.body.entries.every((e: { action: string }) => e.action === 'member.invited')).toBe(true);
    const page = await admin.get('/api/audit/entries?limit=2');
    expect(page.body.entries).toHaveLength(2);
    const next = await admin.get(`/api/audit/entries?limit=2&before=${page.body.nextBefore}`);
    expect(next.body.entries[0].seq).toBeLessThan(page.body.entries[1].seq + 1);
  });

  it('rejects malformed queries plainly', async () => {
    for (const q of ['limit=0', 'limit=9999', 'action=nope', 'actor=not-a-uuid', 'from=yesterday', 'before=-1', 'limit=501', 'extra=1']) {
      const res = await admin.get(`/api/audit/entries?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const range = await admin.get('/api/audit/consistency?from=5&to=2');
    expect(range.body.error.code).toBe('AUDIT_RANGE_INVALID');
    const beyond = await admin.get('/api/audit/consistency?from=1&to=100000');
    expect(beyond.body.error.code).toBe('AUDIT_RANGE_INVALID');
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
    await Promise.all(
      Array.from({ length: 8 }, () => server.database.db.transaction().execute((tx) => appendAuditEntry(tx, { action: 'member.reinstated', actorId: null }))),
    );
    const seqs = (await sql<{ seq: string }>`SELECT seq FROM audit_entries ORDER BY seq`.execute(server.database.db)).rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });

  it('a client that saw an earlier head accepts a consistent extension', async () => {
    const first = await head();
    await admin.post('/api/invitations', { role: 'verifier', expiresInHours: 1 });
    const second = await head();
    const proof = (await admin.get(`/api/audit/consistency?from=${first.head.size}&to=${second.head.size}`)).body.proof;
    const check = checkHistory({ logPublicKey: fromBase64url(second.logPublicKey, 32), lastSeen: first.head, latest: second.head, consistencyProof: proof });
    expect(check.status).toBe('consistent');
    // The same head twice is consistent; a head signed by another key is not accepted at all.
    expect(checkHistory({ logPublicKey: fromBase64url(second.logPublicKey, 32), lastSeen: second.head, latest: second.head, consistencyProof: [] }).status).toBe('consistent');
    expect(checkHistory({ logPublicKey: new Uint8Array(32).fill(7), lastSeen: first.head, latest: second.head, consistencyProof: proof }).status).toBe('bad_signature');
  });
});

/** A server with some history, for one destructive test each. */
async function freshLog(backend: ReturnType<typeof backends>[number]) {
  const server = await startTestServer(backend, { keepData: true });
  const admin = new Browserish(server.url);
  const { admin: adminMember } = await setUpOrganization(admin);
  await logIn(admin, adminMember);
  await inviteAndJoin(admin, server.url, 'coordinator', 'audited-one');
  await admin.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
  const head = async () => (await admin.get('/api/audit/head')).body as { logPublicKey: string; head: SignedTreeHead };
  const verify = () => runCli(['audit', 'verify', '--data-dir', server.config.dataDir, ...(server.config.databaseUrl ? ['--database-url', server.config.databaseUrl] : [])]);
  return { server, admin, adminMember, head, verify };
}

describe.each(backends())('audit log tampering on $name', (backend) => {
  it('an untouched log verifies offline', async () => {
    const { server, head, verify } = await freshLog(backend);
    const size = (await head()).head.size;
    await server.stop();
    const result = verify();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${size} entries`);
    await server.dispose();
  });

  for (const tamper of ['change', 'delete', 'reorder'] as const) {
    it(`detects a ${tamper}d entry: in the browser's check and in \`clearing audit verify\``, async () => {
      const { server, admin, adminMember, head, verify } = await freshLog(backend);
      const seen = await head();
      void admin;
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
      // A careful forger also recomputes the stored leaf hashes of what they changed.
      const rows = (await sql<any>`SELECT * FROM audit_entries ORDER BY seq`.execute(db)).rows;
      for (const r of rows) {
        const e = storedEntry(r);
        await sql`UPDATE audit_entries SET leaf_hash = ${auditLeafHash(e)} WHERE seq = ${e.seq}`.execute(db);
      }
      // The server restarts on the altered database and offers a new head over it.
      await server.stop();
      const restarted = await startTestServer(backend, { dataDir: server.config.dataDir, databaseUrl: server.config.databaseUrl ?? undefined, keepData: true });
      const client = new Browserish(restarted.url);
      await logIn(client, adminMember);
      await client.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
      const now = (await client.get('/api/audit/head')).body as { logPublicKey: string; head: SignedTreeHead };
      const proof = await client.get(`/api/audit/consistency?from=${seen.head.size}&to=${now.head.size}`);
      const check = checkHistory({ logPublicKey: fromBase64url(now.logPublicKey, 32), lastSeen: seen.head, latest: now.head, consistencyProof: proof.body.proof ?? [] });
      expect(check.status).toBe('rewritten');
      await restarted.stop();

      const result = verify();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('AUDIT_TAMPERED');
      await restarted.dispose();
      await server.dispose();
    });
  }
});
