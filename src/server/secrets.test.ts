import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decoySaltPeriodMs, ServerSecrets, serverSecretFile } from './secrets.js';

const dir = () => mkdtempSync(join(tmpdir(), 'clearing-secret-'));

describe('the server secret', () => {
  it('is made once, readable only by the server, and read back the same', () => {
    const d = dir();
    const a = ServerSecrets.load(d);
    const b = ServerSecrets.load(d);
    expect(a.nameTag('Anna')).toBe(b.nameTag('Anna'));
    expect(statSync(join(d, serverSecretFile)).mode & 0o077).toBe(0);
    expect(ServerSecrets.load(dir()).nameTag('Anna')).not.toBe(a.nameTag('Anna'));
  });

  it('refuses a damaged file rather than silently making a new secret', () => {
    const d = dir();
    writeFileSync(join(d, serverSecretFile), 'not a secret\n');
    expect(() => ServerSecrets.load(d)).toThrow(expect.objectContaining({ code: 'DATA_DIR_UNUSABLE' }));
    expect(readFileSync(join(d, serverSecretFile), 'utf8')).toBe('not a secret\n');
  });

  it('tags names as logins compare them, never echoing what was typed, and keeps purposes apart', () => {
    const s = ServerSecrets.load(dir());
    expect(s.nameTag('Anna')).toBe(s.nameTag(' ａｎｎａ '));
    expect(s.nameTag('Anna')).not.toContain('anna');
    expect(s.tag('name', 'x')).not.toBe(s.tag('member', 'x'));
  });

  it('gives each unknown name a salt that changes once a period, each at its own moment', () => {
    const s = ServerSecrets.load(dir());
    const start = Date.UTC(2026, 0, 1);
    const changes = (name: string) => {
      const moments: number[] = [];
      let last = s.decoySalt(name, start).toString('hex');
      for (let day = 1; day <= 200; day++) {
        const now = start + day * 24 * 3600 * 1000;
        const salt = s.decoySalt(name, now).toString('hex');
        if (salt !== last) moments.push(day);
        last = salt;
      }
      return moments;
    };
    const a = changes('nobody-one');
    // Two names share a day of change one time in ninety; five names all sharing it never happen in practice.
    const others = ['nobody-two', 'nobody-three', 'nobody-four', 'nobody-five'].map(changes);
    // 200 days span two or three 90-day periods.
    expect(a.length).toBeGreaterThanOrEqual(2);
    expect(a.length).toBeLessThanOrEqual(3);
    expect(a[1]! - a[0]!).toBe(decoySaltPeriodMs / (24 * 3600 * 1000));
    expect(others.some((b) => JSON.stringify(b) !== JSON.stringify(a))).toBe(true);
    expect(s.decoySalt('x', start)).toHaveLength(16);
  });

  it('seals TOTP secrets per member; altered or foreign ones do not open', () => {
    const s = ServerSecrets.load(dir());
    const sealed = s.sealTotpSecret('m1', 'JBSWY3DPEHPK3PXP');
    expect(s.openTotpSecret('m1', sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(s.openTotpSecret('m2', sealed)).toBeNull();
    expect(ServerSecrets.load(dir()).openTotpSecret('m1', sealed)).toBeNull();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(s.openTotpSecret('m1', tampered)).toBeNull();
    for (const junk of ['', 'v1.', 'v1.x.y', 'JBSWY3DPEHPK3PXP', `v1.${'A'.repeat(16)}.${'A'.repeat(40)}`]) expect(s.openTotpSecret('m1', junk)).toBeNull();
  });
});
