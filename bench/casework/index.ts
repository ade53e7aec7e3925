/**
 * `npm run bench -- casework [--scale 1] [--member-cases 300] [--seconds 10] [--rounds 3] [--connections 16] [--queries 200] [--keep]`
 *
 * On PostgreSQL (TEST_DATABASE_URL, else the cluster of .ci/start-postgres.sh),
 * with Clearing's server running as its own process:
 *
 * - seeds 100,000 × scale cases and 1,000,000 × scale records. The member's
 *   own cases (300) are opened and written for real, in core, through the
 *   HTTP API; the other cases are bulk-inserted with random bytes of the real
 *   sizes for ciphertexts, sealed keys, signatures and blind tokens (nobody
 *   in the bench holds their keys, and to the server that is all they are);
 * - casework.index_rate: the member's records written end to end (encrypt,
 *   sign, tokenize in core; POST; store) against plaintext INSERTs of the same
 *   records with a `russian` tsvector and a GIN index;
 * - casework.list_p99: GET /api/cases under concurrent load against
 *   /api/health's p99 in the same run;
 * - casework.search_p99: one- and two-word queries, blinded in core, POST
 *   /api/search, the first 20 hits decrypted and verified in this process;
 *   casework.search_vs_plaintext: the same queries as full-text search of
 *   the plaintext copy (tsvector, `russian`, GIN), with the same access filter;
 * - casework.rotate: the member's colleague who holds the same 300 cases is
 *   removed; every compartment they held is rotated by the member's client
 *   (read, audit, new key sealed to the remaining holders, link, statement),
 *   beside raw X25519 operations per second;
 * - WebCrypto against @noble for Ed25519 and X25519 (decision 0019).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import type { CaseDetail, SearchHit, StoredRecord } from '../../src/core/api/cases.js';
import {
  asCaseId,
  asMemberId,
  memberSigner,
  openCaseKeys,
  openStoredRecord,
  prepareRotation,
  prepareSearch,
  tokenize,
  type CaseCompartmentName,
  type CaseId,
  type CaseKeyrings,
  type CertifiedMember,
  type MemberId,
} from '../../src/core/index.js';
import { readSetupCode } from '../../src/server/index.js';
import { freshPostgresDatabase } from '../../test/support/databases.js';
import { certifyEveryone, openCaseOverHttp, recordRequest, type Caseworker } from '../../test/support/http-casework.js';
import { Browserish, inviteAndJoin, logIn, setUpOrganization } from '../../test/support/members.js';
import { type Figure, note, printFigures } from '../report.js';
import { makeCorpus, prng } from './corpus.js';
import { cryptoSpeedFigures, rawX25519Rate } from './crypto-speed.js';
import { createPlainTable, indexPlainTable, plainTable, seedOtherCases } from './seed.js';

const root = new URL('../..', import.meta.url).pathname;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const scale = arg('scale', 1);
const seconds = arg('seconds', 10);
const rounds = arg('rounds', 3);
const connections = arg('connections', 16);
const queryCount = arg('queries', 200);
const writers = arg('writers', 8);
const keep = process.argv.includes('--keep');
const totalCases = Math.round(100_000 * scale);
const totalRecords = Math.round(1_000_000 * scale);
const memberCases = Math.min(arg('member-cases', 300), totalCases);
const recordsPerCase = Math.max(1, Math.round(totalRecords / totalCases));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

/** Runs `tasks` with at most `limit` at once. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

function postgresUrl(): string | null {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const started = spawnSync('bash', [join(root, '.ci/start-postgres.sh')], { encoding: 'utf8' });
  return started.status === 0 ? started.stdout.trim().split('\n').pop()! : null;
}

function startClearing(databaseUrl: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--database-url', databaseUrl, '--log-level', 'warn'],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CLEARING_LANGUAGE: 'en' } },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /running at (http:\/\/[^\s]+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

async function autocannonP99(
  url: string,
  cookie: string | null,
  duration: number,
  overallRate?: number,
  clients = connections,
): Promise<{ p99: number; rps: number }> {
  const headers = cookie ? { cookie } : undefined;
  const result = await autocannon({ url, connections: clients, duration, headers, ...(overallRate ? { overallRate } : {}) });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return { p99: result.latency.p99, rps: result.requests.average };
}

/** One client asking `url` again and again for `duration` seconds, timing each answer to the microsecond (autocannon rounds to whole ms). */
async function probe(url: string, duration: number): Promise<{ p99: number; rps: number }> {
  const times: number[] = [];
  const until = performance.now() + duration * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    times.push(performance.now() - started);
  }
  return { p99: percentile(times, 0.99), rps: times.length / duration };
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  note(`bench casework: WebCrypto against @noble, ${Math.max(0.5, seconds / 10)} s per measurement`);
  const speed = await cryptoSpeedFigures(Math.max(0.5, seconds / 10));
  for (const line of speed.lines) note(`bench casework: ${line}`);
  figures.push(...speed.figures);

  const adminUrl = postgresUrl();
  if (!adminUrl) {
    note(
      'bench casework: NOTE: no PostgreSQL server (set TEST_DATABASE_URL or install PostgreSQL for .ci/start-postgres.sh). ' +
        'The bulk seeding of 100,000 cases and the plaintext full-text reference need PostgreSQL; on PGlite only the crypto figures run.',
    );
    printFigures(figures);
    return;
  }
  const database = await freshPostgresDatabase(adminUrl);
  const pool = new pg.Pool({ connectionString: database.url, max: writers + 2 });
  const dataDir = mkdtempSync(join(tmpdir(), 'clearing-bench-casework-'));
  let server: { child: ChildProcess; url: string } | null = null;
  try {
    server = await startClearing(database.url, dataDir);
    const url = server.url;
    note(
      `bench casework: Clearing at ${url} on PostgreSQL ${new URL(database.url).pathname.slice(1)}; scale ${scale}: ${totalCases} cases, ${totalRecords} records, member holds ${memberCases}`,
    );

    // The organization: an administrator, the member (vera), the colleague who shares her cases and is removed at the end (boris), and whoever holds the rest (oleg).
    const adminClient = new Browserish(url);
    const org = await setUpOrganization(adminClient, { realKdf: true, setupCode: readSetupCode(dataDir) ?? '' });
    await logIn(adminClient, org.admin);
    const joined = [];
    for (const name of ['vera', 'boris', 'oleg'])
      joined.push((await inviteAndJoin(adminClient, url, 'coordinator', name, `a long passphrase of ${name}`, { realKdf: true })).member);
    const [veraMember, borisMember, olegMember] = joined as [(typeof joined)[0], (typeof joined)[0], (typeof joined)[0]];
    const veraClient = new Browserish(url);
    const veraKeys = (await logIn(veraClient, veraMember)).keys;
    const certified = await certifyEveryone(adminClient, org.organization, org.admin.id);
    const lookup = (id: MemberId): CertifiedMember | null => certified.get(id) ?? null;
    const vera: Caseworker = { id: veraMember.id, keys: veraKeys, certified: certified.get(veraMember.id)!, client: veraClient };
    const administrators = [certified.get(org.admin.id)!];

    // Bulk: the cases the member does not hold.
    const corpus = makeCorpus();
    const random = prng(42);
    const sample = Array.from({ length: 300 }, () => corpus.text(random, 15 + Math.floor(random() * 26)));
    const tokensPerWord =
      sample.reduce((n, t) => n + tokenize(t, { mode: 'index' }).length, 0) / sample.reduce((n, t) => n + new Set(t.slice(0, -1).split(' ')).size, 0);
    await createPlainTable(pool);
    const others = totalCases - memberCases;
    const otherRecords = totalRecords - memberCases * recordsPerCase;
    const seedStarted = performance.now();
    let lastNote = 0;
    const seeded = await seedOtherCases(pool, {
      cases: others,
      records: otherRecords,
      holders: [org.admin.id, olegMember.id],
      createdBy: olegMember.id,
      corpus,
      random,
      tokensPerWord,
      taken: new Set(),
      onProgress: (c, r) => {
        if (performance.now() - lastNote > 15_000) {
          lastNote = performance.now();
          note(`bench casework: seeded ${c}/${others} cases, ${r} records`);
        }
      },
    });
    await indexPlainTable(pool);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    note(
      `bench casework: bulk-seeded ${others} cases and ${otherRecords} records (${seeded.tokens} blind tokens, ${tokensPerWord.toFixed(2)} per distinct word) in ${seedSeconds.toFixed(0)} s: ` +
        'random bytes of the real sizes for their ciphertexts, sealed keys, signatures and tokens (no bench member holds their keys); their plaintext in the full-text reference table',
    );
    await pool.query('VACUUM ANALYZE');

    // The member's cases, opened for real in core; boris is the owner, so he holds them too.
    const borisCertified = certified.get(borisMember.id)!;
    const opened: { caseId: CaseId; code: string; keyrings: CaseKeyrings }[] = [];
    const openStarted = performance.now();
    await inParallel(Array.from({ length: memberCases }), 4, async () => {
      opened.push(await openCaseOverHttp(vera, administrators, { category: 'mobilized', owner: borisCertified }));
    });
    note(`bench casework: opened ${memberCases} cases in core and over HTTP in ${((performance.now() - openStarted) / 1000).toFixed(1)} s`);

    // casework.index_rate: the member's records, end to end, against plaintext inserts of the same records.
    const writes = opened.flatMap((c) =>
      Array.from({ length: recordsPerCase }, (_, i) => ({
        opened: c,
        compartment: (['testimony', 'identity', 'contact', 'logistics', 'legal', 'support', 'evidence'] as const)[i % 7]!,
        text: corpus.text(random, 15 + Math.floor(random() * 26)),
      })),
    );
    const written: { id: string; caseId: string; compartment: string; text: string; at: Date }[] = [];
    const prepareTimes: number[] = [];
    const postTimes: number[] = [];
    const indexStarted = performance.now();
    await inParallel(writes, writers, async (w) => {
      const t0 = performance.now();
      const { recordId, body } = recordRequest(vera, w.opened, w.compartment, { kind: 'note', text: w.text });
      const t1 = performance.now();
      const res = await vera.client.post(`/api/cases/${w.opened.caseId}/records`, body);
      prepareTimes.push(t1 - t0);
      postTimes.push(performance.now() - t1);
      if (res.status !== 201 && res.status !== 200) throw new Error(`write failed: ${res.status} ${JSON.stringify(res.body)}`);
      written.push({ id: recordId, caseId: w.opened.caseId, compartment: w.compartment, text: w.text, at: new Date() });
    });
    const indexRate = writes.length / ((performance.now() - indexStarted) / 1000);
    const plainStarted = performance.now();
    await inParallel(written, writers, async (w) => {
      await pool.query(`INSERT INTO ${plainTable} (id, case_id, compartment, created_at, body, tsv) VALUES ($1, $2, $3, $4, $5, to_tsvector('russian', $5))`, [
        w.id,
        w.caseId,
        w.compartment,
        w.at,
        w.text,
      ]);
    });
    const plainRate = written.length / ((performance.now() - plainStarted) / 1000);
    note(
      `bench casework: index ${indexRate.toFixed(0)} records/s end to end over HTTP (${writers} writers; in core per record: p50 ${percentile(prepareTimes, 0.5).toFixed(1)} ms to encrypt, sign and tokenize; ` +
        `POST p50 ${percentile(postTimes, 0.5).toFixed(1)} ms); plaintext insert with tsvector ${plainRate.toFixed(0)} records/s`,
    );
    figures.push({
      bench: 'casework.index_rate',
      value: indexRate,
      unit: 'records/s',
      reference: `plaintext INSERT of the same records with a russian tsvector and a GIN index, ${writers} connections`,
      reference_value: plainRate,
    });
    await pool.query('VACUUM ANALYZE');

    // casework.list_p99: the member's list under load, beside /api/health in the same run.
    const cookie = vera.client.cookie;
    const listUrl = `${url}/api/cases`;
    const check = await vera.client.get('/api/cases');
    if (check.status !== 200 || check.body.total !== memberCases)
      throw new Error(`the list does not show the member's ${memberCases} cases: ${JSON.stringify(check.body).slice(0, 300)}`);
    await autocannonP99(listUrl, cookie, 2);
    await autocannonP99(`${url}/api/health`, null, 2);
    // Under load from `connections` clients listing their cases, a prober on one more connection asks /api/health
    // at the same time: both p99s come from the same seconds on the same server. Then, for comparison, health saturated on its own.
    const underLoad = { list: [] as number[], health: [] as number[], rps: [] as number[] };
    const alone: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [l, h] = await Promise.all([autocannonP99(listUrl, cookie, seconds), probe(`${url}/api/health`, seconds)]);
      underLoad.list.push(l.p99);
      underLoad.health.push(h.p99);
      underLoad.rps.push(l.rps);
      const a = await autocannonP99(`${url}/api/health`, null, seconds);
      alone.push(a.p99);
      note(
        `bench casework: round ${i + 1}: list p99 ${l.p99} ms at ${l.rps.toFixed(0)} req/s over ${connections} connections, /api/health p99 ${h.p99.toFixed(2)} ms meanwhile (${h.rps.toFixed(0)} req/s on 1 connection); ` +
          `health alone saturated: p99 ${a.p99} ms at ${a.rps.toFixed(0)} req/s`,
      );
    }
    const listRps = median(underLoad.rps);
    figures.push({
      bench: 'casework.list_p99',
      value: median(underLoad.list),
      unit: 'ms',
      reference: `/api/health p99 in the same seconds, on one more connection, while ${connections} connections list cases (${listRps.toFixed(0)} req/s)`,
      reference_value: median(underLoad.health),
    });
    figures.push({
      bench: 'casework.list_p99_vs_health_saturated',
      value: median(underLoad.list),
      unit: 'ms',
      reference: `/api/health p99 saturated on its own over ${connections} connections, same run`,
      reference_value: median(alone),
    });

    // casework.search_p99 and casework.search_vs_plaintext.
    const keyringsOf = new Map(opened.map((c) => [c.caseId as string, c.keyrings]));
    const allKeyrings = opened.flatMap((c) => Object.values(c.keyrings).filter((k) => k !== undefined));
    const queries = Array.from({ length: queryCount }, (_, i) => {
      const words = written[Math.floor(random() * written.length)]!.text.slice(0, -1).split(' ');
      const first = words[Math.floor(random() * words.length)]!;
      if (i % 2 === 0) return first;
      return `${first} ${words[Math.floor(random() * words.length)]!}`;
    });
    const searchTimes: number[] = [];
    const phases = { blind: [] as number[], server: [] as number[], open: [] as number[] };
    let hitsSeen = 0;
    const searchOnce = async (query: string): Promise<number> => {
      const started = performance.now();
      const request = prepareSearch({ query, keyrings: allKeyrings, limit: 20 });
      const blinded = performance.now();
      const res = await vera.client.post('/api/search', request);
      const answered = performance.now();
      if (res.status !== 200) throw new Error(`search failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      const hits = (res.body as { hits: SearchHit[] }).hits.slice(0, 20);
      for (const hit of hits) {
        const keyring = keyringsOf.get(hit.caseId)?.[hit.compartment as CaseCompartmentName];
        if (!keyring) throw new Error('a hit in a compartment the member does not hold');
        const result = openStoredRecord({
          stored: hit.record as StoredRecord,
          caseId: asCaseId(hit.caseId),
          compartment: hit.compartment as CaseCompartmentName,
          keyring,
          author: lookup(asMemberId(hit.record.authorId)),
        });
        if (!result.ok) throw new Error(`a hit did not open: ${result.problem}`);
      }
      hitsSeen += hits.length;
      const done = performance.now();
      phases.blind.push(blinded - started);
      phases.server.push(answered - blinded);
      phases.open.push(done - answered);
      return done - started;
    };
    const ftsTimes: number[] = [];
    const ftsOnce = async (query: string): Promise<number> => {
      const started = performance.now();
      await pool.query(
        `SELECT p.id, p.body FROM ${plainTable} p
         WHERE p.tsv @@ plainto_tsquery('russian', $1)
           AND EXISTS (SELECT 1 FROM compartment_grants g WHERE g.case_id = p.case_id AND g.compartment = p.compartment AND g.member_id = $2 AND g.current)
         ORDER BY p.created_at DESC LIMIT 20`,
        [query, vera.id],
      );
      return performance.now() - started;
    };
    for (const q of queries.slice(0, 10)) {
      await searchOnce(q);
      await ftsOnce(q);
    }
    hitsSeen = 0;
    phases.blind.length = 0;
    phases.server.length = 0;
    phases.open.length = 0;
    for (const q of queries) {
      searchTimes.push(await searchOnce(q));
      ftsTimes.push(await ftsOnce(q));
    }
    const searchP99 = percentile(searchTimes, 0.99);
    const ftsP99 = percentile(ftsTimes, 0.99);
    note(
      `bench casework: ${queries.length} searches (half one word, half two): p50 ${percentile(searchTimes, 0.5).toFixed(1)} ms, p99 ${searchP99.toFixed(1)} ms, ` +
        `${(hitsSeen / queries.length).toFixed(1)} hits decrypted per query (p50 of the parts: blinding over ${allKeyrings.length} compartment keys ${percentile(phases.blind, 0.5).toFixed(1)} ms, ` +
        `HTTP and server ${percentile(phases.server, 0.5).toFixed(1)} ms, opening the hits ${percentile(phases.open, 0.5).toFixed(1)} ms); full-text search of the plaintext: p50 ${percentile(ftsTimes, 0.5).toFixed(1)} ms, p99 ${ftsP99.toFixed(1)} ms`,
    );
    figures.push({ bench: 'casework.search_p99', value: searchP99, unit: 'ms', reference: null, reference_value: null });
    figures.push({
      bench: 'casework.search_vs_plaintext',
      value: searchP99,
      unit: 'ms',
      reference: "PostgreSQL full-text search (tsvector, 'russian', GIN) of the same records' plaintext, same queries and access filter, p99",
      reference_value: ftsP99,
    });
    figures.push({
      bench: 'casework.search_p50',
      value: percentile(searchTimes, 0.5),
      unit: 'ms',
      reference: 'full-text search p50',
      reference_value: percentile(ftsTimes, 0.5),
    });

    // casework.rotate: boris leaves; the member's client rotates every compartment he held.
    const removed = await adminClient.post(`/api/members/${borisMember.id}/remove`);
    if (removed.status !== 200) throw new Error(`remove failed: ${removed.status} ${JSON.stringify(removed.body)}`);
    const pending = (await vera.client.get('/api/rotations/pending')).body as { caseId: string; compartment: CaseCompartmentName }[];
    const byCase = new Map<string, CaseCompartmentName[]>();
    for (const p of pending) byCase.set(p.caseId, [...(byCase.get(p.caseId) ?? []), p.compartment]);
    const signer = memberSigner(asMemberId(vera.id), vera.keys);
    let rotated = 0;
    const rotateStarted = performance.now();
    await inParallel([...byCase.entries()], 4, async ([caseId, compartments]) => {
      const detail = (await vera.client.get(`/api/cases/${caseId}`)).body as CaseDetail;
      const keys = openCaseKeys({ detail, me: { memberId: asMemberId(vera.id), keys: vera.keys }, certified: lookup, knownHead: null });
      let head = keys.head;
      for (const compartment of compartments) {
        const holders = keys.audited.compartments[compartment].holders.filter((id) => id !== borisMember.id).map((id) => lookup(id)!);
        const rotation = prepareRotation({
          audited: keys.audited,
          head,
          compartment,
          keyring: keys.keyrings[compartment]!,
          holders,
          dropped: [asMemberId(borisMember.id)],
          reason: 'member_left',
          signer,
          at: new Date().toISOString(),
        });
        const res = await vera.client.post(`/api/cases/${caseId}/rotations`, rotation.request);
        if (res.status !== 200 && res.status !== 201) throw new Error(`rotation failed: ${res.status} ${JSON.stringify(res.body)}`);
        head = rotation.head;
        rotated++;
      }
    });
    const rotateSeconds = (performance.now() - rotateStarted) / 1000;
    const left = ((await vera.client.get('/api/rotations/pending')).body as unknown[]).length;
    const x25519Rate = await rawX25519Rate(Math.max(1, seconds / 5));
    note(
      `bench casework: removing a member who held ${byCase.size} cases left ${pending.length} compartments to rotate; the member's client rotated ${rotated} in ${rotateSeconds.toFixed(1)} s ` +
        `(${(rotated / rotateSeconds).toFixed(1)}/s, 4 cases at a time), ${left} still pending; raw X25519 ${x25519Rate.toFixed(0)}/s`,
    );
    figures.push({
      bench: 'casework.rotate',
      value: rotated / rotateSeconds,
      unit: 'compartments/s',
      reference: 'raw X25519 operations/s (@noble/curves)',
      reference_value: x25519Rate,
    });
    figures.push({
      bench: 'casework.rotate_total',
      value: rotateSeconds,
      unit: 's',
      reference: `time to rotate all ${rotated} compartments`,
      reference_value: null,
    });
    printFigures(figures);
  } finally {
    server?.child.kill('SIGTERM');
    if (server && server.child.exitCode === null) await new Promise((r) => server!.child.on('exit', r));
    await pool.end();
    if (!keep) await database.drop();
    else note(`bench casework: database kept: ${database.url}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
