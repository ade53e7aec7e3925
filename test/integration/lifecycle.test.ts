import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnServer } from '../support/cli.js';
import { setupRequest } from '../support/members.js';
import { copyPgliteTemplate } from '../support/pglite-template.js';
import { readSetupCode } from '../../src/server/organization/setup-code.js';

async function dataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'clearing-life-'));
  await copyPgliteTemplate(join(dir, 'pglite'));
  return dir;
}

/** Sends the head and half the body of a request, and the rest when asked: a request in flight. */
function slowRequest(url: string, path: string, body: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let response = '';
  socket.on('data', (c) => (response += c.toString()));
  const done = new Promise<string>((resolve) => socket.on('close', () => resolve(response)));
  const half = Math.floor(body.length / 2);
  const opened = new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  return {
    async start() {
      await opened;
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
      );
    },
    finish() {
      socket.write(body.slice(half));
    },
    done,
  };
}

describe('server lifecycle', () => {
  it('refuses a second server on the same data directory with a clear message, and the first keeps serving', async () => {
    const dir = await dataDir();
    const first = await spawnServer(['--data-dir', dir]);
    try {
      const second = spawnServer(['--data-dir', dir]);
      await expect(second).rejects.toMatchObject({ code: 1 });
      const error = await second.catch((e: { stderr: string }) => e.stderr);
      expect(error).toContain('DATA_DIR_LOCKED');
      expect(error).toContain(`process ${first.child.pid}`);
      const ready = await fetch(`${first.url}/api/ready`);
      expect(ready.status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} finishes the request in flight, closes the database and releases the directory`, async () => {
      const dir = await dataDir();
      const server = await spawnServer(['--data-dir', dir]);
      const req = slowRequest(
        server.url,
        '/api/setup',
        JSON.stringify((await setupRequest({ organizationName: `Org ${signal}`, realKdf: true, setupCode: readSetupCode(dir)! })).body),
      );
      await req.start();
      await new Promise((r) => setTimeout(r, 200));
      server.child.kill(signal);
      await new Promise((r) => setTimeout(r, 300));
      req.finish();
      const response = await req.done;
      expect(response).toMatch(/^HTTP\/1\.1 201/);
      expect(await server.exited).toBe(0);
      expect(existsSync(join(dir, 'clearing.lock'))).toBe(false);

      const again = await spawnServer(['--data-dir', dir]);
      try {
        const setup = await (await fetch(`${again.url}/api/setup`)).json();
        expect(setup).toMatchObject({ setUp: true, organization: { name: `Org ${signal}`, defaultLanguage: 'en' } });
      } finally {
        again.child.kill('SIGTERM');
        await again.exited;
      }
    });
  }

  it('recovers after being killed outright: the stale lock is taken over and the data is intact', async () => {
    const dir = await dataDir();
    const server = await spawnServer(['--data-dir', dir]);
    const res = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify((await setupRequest({ organizationName: 'Survives', realKdf: true, setupCode: readSetupCode(dir)! })).body),
    });
    expect(res.status).toBe(201);
    server.child.kill('SIGKILL');
    await server.exited;
    expect(existsSync(join(dir, 'clearing.lock'))).toBe(true);
    const again = await spawnServer(['--data-dir', dir]);
    try {
      expect(await (await fetch(`${again.url}/api/setup`)).json()).toMatchObject({ setUp: true, organization: { name: 'Survives' } });
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('treats a lock left by a process that no longer exists as stale', async () => {
    const dir = await dataDir();
    writeFileSync(join(dir, 'clearing.lock'), JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname(), startedAt: 'then' }));
    const server = await spawnServer(['--data-dir', dir]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses a data directory it cannot write, saying why', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clearing-file-')), 'a-file');
    writeFileSync(file, 'not a directory');
    const result = runCli(['migrate', '--data-dir', join(file, 'data')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATA_DIR_UNUSABLE');
  });
});
