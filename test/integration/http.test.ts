import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { Browserish, setUpOrganization } from '../support/members.js';
import { json, startTestServer, type TestServer } from '../support/server.js';

/** Sends a raw body with a chosen content type and length, as a hostile client would. */
function rawPost(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(backends())('HTTP API on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers liveness and readiness', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await json(health)).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await json(ready)).toMatchObject({ status: 'ready', database: backend.name, migrations: expect.any(Number) });
  });

  it('serves an OpenAPI 3.1 document describing its routes', async () => {
    const doc = await json(await fetch(`${server.url}/api/openapi.json`));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/ready', '/api/setup']));
    expect(doc.paths['/api/setup'].post.requestBody).toBeDefined();
  });

  it('answers an unknown API route with a JSON 404 in the error envelope', async () => {
    const res = await fetch(`${server.url}/api/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await json(res)).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String) } });
  });

  it('rejects malformed JSON with 400 MALFORMED_JSON and changes nothing', async () => {
    for (const body of ['{"organizationName": "A"', '{bad json}', '\u0000\u0001', '[1,2,', '"unterminated']) {
      const res = await rawPost(`${server.url}/api/setup`, body);
      expect(res.status, body).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('MALFORMED_JSON');
    }
    expect(await json(await fetch(`${server.url}/api/setup`))).toEqual({ setUp: false });
  });

  it('rejects an empty JSON body and a wrong content type', async () => {
    const empty = await rawPost(`${server.url}/api/setup`, '');
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body).error.code).toBe('MALFORMED_JSON');
    const xml = await rawPost(`${server.url}/api/setup`, '<a/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(JSON.parse(xml.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects an oversized body with 413 BODY_TOO_LARGE', async () => {
    const big = JSON.stringify({ organizationName: 'x'.repeat(server.config.bodyLimit + 10), defaultLanguage: 'en' });
    const res = await rawPost(`${server.url}/api/setup`, big);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'BODY_TOO_LARGE' });
    // A lying Content-Length is refused before the body is read.
    const lying = await rawPost(`${server.url}/api/setup`, '{}', { 'content-length': String(server.config.bodyLimit * 4) }).catch(() => null);
    if (lying) expect([400, 413]).toContain(lying.status);
  });

  it('rejects invalid fields with 400 VALIDATION_FAILED, in the language asked for', async () => {
    const cases = [
      {},
      { organizationName: 'A', defaultLanguage: 'en' },
      { organizationName: '', defaultLanguage: 'en' },
      { organizationName: '   ', defaultLanguage: 'en' },
      { organizationName: 'A', defaultLanguage: 'de' },
      { organizationName: 'x'.repeat(121), defaultLanguage: 'en' },
      { organizationName: 42, defaultLanguage: 'en' },
      { organizationName: 'A', defaultLanguage: 'en', admin: true },
      [],
      'a string',
    ];
    for (const body of cases) {
      const res = await rawPost(`${server.url}/api/setup`, JSON.stringify(body), { 'accept-language': 'ru-RU,ru;q=0.9' });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = JSON.parse(res.body).error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toMatch(/Некоторые поля/);
    }
    expect(await json(await fetch(`${server.url}/api/setup`))).toEqual({ setUp: false });
  });

  it('sets up the organization once, then refuses with 409 ALREADY_SET_UP', async () => {
    const first = await setUpOrganization(new Browserish(server.url), { organizationName: ' Свободный путь ' });
    expect(first.admin.role).toBe('administrator');
    await expect(setUpOrganization(new Browserish(server.url), { organizationName: 'Other', adminName: 'other' })).rejects.toThrow(/ALREADY_SET_UP/);
    const status = await json(await fetch(`${server.url}/api/setup`));
    expect(status).toMatchObject({ setUp: true, organization: { name: 'Свободный путь', defaultLanguage: 'en' } });
    expect(status.organization.fingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
  });

  it('sends strict security headers on pages and API answers', async () => {
    for (const path of ['/', '/about', '/api/health', '/api/nope']) {
      const res = await fetch(`${server.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).not.toContain("'unsafe-eval'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      if (path.startsWith('/api/')) {
        expect(csp).toContain("default-src 'none'");
        expect(res.headers.get('cache-control')).toBe('no-store');
      } else {
        expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
        expect(csp).toContain("object-src 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
      }
    }
  });

  it('serves the web app for deep links, with integrity hashes on its assets', async () => {
    const res = await fetch(`${server.url}/about`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="root">');
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) {
      expect(tag).toMatch(/src="\/assets\//);
      expect(tag).toMatch(/integrity="sha384-/);
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const missingAsset = await fetch(`${server.url}/assets/nope.js`);
    expect(missingAsset.status).toBe(404);
  });
});
