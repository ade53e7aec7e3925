import { auditLogId, ClearingError, fromBase64url, makeTreeHead, MerkleTree, signTreeHead, toBase64url, type SignedTreeHead } from '../../core/index.js';
import type { Executor } from '../db/executor.js';
import { loadOrCreateAuditLogKey, type AuditLogKey } from './log-key.js';
import { auditLeafAt, auditLeaves, findTreeHead, insertTreeHead, lastAuditSeq } from './repository/index.js';

const loadPageSize = 10_000;

function rangeInvalid(size: number): ClearingError {
  return new ClearingError('AUDIT_RANGE_INVALID', { status: 400, params: { size } });
}

/**
 * The server's view of the audit log as a Merkle tree, built from the stored
 * leaf hashes, kept in memory and extended as entries arrive. Several servers
 * may share one database, so every use first brings the cache up to the
 * table: it grows when the table grew (another server appended), and is
 * rebuilt if the table no longer ends the way the cache does.
 *
 * Uses are serialised: two requests extending the cache at once would
 * otherwise both append the same new leaves.
 */
export class AuditTree {
  private tree = new MerkleTree();
  private key: AuditLogKey | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async logKey(db: Executor): Promise<AuditLogKey> {
    this.key ??= await loadOrCreateAuditLogKey(db);
    return this.key;
  }

  /** Must run inside `exclusive`. */
  private async sync(db: Executor): Promise<MerkleTree> {
    const top = await lastAuditSeq(db);
    const size = top === null ? 0 : top + 1;
    if (size < this.tree.size || (this.tree.size > 0 && !(await this.endsLikeCache(db)))) this.tree = new MerkleTree();
    while (this.tree.size < size) {
      const rows = await auditLeaves(db, this.tree.size, size, loadPageSize);
      if (rows.length === 0) throw brokenAt(this.tree.size);
      for (const r of rows) {
        // seq is the leaf index: a hole would silently shift every later leaf.
        if (r.seq !== this.tree.size) throw brokenAt(this.tree.size);
        this.tree.append(fromBase64url(r.leafHash, 32));
      }
    }
    return this.tree;
  }

  private async endsLikeCache(db: Executor): Promise<boolean> {
    const last = this.tree.size - 1;
    const leaf = await auditLeafAt(db, last);
    return leaf !== null && leaf === toBase64url(this.tree.leafHash(last));
  }

  /**
   * Signs the current head and records it, so an offline check can later
   * verify every head ever issued. A head already recorded for this size and
   * root is served again rather than re-signed, so the table grows with the
   * log, not with the number of visits.
   */
  async currentHead(db: Executor): Promise<SignedTreeHead> {
    const { size, root } = await this.exclusive(async () => {
      const tree = await this.sync(db);
      return { size: tree.size, root: toBase64url(tree.root()) };
    });
    const existing = await findTreeHead(db, size);
    if (existing && existing.rootHash === root) return existing.signedHead;
    const { privateKey } = await this.logKey(db);
    const head = signTreeHead(privateKey, makeTreeHead(size, fromBase64url(root, 32)), auditLogId);
    // A head of this size with another root cannot be recorded beside the first: the first stays, as evidence.
    await insertTreeHead(db, head);
    return head;
  }

  async consistencyProof(db: Executor, from: number, to: number): Promise<string[]> {
    return this.exclusive(async () => {
      const tree = await this.sync(db);
      if (!(from <= to && to <= tree.size)) throw rangeInvalid(tree.size);
      return tree.consistencyProof(from, to).map(toBase64url);
    });
  }

  async inclusionProof(db: Executor, seq: number, size: number): Promise<string[]> {
    return (await this.inclusionProofs(db, [seq], size))[0]!;
  }

  /** Proofs that each entry is in the tree of `size` entries, for a page of entries checked in the browser. */
  async inclusionProofs(db: Executor, seqs: readonly number[], size: number): Promise<string[][]> {
    return this.exclusive(async () => {
      const tree = await this.sync(db);
      if (size > tree.size || seqs.some((seq) => seq >= size)) throw rangeInvalid(tree.size);
      return seqs.map((seq) => tree.inclusionProof(seq, size).map(toBase64url));
    });
  }
}

function brokenAt(seq: number): ClearingError {
  return new ClearingError('AUDIT_LOG_BROKEN', { status: 500, params: { seq } });
}
