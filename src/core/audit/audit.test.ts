import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MerkleTree, makeTreeHead, signTreeHead, type SignedTreeHead } from '../crypto/merkle/index.js';
import { fromBase64url, toBase64url } from '../crypto/primitives/bytes.js';
import { auditLeafHash, auditLogId, checkAuditVisit, checkHistory, entryInHead, verifyAuditLog, type AuditEntry, type StoredAuditEntry } from './index.js';

const logKey = new Uint8Array(32).fill(3);
const logPublicKey = ed25519.getPublicKey(logKey);
const otherKey = new Uint8Array(32).fill(4);
const logKeyText = toBase64url(logPublicKey);

const member = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function entry(seq: number): StoredAuditEntry {
  const e: AuditEntry = {
    seq,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    action: seq % 3 === 0 ? 'auth.login' : 'member.invited',
    actorId: member(seq % 5),
    subjectId: seq % 2 === 0 ? null : member(seq),
    detail: { role: 'coordinator', n: seq },
  };
  return { ...e, leafHash: auditLeafHash(e) };
}

const log = (n: number) => Array.from({ length: n }, (_, i) => entry(i));

function treeOf(entries: readonly AuditEntry[]): MerkleTree {
  return MerkleTree.fromLeafHashes(entries.map((e) => fromBase64url(auditLeafHash(e), 32)));
}

function headOf(entries: readonly AuditEntry[], size = entries.length, key = logKey, logId = auditLogId): SignedTreeHead {
  return signTreeHead(key, makeTreeHead(size, treeOf(entries).root(size)), logId);
}

function proof(entries: readonly AuditEntry[], from: number, to: number): string[] {
  return treeOf(entries).consistencyProof(from, to).map(toBase64url);
}

type Tamper = 'change' | 'delete' | 'reorder';

/** What a careful forger with database access does: alter one entry, then recompute every stored leaf hash. */
function tamper(entries: readonly StoredAuditEntry[], kind: Tamper, at: number): StoredAuditEntry[] {
  let out: AuditEntry[] = entries.map(({ leafHash: _, ...e }) => ({ ...e }));
  if (kind === 'change') out[at] = { ...out[at]!, action: 'member.certified' };
  if (kind === 'delete') out = out.filter((_, i) => i !== at).map((e, i) => ({ ...e, seq: i }));
  if (kind === 'reorder') {
    const [a, b] = [out[at]!, out[at + 1]!];
    out[at] = { ...b, seq: at };
    out[at + 1] = { ...a, seq: at + 1 };
  }
  return out.map((e) => ({ ...e, leafHash: auditLeafHash(e) }));
}

describe('audit entries as leaves', () => {
  it('hash every field, whatever order the database returns JSON keys in', () => {
    const e = entry(7);
    expect(auditLeafHash({ ...e, detail: { n: 7, role: 'coordinator' } })).toBe(e.leafHash);
    for (const changed of [
      { ...e, seq: 8 },
      { ...e, occurredAt: '2026-01-01T00:00:08.000Z' },
      { ...e, action: 'auth.logout' },
      { ...e, actorId: null },
      { ...e, subjectId: member(99) },
      { ...e, detail: { role: 'administrator', n: 7 } },
    ]) {
      expect(auditLeafHash(changed)).not.toBe(e.leafHash);
    }
  });
});

