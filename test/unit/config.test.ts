import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configVariables, loadConfig } from '../../src/server/config.js';

const paths = { cwd: '/srv/clearing', projectRoot: '/opt/clearing' };

describe('configuration', () => {
  it('has safe defaults: loopback, port 8080, ./data, embedded database', () => {
    const c = loadConfig({}, {}, paths);
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/srv/clearing/data',
      databaseUrl: null,
      logLevel: 'info',
      bodyLimit: 1048576,
      https: false,
    });
    expect(c.webDir).toBe('/opt/clearing/dist/web');
  });

  it('reads the environment, and flags override it', () => {
    const env = {
      CLEARING_HOST: '0.0.0.0',
      CLEARING_PORT: '9000',
      CLEARING_DATA_DIR: '/var/lib/clearing',
      DATABASE_URL: 'postgres://u@h/db',
      CLEARING_LOG_LEVEL: 'WARN',
      CLEARING_BODY_LIMIT: '2048',
      CLEARING_HTTPS: 'yes',
    };
    expect(loadConfig(env, {}, paths)).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/var/lib/clearing',
      databaseUrl: 'postgres://u@h/db',
      logLevel: 'warn',
      bodyLimit: 2048,
      https: true,
    });
    expect(loadConfig(env, { port: '9100', dataDir: 'rel' }, paths)).toMatchObject({ port: 9100, dataDir: '/srv/clearing/rel' });
  });

  it.each([
    [{ CLEARING_PORT: 'http' }, /port/],
    [{ CLEARING_PORT: '70000' }, /port/],
    [{ CLEARING_PORT: '-1' }, /port/],
    [{ CLEARING_LOG_LEVEL: 'loud' }, /log level/],
    [{ CLEARING_BODY_LIMIT: '12' }, /body limit/],
    [{ CLEARING_BODY_LIMIT: '1e9' }, /body limit/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ CLEARING_HTTPS: 'maybe' }, /https/],
    [{ CLEARING_TRUST_PROXY: 'everyone please' }, /trust proxy/],
    [{ CLEARING_TRUST_PROXY: '99' }, /trust proxy/],
    [{ CLEARING_TRUST_PROXY: '10.0.0.1,evil.example' }, /trust proxy/],
  ])('refuses %o with CONFIG_INVALID', (env, detail) => {
    expect(() => loadConfig(env, {}, paths)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(detail) }));
  });

  it('believes forwarded client addresses only from the proxies it is told of', () => {
    expect(loadConfig({}, {}, paths).trustProxy).toBe(false);
    expect(loadConfig({ CLEARING_TRUST_PROXY: 'false' }, {}, paths).trustProxy).toBe(false);
    expect(loadConfig({ CLEARING_TRUST_PROXY: '0' }, {}, paths).trustProxy).toBe(false);
    expect(loadConfig({ CLEARING_TRUST_PROXY: '1' }, {}, paths).trustProxy).toBe(1);
    expect(loadConfig({ CLEARING_TRUST_PROXY: 'true' }, {}, paths).trustProxy).toBe(true);
    expect(loadConfig({ CLEARING_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }, {}, paths).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(loadConfig({ CLEARING_TRUST_PROXY: 'true' }, { trustProxy: 'loopback' }, paths).trustProxy).toEqual(['loopback']);
  });

  it('documents every setting in the README configuration table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of configVariables) {
      expect(readme, v.env).toContain(`\`${v.env}\``);
      expect(readme, v.flag).toContain(`\`${v.flag}`);
    }
  });
});
