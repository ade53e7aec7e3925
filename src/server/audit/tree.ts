import { ed25519 } from '@noble/curves/ed25519.js';
import { sql } from 'kysely';
import {
  auditLogId,
  ClearingError,
  fromBase64url,
  makeTreeHead,
  MerkleTree,
  signTreeHead,
  toBase64url,
  type AuditEntry,
  type SignedTreeHead,
} from '../../core/index.js';
import type { Executor } from '../db/executor.js';

/**
 * The server's view of the audit log as a Merkle tree, kept in memory and
 * extended as entries arrive. Several servers may share one database, so the
 * cache follows the table: it grows when the table grew, and is rebuilt if the
 * table no longer starts the way the cache does.
 */
export class AuditTree {
  private tree = new MerkleTree();
  private key: { publicKey: Uint8Array; privateKey: Uint8Array } | null = null;

  async logKey(db: Executor): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array }> {
    if (this.key) return this.key;
    let row = await db.selectFrom('audit_log_key').select(['public_key', 'private_key']).executeTakeFirst();
    if (!row) {
      const privateKey = ed25519.utils.randomSecretKey();
      await db
        .insertInto('audit_log_key')
        .values({ id: 1, public_key: toBase64url(ed25519.getPublicKey(privateKey)), private_key: toBase64url(privateKey) })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      row = await db.selectFrom('audit_log_key').select(['public_key', 'private_key']).executeTakeFirstOrThrow();
    }
    this.key = { publicKey: fromBase64url(row.public_key, 32), privateKey: fromBase64url(row.private_key, 32) };
    return this.key;
  }

  /** Brings the cached tree up to the table; returns it. */
  async sync(db: Executor): Promise<MerkleTree> {
    const count = Number((await db.selectFrom('audit_entries').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    if (count < this.tree.size) this.tree = new MerkleTree();
    if (this.tree.size > 0) {
      const last = await db.selectFrom('audit_entries').select('leaf_hash').where('seq', '=', this.tree.size - 1).executeTakeFirst();
      if (!last || last.leaf_hash !== toBase64url(this.tree.leafHash(this.tree.size - 1))) this.tree = new MerkleTree();
    }
    if (count > this.tree.size) {
      const rows = await db.selectFrom('audit_entries').select(['seq', 'leaf_hash']).where('seq', '>=', this.tree.size).orderBy('seq').execute();
      for (const r of rows) this.tree.append(fromBase64url(r.leaf_hash, 32));
    }
    return this.tree;
  }

  /** Signs the current head and records it, so an offline check can later verify every head ever issued. */
  async currentHead(db: Executor): Promise<SignedTreeHead> {
    const tree = await this.sync(db);
    const existing = await db.selectFrom('audit_tree_heads').select('signed_head').where('size', '=', tree.size).executeTakeFirst();
    if (existing && (existing.signed_head as SignedTreeHead).rootHash === toBase64url(tree.root())) return existing.signed_head as SignedTreeHead;
    const { privateKey } = await this.logKey(db);
    const head = signTreeHead(privateKey, makeTreeHead(tree.size, tree.root()), auditLogId);
    await db
      .insertInto('audit_tree_heads')
      .values({ size: head.size, root_hash: head.rootHash, signed_head: JSON.stringify(head) })
      .onConflict((oc) => oc.column('size').doNothing())
      .execute();
    return head;
  }

  async consistencyProof(db: Executor, from: number, to: number): Promise<string[]> {
    const tree = await this.sync(db);
    if (!(from >= 0 && from <= to && to <= tree.size)) {
      throw new ClearingError('AUDIT_RANGE_INVALID', 'The requested range is outside the log.', { status: 400, params: { size: tree.size } });
    }
    return tree.consistencyProof(from, to).map(toBase64url);
  }

  async inclusionProof(db: Executor, seq: number, size: number): Promise<string[]> {
    const tree = await this.sync(db);
    if (!(seq >= 0 && seq < size && size <= tree.size)) {
      throw new ClearingError('AUDIT_RANGE_INVALID', 'The requested range is outside the log.', { status: 400, params: { size: tree.size } });
    }
    return tree.inclusionProof(seq, size).map(toBase64url);
  }
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

export async function queryAuditEntries(db: Executor, q: AuditQuery): Promise<{ entries: (AuditEntry & { leafHash: string })[]; nextBefore: number | null }> {
  let query = db.selectFrom('audit_entries').select(['seq', 'occurred_at', 'action', 'actor_id', 'subject_id', 'detail', 'leaf_hash']);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.actor) query = query.where((eb) => eb.or([eb('actor_id', '=', q.actor!), eb('subject_id', '=', q.actor!)]));
  if (q.from) query = query.where('occurred_at', '>=', new Date(q.from));
  if (q.to) query = query.where('occurred_at', '<', new Date(q.to));
  if (q.before !== undefined) query = query.where('seq', '<', q.before);
  const rows = await query.orderBy('seq', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  return {
    entries: page.map(storedEntry),
    nextBefore: rows.length > q.limit ? Number(page[page.length - 1]!.seq) : null,
  };
}

export function storedEntry(r: { seq: string | number; occurred_at: Date | string; action: string; actor_id: string | null; subject_id: string | null; detail: unknown; leaf_hash: string }): AuditEntry & { leafHash: string } {
  return {
    seq: Number(r.seq),
    occurredAt: new Date(r.occurred_at).toISOString(),
    action: r.action,
    actorId: r.actor_id,
    subjectId: r.subject_id,
    detail: (r.detail ?? {}) as AuditEntry['detail'],
    leafHash: r.leaf_hash,
  };
}

/** Every entry in order, in pages, for the offline check. */
export async function* allAuditEntries(db: Executor, pageSize = 5000): AsyncGenerator<AuditEntry & { leafHash: string }> {
  let after = -1;
  for (;;) {
    const rows = await db
      .selectFrom('audit_entries')
      .select(['seq', 'occurred_at', 'action', 'actor_id', 'subject_id', 'detail', 'leaf_hash'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield storedEntry(r);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function allTreeHeads(db: Executor): Promise<SignedTreeHead[]> {
  const rows = await db.selectFrom('audit_tree_heads').select('signed_head').orderBy('size').execute();
  return rows.map((r) => r.signed_head as SignedTreeHead);
}
