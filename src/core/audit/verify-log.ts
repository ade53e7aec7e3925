import { fromBase64url, toBase64url } from '../crypto/primitives/bytes.js';
import { MerkleTree } from '../crypto/merkle/tree.js';
import type { SignedTreeHead } from '../crypto/merkle/tree-head.js';
import { auditLeafHash, type StoredAuditEntry } from './entry.js';
import { auditHeadSigned } from './history.js';

export type LogProblemKind =
  /** The entry's fields no longer hash to the leaf stored beside them. */
  | 'leaf_mismatch'
  /** Entries do not run 0, 1, 2, … : one is missing, duplicated or out of place. */
  | 'sequence'
  /** A recorded head is not signed by the log key. */
  | 'head_signature'
  /** A signed head commits to a different history than the entries now stored. */
  | 'head_root'
  /** A signed head covers more entries than are stored: entries were removed from the end. */
  | 'head_beyond_log';

export interface LogProblem {
  kind: LogProblemKind;
  /**
   * The first entry concerned. For head problems the altered entry is somewhere
   * in `seq` … `lastSeq`: entries before `seq` are vouched for by an earlier
   * head that still matches, and a root cannot say which leaf under it changed.
   */
  seq: number;
  lastSeq?: number;
  /** The size of the head concerned, for head problems. */
  headSize?: number;
}

export interface LogVerification {
  ok: boolean;
  entries: number;
  heads: number;
  /** Root of the tree rebuilt from the entries' fields, base64url. */
  root: string;
  /** Ordered by `seq`, so the first one names the earliest damage. */
  problems: LogProblem[];
}

/**
 * The offline check of a whole log (`clearing audit verify`), fed one entry at
 * a time so a large log need not fit in memory twice: every leaf is recomputed
 * from its entry's fields, sequence numbers must run without gaps, and every
 * signed head must match the tree rebuilt from the entries. A changed, deleted
 * or reordered entry breaks at least one of these — unless whoever changed it
 * also holds the log key and re-signed every head, which is why heads kept
 * outside the database (a browser's, an administrator's copy) can be added.
 */
export class AuditLogVerifier {
  private readonly tree = new MerkleTree();
  private readonly problems: LogProblem[] = [];
  private sequenceBroken = false;

  constructor(private readonly logPublicKey: Uint8Array) {}

  get size(): number {
    return this.tree.size;
  }

  add(entry: StoredAuditEntry): void {
    const index = this.tree.size;
    // Only the first break is reported: after it every later number is off by the same amount.
    if (entry.seq !== index && !this.sequenceBroken) {
      this.sequenceBroken = true;
      this.problems.push({ kind: 'sequence', seq: Math.min(index, entry.seq) });
    }
    const recomputed = auditLeafHash(entry);
    if (recomputed !== entry.leafHash) this.problems.push({ kind: 'leaf_mismatch', seq: entry.seq });
    this.tree.append(fromBase64url(recomputed, 32));
  }

  finish(heads: readonly SignedTreeHead[]): LogVerification {
    const problems = [...this.problems];
    const sorted = [...heads].sort((a, b) => a.size - b.size);
    // The size of the largest head so far that still matches: entries below it are as that head committed them.
    let vouched = 0;
    for (const head of sorted) {
      if (!auditHeadSigned(this.logPublicKey, head)) {
        problems.push({ kind: 'head_signature', seq: vouched, lastSeq: Math.max(head.size - 1, 0), headSize: head.size });
        continue;
      }
      if (head.size > this.tree.size) {
        problems.push({ kind: 'head_beyond_log', seq: Math.min(vouched, this.tree.size), lastSeq: head.size - 1, headSize: head.size });
        continue;
      }
      if (toBase64url(this.tree.root(head.size)) !== head.rootHash) {
        problems.push({ kind: 'head_root', seq: vouched, lastSeq: head.size - 1, headSize: head.size });
        continue;
      }
      vouched = head.size;
    }
    // A head can only say that something under it changed; an entry-level finding inside its range says which.
    const exact = problems.filter((p) => p.lastSeq === undefined).map((p) => p.seq);
    const order = (p: LogProblem): number => {
      if (p.lastSeq === undefined) return p.seq;
      const explained = exact.find((seq) => seq >= p.seq && seq <= p.lastSeq!);
      return explained === undefined ? p.seq : explained + 0.5;
    };
    problems.sort((a, b) => order(a) - order(b));
    return { ok: problems.length === 0, entries: this.tree.size, heads: heads.length, root: toBase64url(this.tree.root()), problems };
  }
}

/** The same check over entries already in memory. */
export function verifyAuditLog(input: { logPublicKey: Uint8Array; entries: Iterable<StoredAuditEntry>; heads: readonly SignedTreeHead[] }): LogVerification {
  const verifier = new AuditLogVerifier(input.logPublicKey);
  for (const entry of input.entries) verifier.add(entry);
  return verifier.finish(input.heads);
}
