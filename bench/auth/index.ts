/**
 * `npm run bench -- auth [--seconds 10] [--concurrency 4]`
 *
 * auth.login: first-factor logins per second the server sustains (prelogin +
 * login, each checking a signature over a single-use challenge), beside the
 * raw rate of one server-side slow hash measured in the same process and run
 * (the reference BENCHMARKS.md fixes; it is what each login cost before logins
 * became proofs). auth.login_p99: latency of a login round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insecureKdfPolicyForTests, prepareLogin } from '../../src/core/index.js';
import { hashAuthKey, verifyAuthKey } from '../../src/server/members/slow-hash.js';
import { AddressThrottle, createLogger, loadConfig, projectRoot, readSetupCode, startServer } from '../../src/server/index.js';
import { Browserish, inviteAndJoin, logIn, loginBody, setUpOrganization, type TestMember } from '../../test/support/members.js';
import { type Figure, note, printFigures } from '../report.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('seconds', 10);
const concurrency = arg('concurrency', 4);

async function slowHashRate(): Promise<number> {
  const key = new Uint8Array(32).fill(1);
  const encoded = await hashAuthKey(key);
  await verifyAuthKey(key, encoded);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await verifyAuthKey(key, encoded);
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

const dataDir = mkdtempSync(join(tmpdir(), 'clearing-bench-auth-'));
const config = loadConfig({}, { port: 0, dataDir, logLevel: 'warn' }, { cwd: process.cwd(), projectRoot: projectRoot() });
// Bench members use tiny Argon2id settings: the bench measures the server, not the browser's derivation.
const server = await startServer(config, {
  logger: createLogger('warn'),
  addressThrottle: new AddressThrottle(1_000_000),
  kdfPolicy: insecureKdfPolicyForTests,
});
try {
  const admin = new Browserish(server.url);
  const org = await setUpOrganization(admin, { setupCode: readSetupCode(dataDir) ?? '' });
  await logIn(admin, org.admin);
  const members: TestMember[] = [];
  for (let i = 0; i < concurrency; i++) members.push((await inviteAndJoin(admin, server.url, 'coordinator', `bench-${i}`)).member);
  // Derive each member's authentication key once; each login then signs its own challenge.
  const logins = await Promise.all(
    members.map(async (m) => {
      const pre = await new Browserish(server.url).post('/api/auth/prelogin', { name: m.name });
      return prepareLogin(m.passphrase, pre.body.kdf, insecureKdfPolicyForTests);
    }),
  );

  note(`bench auth: raw slow hash for ${seconds} s`);
  const hashRate = await slowHashRate();

  note(`bench auth: ${concurrency} clients logging in for ${seconds} s`);
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    members.map(async (m, i) => {
      while (performance.now() < deadline) {
        const client = new Browserish(server.url);
        const t0 = performance.now();
        const pre = await client.post('/api/auth/prelogin', { name: m.name });
        const res = await client.post('/api/auth/login', loginBody(client, m.name, pre.body, logins[i]!));
        if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const rate = latencies.length / elapsed;
  latencies.sort((a, b) => a - b);
  const p50 = latencies[Math.floor(latencies.length * 0.5)]!;
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
  note(
    `bench auth: ${rate.toFixed(1)} logins/s (p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms); one slow hash alone: ${hashRate.toFixed(1)}/s (${(1000 / hashRate).toFixed(1)} ms)`,
  );
  const figures: Figure[] = [
    {
      bench: 'auth.login',
      value: rate,
      unit: 'logins/s',
      reference: 'one server-side slow hash (Argon2id 19 MiB, t=2), verifications/s',
      reference_value: hashRate,
    },
    { bench: 'auth.login_p50', value: p50, unit: 'ms', reference: 'one server-side slow hash, ms', reference_value: 1000 / hashRate },
    { bench: 'auth.login_p99', value: p99, unit: 'ms', reference: 'one server-side slow hash, ms', reference_value: 1000 / hashRate },
  ];
  printFigures(figures);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
