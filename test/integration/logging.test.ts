import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { Browserish, setUpOrganization } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Logs are part of what a seizure copies: request content must never reach them. */
describe('logging', () => {
  let server: TestServer;
  const marker = `SEIZURE-MARKER-${Math.random().toString(36).slice(2)}`;
  beforeAll(async () => {
    server = await startTestServer(backends()[0]!);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('leaves no trace of request bodies, query strings, paths or credentials in the log', async () => {
    const base = server.url;
    const sends: Promise<Response>[] = [
      // An invalid body that fails to parse, one that fails validation, one of the wrong type.
      fetch(`${base}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"organizationName": "${marker}` }),
      fetch(`${base}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organizationName: marker, defaultLanguage: marker }),
      }),
      fetch(`${base}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: marker }),
      fetch(`${base}/api/health?name=${marker}`),
      fetch(`${base}/api/${marker}`),
      fetch(`${base}/cases/${marker}?q=${marker}`),
      fetch(`${base}/api/ready`, { headers: { authorization: `Bearer ${marker}`, cookie: `session=${marker}`, 'x-custom': marker } }),
    ];
    const responses = await Promise.all(sends);
    expect(responses.map((r) => r.status)).toEqual([400, 400, 415, 200, 404, 200, 200]);
    // A valid body that is stored, and a login that fails, both carrying the marker.
    const client = new Browserish(base);
    await setUpOrganization(client, { organizationName: marker, adminName: `admin-${marker.slice(-6)}`, passphrase: `${marker} passphrase` });
    expect((await client.post('/api/auth/prelogin', { name: marker.slice(0, 60) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    const logs = server.logs();
    // The log is not empty: requests were logged, only without their content.
    expect(logs).toContain('"route":"/api/setup"');
    expect(logs).toContain('"statusCode":415');
    expect(logs).not.toContain(marker);
    expect(logs.toLowerCase()).not.toContain('bearer');
  });
});
