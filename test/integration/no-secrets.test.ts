import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveMasterKey, insecureKdfPolicyForTests, parseKeyBundle, toBase64url } from '../../src/core/index.js';
import { deriveBundleKey } from '../../src/core/crypto/members/kdf.js';
import { backends } from '../support/databases.js';
import { Browserish, inviteAndJoin, logIn, setUpOrganization, type TestMember } from '../support/members.js';
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
      const bundle = parseKeyBundle((await sql<{ key_bundle: unknown }>`SELECT key_bundle FROM members WHERE id = ${member.id}`.execute(server.database.db)).rows[0]!.key_bundle);
      const master = await deriveMasterKey(member.passphrase, bundle.kdf, insecureKdfPolicyForTests);
      const secrets: Record<string, string[]> = {
        passphrase: [member.passphrase, 'PASSPHRASE-MARKER'],
        'master key': encodings(master),
        'bundle key': encodings(deriveBundleKey(master)),
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
});
