/**
 * Bulk seeding of the cases the benchmark member does not hold: realistic
 * rows of every casework table, written with multi-row INSERTs over unnest()
 * arrays. Nobody here holds a key, so their ciphertexts, sealed keys,
 * signatures and blind tokens are random bytes of the real sizes (which is
 * what they look like to the server). The same records' plaintext goes to a
 * separate table with a `russian` tsvector, for the full-text reference.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { caseCodeFrom, caseCompartments, BLIND_TOKEN_BYTES } from '../../src/core/index.js';
import type { Corpus } from './corpus.js';

const b64 = (n: number) => randomBytes(n).toString('base64url');
const statuses = ['new', 'triage', 'active', 'active', 'active', 'in_transit', 'arrived', 'legalizing', 'closed'];
const categories = ['conscript', 'mobilized', 'contract', 'officer', 'family_member'];
const priorities = ['low', 'normal', 'normal', 'high', 'urgent'];

export const plainTable = 'bench_plain_records';

/** The plaintext copy for the full-text reference, with the same GIN index a plaintext design would have. */
export async function createPlainTable(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE ${plainTable} (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL,
    compartment text NOT NULL,
    created_at timestamptz NOT NULL,
    body text NOT NULL,
    tsv tsvector NOT NULL
  )`);
}

export async function indexPlainTable(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE INDEX ${plainTable}_tsv ON ${plainTable} USING gin (tsv)`);
  await pool.query(`CREATE INDEX ${plainTable}_case ON ${plainTable} (case_id, compartment)`);
}

export interface OtherCasesPlan {
  cases: number;
  records: number;
  holders: readonly string[];
  createdBy: string;
  corpus: Corpus;
  random: () => number;
  /** Blind tokens per distinct word of a record, as measured on the member's real records. */
  tokensPerWord: number;
  taken: Set<string>;
  onProgress?: (casesDone: number, recordsDone: number) => void;
}

