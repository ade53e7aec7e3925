import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deriveAuthKey,
  deriveAuthKeyPair,
  deriveMasterKey,
  insecureKdfPolicyForTests,
  parseKeyBundle,
  prepareLogin,
  toBase64url,
} from '../../src/core/index.js';
import { deriveBundleKey } from '../../src/core/crypto/member-keys/kdf.js';
import { backends } from '../support/databases.js';
import { Browserish, inviteAndJoin, logIn, loginBody, setUpOrganization, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Every way a byte string could appear in JSON, a log line or a database dump. */
function encodings(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  return [b.toString('hex'), b.toString('base64'), b.toString('base64url'), b.toString('base64').replace(/=+$/, '')];
}

async function dumpDatabase(server: TestServer): Promise<string> {
  const tables = await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`.execute(server.database.db);
  let dump = '';
  for (const { t } of tables.rows) {
    const rows = await sql`SELECT * FROM ${sql.table(t)}`.execute(server.database.db);
    dump += `${t}\n${JSON.stringify(rows.rows)}\n`;
  }
  return dump;
}

/**
 * The promise behind the login design: the server never receives the
 * passphrase, the master key, or anything that opens the key bundle — not in a
 * request, not in a database row, not in a log line.
 */
describe.each(backends())('the server never sees a passphrase or master key ($name)', (backend) => {
  let server: TestServer;
  const clients: Browserish[] = [];
  const members: TestMember[] = [];
  beforeAll(async () => {
    server = await startTestServer(backend);
    const adminClient = new Browserish(server.url);
    clients.push(adminClient);
    const { admin } = await setUpOrganization(adminClient, { passphrase: 'PASSPHRASE-MARKER-admin seven words long' });
    members.push(admin);
    await logIn(adminClient, admin);
    const { client, member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'coordinator-a', 'PASSPHRASE-MARKER-member quite long too');
    clients.push(client);
    members.push(member);
    await logIn(client, member);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('no request, row or log line carries the passphrase, master key, bundle key or private keys', async () => {
    const sent = clients.flatMap((c) => c.sent).join('\n');
    const stored = await dumpDatabase(server);
    const logs = server.logs();
    expect(sent.length).toBeGreaterThan(1000);
    expect(stored).toContain('coordinator-a');
    for (const member of members) {
      const bundle = parseKeyBundle(
        (await sql<{ key_bundle: unknown }>`SELECT key_bundle FROM members WHERE id = ${member.id}`.execute(server.database.db)).rows[0]!.key_bundle,
      );
      const master = await deriveMasterKey(member.passphrase, bundle.kdf, insecureKdfPolicyForTests);
      const secrets: Record<string, string[]> = {
        passphrase: [member.passphrase, 'PASSPHRASE-MARKER'],
        'master key': encodings(master),
        'bundle key': encodings(deriveBundleKey(master)),
        'authentication private key': encodings(deriveAuthKeyPair(master).privateKey),
        // The pre-proof login key is sent once, only by an account moving over; never by these members.
        'old login key': encodings(deriveAuthKey(master)),
        'encryption private key': encodings(member.keys.encryption.privateKey),
        'signing private key': encodings(member.keys.signing.privateKey),
      };
      for (const [what, forms] of Object.entries(secrets)) {
        for (const form of forms) {
          expect(sent.includes(form), `${what} was sent to the server`).toBe(false);
          expect(stored.includes(form), `${what} is in the database`).toBe(false);
          expect(logs.includes(form), `${what} is in the log`).toBe(false);
        }
      }
      // What the server does hold cannot open the bundle: the authentication key is a different derivation.
      expect(toBase64url(deriveBundleKey(master))).not.toBe(bundle.ciphertext);
    }
  });

  it('a passphrase typed into the name field, and a name typed into the passphrase field, leave no trace in the database or the log', async () => {
    const typedAsName = 'PASSPHRASE-IN-NAME-FIELD horse';
    const member = members[1]!;
    const c = new Browserish(server.url);
    // Mistake one: the passphrase in the name field (prelogin and login both carry it).
    const pre = await c.post('/api/auth/prelogin', { name: typedAsName });
    expect(pre.status).toBe(200);
    await c.post('/api/auth/login', { name: typedAsName, challenge: pre.body.challenge, proof: toBase64url(new Uint8Array(64)) });
    // Mistake two: the name in the passphrase field: only a proof leaves the browser.
    const pre2 = await c.post('/api/auth/prelogin', { name: member.name });
    const pending = await prepareLogin(member.name, pre2.body.kdf, insecureKdfPolicyForTests);
    expect((await c.post('/api/auth/login', loginBody(c, member.name, pre2.body, pending))).body.error.code).toBe('LOGIN_FAILED');
    pending.wipe();
    const stored = await dumpDatabase(server);
    const logs = server.logs();
    for (const form of [typedAsName, typedAsName.toLowerCase(), typedAsName.toUpperCase(), 'PASSPHRASE-IN-NAME-FIELD']) {
      expect(stored.includes(form), 'the typed passphrase is in the database').toBe(false);
      expect(logs.includes(form), 'the typed passphrase is in the log').toBe(false);
    }
    await sql`DELETE FROM auth_throttle`.execute(server.database.db);
  });
});
