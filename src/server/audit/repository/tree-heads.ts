import type { SignedTreeHead } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** Every signed head the server issued, kept so an offline check can verify them all. */

export async function findTreeHead(db: Executor, size: number): Promise<{ rootHash: string; signedHead: SignedTreeHead } | null> {
  const existing = await db.selectFrom('audit_tree_heads').select(['root_hash', 'signed_head']).where('size', '=', size).executeTakeFirst();
  return existing ? { rootHash: existing.root_hash, signedHead: existing.signed_head } : null;
}

/** Records a head; one of the same size already recorded stays (as evidence, should the roots differ). */
export async function insertTreeHead(db: Executor, head: SignedTreeHead): Promise<void> {
  await db
    .insertInto('audit_tree_heads')
    .values({ size: head.size, root_hash: head.rootHash, signed_head: JSON.stringify(head) })
    .onConflict((oc) => oc.column('size').doNothing())
    .execute();
}
