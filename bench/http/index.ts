/**
 * `npm run bench -- http [--duration 10] [--connections 50] [--rounds 3]`
 *
 * http.health_rps: requests/s of Clearing's /api/health under autocannon, beside a
 * bare node:http server answering the same JSON, measured in the same run
 * (each server in its own process; p99 latency printed beside).
 * http.cold_start: seconds from `npm start` to /api/ready answering 200, on an
 * empty data directory and on an existing one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { type Figure, note, printFigures } from '../report.js';

const root = new URL('../..', import.meta.url).pathname;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const duration = arg('duration', 10);
const connections = arg('connections', 50);
const rounds = arg('rounds', 3);

const bareServer = `
const http = require('node:http');
const body = JSON.stringify({ status: 'ok' });
const server = http.createServer((req, res) => {
  if (req.url === '/api/health') { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }); res.end(body); }
  else { res.writeHead(404); res.end(); }
});
server.listen(0, '127.0.0.1', () => process.stderr.write('running at http://127.0.0.1:' + server.address().port + '\\n'));
`;

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /running at (http:\/\/[^\s]+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

async function load(url: string): Promise<{ rps: number; p99: number }> {
  // Warm up the JIT and connection handling before measuring.
  await autocannon({ url, connections, duration: 2 });
  const r = await autocannon({ url, connections, duration });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`load run had ${r.non2xx} non-2xx answers and ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Both servers run side by side; measurements alternate so drift in the machine's load hits both alike. */
async function measureHealth(): Promise<Figure[]> {
  const bare = spawn(process.execPath, ['-e', bareServer], { stdio: ['ignore', 'ignore', 'pipe'] });
  const dataDir = mkdtempSync(join(tmpdir(), 'clearing-bench-http-'));
  const clearing = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CLEARING_LANGUAGE: 'en' },
  });
  // Neither server outlives the bench, even when one of them fails to start.
  try {
    return await measureBoth(bare, clearing);
  } finally {
    bare.kill('SIGTERM');
    clearing.kill('SIGTERM');
    if (clearing.exitCode === null && clearing.signalCode === null) await new Promise((r) => clearing.on('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureBoth(bare: ChildProcess, clearing: ChildProcess): Promise<Figure[]> {
  const bareUrl = await waitForUrl(bare);
  const url = await waitForUrl(clearing);
  note(
    `bench http: bare node:http at ${bareUrl}, Clearing at ${url} (default log level); ${rounds} alternating rounds of ${duration} s, ${connections} connections`,
  );
  const bareRuns: { rps: number; p99: number }[] = [];
  const runs: { rps: number; p99: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    bareRuns.push(await load(`${bareUrl}/api/health`));
    runs.push(await load(`${url}/api/health`));
    note(`bench http: round ${i + 1}: Clearing ${runs[i]!.rps.toFixed(0)} req/s, bare ${bareRuns[i]!.rps.toFixed(0)} req/s`);
  }
  const result = { rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99)) };
  const bareResult = { rps: median(bareRuns.map((r) => r.rps)), p99: median(bareRuns.map((r) => r.p99)) };
  note(`bench http: median Clearing ${result.rps.toFixed(0)} req/s p99 ${result.p99} ms; bare ${bareResult.rps.toFixed(0)} req/s p99 ${bareResult.p99} ms`);
  return [
    { bench: 'http.health_rps', value: result.rps, unit: 'req/s', reference: 'bare node:http', reference_value: bareResult.rps },
    { bench: 'http.health_p99', value: result.p99, unit: 'ms', reference: 'bare node:http', reference_value: bareResult.p99 },
  ];
}

async function coldStart(dataDir: string): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, CLEARING_PORT: String(port), CLEARING_DATA_DIR: dataDir, CLEARING_LOG_LEVEL: 'warn' },
    detached: true,
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/ready`);
        if (res.status === 200) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) throw new Error('server did not become ready within 120 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
}

async function measureColdStart(): Promise<Figure[]> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'clearing-bench-cold-')), 'data');
  const empty = await coldStart(dataDir);
  const existing: number[] = [];
  for (let i = 0; i < 3; i++) existing.push(await coldStart(dataDir));
  rmSync(dataDir, { recursive: true, force: true });
  const typical = median(existing);
  note(`bench http: cold start ${empty.toFixed(2)} s on an empty data directory, ${existing.map((s) => s.toFixed(2)).join(' / ')} s on an existing one`);
  return [
    { bench: 'http.cold_start', value: typical, unit: 's', reference: null, reference_value: null },
    { bench: 'http.cold_start_empty', value: empty, unit: 's', reference: null, reference_value: null },
  ];
}

const figures = [...(await measureHealth()), ...(await measureColdStart())];
printFigures(figures);