/** INSERT … SELECT FROM unnest(): one statement per table per batch. */
async function insert(client: pg.PoolClient, table: string, columns: readonly [string, string][], rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const arrays = columns.map((_, i) => rows.map((r) => r[i]));
  const select = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const names = columns.map(([name]) => name).join(', ');
  await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${select})`, arrays);
}

/**
 * Seeds `plan.cases` cases with `plan.records` records between them, in
 * batches. Foreign-key triggers are off for the session (the rows are
 * consistent by construction), and the token table's indexes are rebuilt
 * once at the end, as a bulk load does.
 */
export async function seedOtherCases(pool: pg.Pool, plan: OtherCasesPlan): Promise<{ tokens: number }> {
  const setup = await pool.connect();
  try {
    await setup.query(`ALTER TABLE record_tokens DROP CONSTRAINT record_tokens_pkey`);
    await setup.query(`DROP INDEX record_tokens_record`);
  } finally {
    setup.release();
  }
  const perCase = plan.records / plan.cases;
  const batch = 500;
  const now = Date.now();
  let tokens = 0;
  let casesDone = 0;
  let recordsDone = 0;
  let next = 0;
  // Two connections: one batch is built here while the other is written by PostgreSQL.
  const worker = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query(`SET session_replication_role = replica`);
      for (;;) {
        const start = next;
        if (start >= plan.cases) return;
        next += batch;
        let shift = 0;
        const n = Math.min(batch, plan.cases - start);
        const cases: unknown[][] = [];
        const compartments: unknown[][] = [];
        const epochs: unknown[][] = [];
        const grants: unknown[][] = [];
        const statements: unknown[][] = [];
        const records: unknown[][] = [];
        const heads: unknown[][] = [];
        const tokenRows: unknown[][] = [];
        const plain: unknown[][] = [];
        for (let i = 0; i < n; i++) {
          const index = start + i;
          const id = randomUUID();
          let code: string;
          do code = caseCodeFrom(randomBytes(6));
          while (plan.taken.has(code));
          plan.taken.add(code);
          const created = new Date(now - Math.floor(plan.random() * 365 * 86_400_000));
          const updated = new Date(created.getTime() + Math.floor(plan.random() * (now - created.getTime())));
          cases.push([
            id,
            code,
            statuses[Math.floor(plan.random() * statuses.length)],
            categories[Math.floor(plan.random() * categories.length)],
            priorities[Math.floor(plan.random() * priorities.length)],
            plan.createdBy,
            plan.createdBy,
            created,
            updated,
          ]);
          const opened = caseCompartments.map((c) => ({ compartment: c, publicKey: b64(32), holders: [...plan.holders] }));
          statements.push([
            id,
            0,
            JSON.stringify({
              v: 1,
              caseId: id,
              seq: 0,
              prev: null,
              by: plan.createdBy,
              at: created.toISOString(),
              body: { kind: 'open', code, category: 'mobilized', compartments: opened },
              signature: b64(64),
            }),
            created,
          ]);
          for (const c of opened) {
            compartments.push([id, c.compartment]);
            epochs.push([id, c.compartment, 0, c.publicKey, plan.createdBy, created]);
            for (const holder of plan.holders) {
              grants.push([
                id,
                c.compartment,
                holder,
                JSON.stringify({
                  v: 1,
                  caseId: id,
                  compartment: c.compartment,
                  epoch: 0,
                  publicKey: c.publicKey,
                  recipient: holder,
                  recipientKey: b64(32),
                  grantedBy: plan.createdBy,
                  sealed: b64(32 + 48),
                  signature: b64(64),
                }),
                plan.createdBy,
                created,
              ]);
            }
          }
          // Spread the remaining records evenly over the remaining cases, with some variation.
          // An exact share of the records per case, varied in pairs (one more, the next as many fewer) so the total stays exact.
          const base = Math.floor(((index + 1) * plan.records) / plan.cases) - Math.floor((index * plan.records) / plan.cases);
          let count = base;
          if (index % 2 === 0 && index + 1 < plan.cases) {
            shift = Math.floor(plan.random() * (perCase / 2));
            count = base + shift;
          } else {
            count = Math.max(0, base - shift);
            shift = 0;
          }
          for (let r = 0; r < count; r++) {
            const recordId = randomUUID();
            const compartment = caseCompartments[Math.floor(plan.random() * caseCompartments.length)]!;
            const words = 15 + Math.floor(plan.random() * 26);
            const text = plan.corpus.text(plan.random, words);
            const at = new Date(created.getTime() + Math.floor(plan.random() * (updated.getTime() - created.getTime())));
            // The sealed JSON record { v, kind, text } is about the text plus 30 bytes; the AEAD adds 16.
            const plaintextBytes = Buffer.byteLength(text) + 30;
            records.push([
              recordId,
              id,
              compartment,
              JSON.stringify({
                v: 1,
                caseId: id,
                compartment,
                recordId,
                version: 0,
                epoch: 0,
                author: plan.createdBy,
                nonce: b64(24),
                ciphertext: b64(plaintextBytes + 16),
                signature: b64(64),
              }),
              plan.createdBy,
              at,
            ]);
            heads.push([recordId, id, compartment, at]);
            plain.push([recordId, id, compartment, at, text]);
            const distinct = new Set(text.slice(0, -1).split(' ')).size;
            const k = Math.max(1, Math.round(distinct * plan.tokensPerWord));
            for (let t = 0; t < k; t++) tokenRows.push([b64(BLIND_TOKEN_BYTES), recordId, id]);
          }
        }
        await client.query('BEGIN');
        await insert(
          client,
          'cases',
          [
            ['id', 'uuid'],
            ['code', 'text'],
            ['status', 'text'],
            ['category', 'text'],
            ['priority', 'text'],
            ['owner_id', 'uuid'],
            ['created_by', 'uuid'],
            ['created_at', 'timestamptz'],
            ['updated_at', 'timestamptz'],
          ],
          cases,
        );
        await insert(
          client,
          'compartments',
          [
            ['case_id', 'uuid'],
            ['compartment', 'text'],
          ],
          compartments,
        );
        await insert(
          client,
          'compartment_epochs',
          [
            ['case_id', 'uuid'],
            ['compartment', 'text'],
            ['epoch', 'int'],
            ['public_key', 'text'],
            ['created_by', 'uuid'],
            ['created_at', 'timestamptz'],
          ],
          epochs,
        );
        await client.query(
          `INSERT INTO compartment_grants (case_id, compartment, epoch, member_id, sealed_key, granted_by, created_at)
             SELECT c, k, 0, m, s::jsonb, g, t FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::timestamptz[]) AS u(c, k, m, s, g, t)`,
          [0, 1, 2, 3, 4, 5].map((i) => grants.map((g) => g[i])),
        );
        await client.query(
          `INSERT INTO case_statements (case_id, seq, statement, created_at)
             SELECT c, q, s::jsonb, t FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[]) AS u(c, q, s, t)`,
          [0, 1, 2, 3].map((i) => statements.map((s) => s[i])),
        );
        await client.query(
          `INSERT INTO case_records (id, version, case_id, compartment, kind, epoch, author_id, sealed, created_at)
             SELECT i, 0, c, k, 'note', 0, a, s::jsonb, t FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[]) AS u(i, c, k, s, a, t)`,
          [0, 1, 2, 3, 4, 5].map((i) => records.map((r) => r[i])),
        );
        await client.query(
          `INSERT INTO record_heads (id, case_id, compartment, kind, version, updated_at)
             SELECT i, c, k, 'note', 0, t FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS u(i, c, k, t)`,
          [0, 1, 2, 3].map((i) => heads.map((h) => h[i])),
        );
        await client.query(
          `INSERT INTO record_tokens (token, record_id, case_id) SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[])`,
          [0, 1, 2].map((i) => tokenRows.map((t) => t[i])),
        );
        await client.query(
          `INSERT INTO ${plainTable} (id, case_id, compartment, created_at, body, tsv)
             SELECT i, c, k, t, b, to_tsvector('russian', b) FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[]) AS u(i, c, k, t, b)`,
          [0, 1, 2, 3, 4].map((i) => plain.map((p) => p[i])),
        );
        await client.query('COMMIT');
        tokens += tokenRows.length;
        casesDone += n;
        recordsDone += records.length;
        plan.onProgress?.(casesDone, recordsDone);
      }
    } finally {
      await client.query(`SET session_replication_role = DEFAULT`).catch(() => undefined);
      client.release();
    }
  };
  await Promise.all([worker(), worker()]);
  const finish = await pool.connect();
  try {
    await finish.query(`ALTER TABLE record_tokens ADD CONSTRAINT record_tokens_pkey PRIMARY KEY (token, record_id)`);
    await finish.query(`CREATE INDEX record_tokens_record ON record_tokens (record_id)`);
  } finally {
    finish.release();
  }
  return { tokens };
}