describe('the check a client makes on every visit', () => {
  it('accepts any honest extension of the head it saw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const entries = log(n);
        const check = checkHistory({ logPublicKey, lastSeen: headOf(entries, m), latest: headOf(entries, n), consistencyProof: proof(entries, m, n) });
        expect(check.status).toBe('consistent');
      }),
      { numRuns: 60 },
    );
  });

  it('reports rewritten history when any entry it already saw was changed, deleted or reordered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom<Tamper>('change', 'delete', 'reorder'),
        fc.nat(),
        fc.nat(),
        (seen, grown, kind, r1, r2) => {
          const honest = log(seen);
          const lastSeen = headOf(honest);
          const at = kind === 'reorder' ? r1 % (seen - 1) : r1 % seen;
          // The server then serves its altered log, grown by some new entries, under a validly signed head.
          const altered = tamper(honest, kind, at);
          // New entries are never copies of old ones, or deleting the last entry and re-adding it would be no rewrite at all.
          const served = [...altered, ...Array.from({ length: grown }, (_, i) => ({ ...entry(altered.length + i), action: 'auth.logout' }))];
          const latest = headOf(served);
          const from = Math.min(seen, latest.size);
          const claimed = latest.size >= seen ? proof(served, from, latest.size) : [];
          const check = checkHistory({ logPublicKey, lastSeen, latest, consistencyProof: claimed });
          expect(check.status).toBe('rewritten');
          // Nor does any other proof of the right shape help the server.
          if (latest.size > seen) {
            const forged = Array.from({ length: claimed.length }, (_, i) => toBase64url(new Uint8Array(32).fill((r2 + i) % 256)));
            expect(checkHistory({ logPublicKey, lastSeen, latest, consistencyProof: forged }).status).toBe('rewritten');
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('names the way history was rewritten', () => {
    const entries = log(10);
    const altered = tamper(entries, 'change', 4);
    expect(checkHistory({ logPublicKey, lastSeen: headOf(entries), latest: headOf(entries, 8), consistencyProof: [] })).toEqual({
      status: 'rewritten',
      reason: 'shrunk',
    });
    expect(checkHistory({ logPublicKey, lastSeen: headOf(entries), latest: headOf(altered), consistencyProof: [] })).toEqual({
      status: 'rewritten',
      reason: 'root_changed',
    });
    expect(checkHistory({ logPublicKey, lastSeen: headOf(entries, 6), latest: headOf(entries), consistencyProof: ['not base64!'] })).toEqual({
      status: 'rewritten',
      reason: 'proof',
    });
  });

  it('refuses heads signed by another key or for another log, before looking at history', () => {
    const entries = log(5);
    expect(checkHistory({ logPublicKey, lastSeen: null, latest: headOf(entries, 5, otherKey), consistencyProof: [] }).status).toBe('bad_signature');
    expect(checkHistory({ logPublicKey, lastSeen: null, latest: headOf(entries, 5, logKey, 'another-log'), consistencyProof: [] }).status).toBe(
      'bad_signature',
    );
    const forgedSize = { ...headOf(entries), size: 4 };
    expect(checkHistory({ logPublicKey, lastSeen: headOf(entries, 2), latest: forgedSize, consistencyProof: proof(entries, 2, 4) }).status).toBe(
      'bad_signature',
    );
    expect(checkHistory({ logPublicKey, lastSeen: null, latest: { ...headOf(entries), rootHash: 'x' }, consistencyProof: [] }).status).toBe('bad_signature');
  });

  it('pins the log key at first use and keeps a new head only when it verified', () => {
    const entries = log(12);
    const five = headOf(entries, 5);
    const first = checkAuditVisit({ pin: null, presentedLogKey: logKeyText, latest: five, consistencyProof: [] });
    expect(first.check.status).toBe('first');
    expect(first.pin).toEqual({ logKey: logKeyText, head: five });
    const second = checkAuditVisit({ pin: first.pin, presentedLogKey: logKeyText, latest: headOf(entries), consistencyProof: proof(entries, 5, 12) });
    expect(second.check.status).toBe('consistent');
    expect(second.pin?.head.size).toBe(12);

    const rewritten = checkAuditVisit({ pin: second.pin, presentedLogKey: logKeyText, latest: headOf(tamper(entries, 'change', 3)), consistencyProof: [] });
    expect(rewritten).toEqual({ check: { status: 'rewritten', reason: 'root_changed' }, pin: null });

    // A server with a new key could sign any history: the new key is refused, however good its heads.
    const newKey = toBase64url(ed25519.getPublicKey(otherKey));
    const swapped = checkAuditVisit({ pin: second.pin, presentedLogKey: newKey, latest: headOf(entries, 12, otherKey), consistencyProof: [] });
    expect(swapped).toEqual({ check: { status: 'log_key_changed' }, pin: null });
    expect(checkAuditVisit({ pin: null, presentedLogKey: 'short', latest: headOf(entries), consistencyProof: [] }).check.status).toBe('bad_signature');
  });
});

describe('entries shown against a verified head', () => {
  it('are accepted only as the head committed to them', () => {
    const entries = log(23);
    const head = headOf(entries);
    const tree = treeOf(entries);
    const proofOf = (seq: number) => tree.inclusionProof(seq, 23).map(toBase64url);
    for (const seq of [0, 7, 22]) expect(entryInHead(entries[seq]!, proofOf(seq), head)).toBe(true);
    expect(entryInHead({ ...entries[7]!, detail: { role: 'administrator', n: 7 } }, proofOf(7), head)).toBe(false);
    // The stored leaf hash is not trusted: only the fields count.
    expect(entryInHead({ ...entries[7]!, action: 'auth.logout', leafHash: entries[7]!.leafHash } as AuditEntry, proofOf(7), head)).toBe(false);
    expect(entryInHead(entries[8]!, proofOf(7), head)).toBe(false);
    expect(entryInHead({ ...entries[7]!, seq: 30 }, proofOf(7), head)).toBe(false);
    expect(entryInHead(entries[7]!, ['garbage'], head)).toBe(false);
  });
});

describe('the offline check of a whole log', () => {
  it('passes an untouched log with all its heads, and reports the rebuilt root', () => {
    const entries = log(40);
    const heads = [1, 5, 17, 40].map((n) => headOf(entries, n));
    const result = verifyAuditLog({ logPublicKey, entries, heads });
    expect(result).toMatchObject({ ok: true, entries: 40, heads: 4, problems: [] });
    expect(result.root).toBe(toBase64url(treeOf(entries).root()));
    expect(verifyAuditLog({ logPublicKey, entries: [], heads: [] }).ok).toBe(true);
  });

  it('names the exact entry whose fields changed under its stored hash', () => {
    const entries = log(20);
    const changed = entries.map((e) => (e.seq === 9 ? { ...e, action: 'member.removed' } : e));
    const result = verifyAuditLog({ logPublicKey, entries: changed, heads: [headOf(entries)] });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toEqual({ kind: 'leaf_mismatch', seq: 9 });
  });

  it('names a missing entry when the numbers were not closed up', () => {
    const entries = log(20).filter((e) => e.seq !== 6);
    const result = verifyAuditLog({ logPublicKey, entries, heads: [] });
    expect(result.problems[0]).toEqual({ kind: 'sequence', seq: 6 });
  });

  it('catches a careful forger through the signed heads, and bounds where the damage is', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<Tamper>('change', 'delete', 'reorder'),
        fc.nat(),
        (n, headSeeds, kind, r) => {
          const honest = log(n);
          const sizes = headSeeds.map((s) => 1 + (s % n));
          const heads = sizes.map((size) => headOf(honest, size));
          const at = kind === 'reorder' ? r % (n - 1) : r % n;
          const result = verifyAuditLog({ logPublicKey, entries: tamper(honest, kind, at), heads });
          // Every stored leaf hash matches its fields, so only heads that cover the damage can reveal it.
          const covered = sizes.some((size) => size > at);
          expect(result.ok).toBe(!covered);
          if (covered) {
            const first = result.problems[0]!;
            expect(first.seq).toBeLessThanOrEqual(at);
            expect(first.lastSeq ?? first.seq).toBeGreaterThanOrEqual(at);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('reports entries removed from the end and heads the log key did not sign', () => {
    const entries = log(15);
    const truncated = verifyAuditLog({ logPublicKey, entries: entries.slice(0, 11), heads: [headOf(entries, 8), headOf(entries)] });
    expect(truncated.problems).toEqual([{ kind: 'head_beyond_log', seq: 8, lastSeq: 14, headSize: 15 }]);
    const resigned = verifyAuditLog({ logPublicKey, entries, heads: [headOf(entries, 15, otherKey)] });
    expect(resigned.problems.map((p) => p.kind)).toEqual(['head_signature']);
  });
});
