import { sql } from 'kysely';
import { ClearingError } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { freeFailures, maxDelaySeconds } from '../throttle.js';

/** The per-account brake of ../throttle.ts: one atomic statement claims an attempt. */

const delaySql = (failures: ReturnType<typeof sql>) =>
  sql`make_interval(secs => least(${maxDelaySeconds}::int, CASE WHEN ${failures} < ${freeFailures}::int THEN 0 ELSE power(2, ${failures} - ${freeFailures}::int)::int END))`;

/**
 * Claims one attempt for `key`, or throws TOO_MANY_ATTEMPTS with the seconds to wait.
 * Call it before checking anything secret; call clearFailures after a success.
 */
export async function claimAttempt(db: Executor, key: string): Promise<void> {
  const claimed = await sql<{ failures: number }>`
    INSERT INTO auth_throttle AS t (key, failures, next_allowed_at, updated_at)
    VALUES (${key}, 1, now() + ${delaySql(sql`1`)}, now())
    ON CONFLICT (key) DO UPDATE
      SET failures = t.failures + 1, next_allowed_at = now() + ${delaySql(sql`(t.failures + 1)`)}, updated_at = now()
      WHERE t.next_allowed_at <= now()
    RETURNING failures`.execute(db);
  if (claimed.rows.length === 1) return;
  const row = await db
    .selectFrom('auth_throttle')
    .select([sql<number>`ceil(extract(epoch from (next_allowed_at - now())))::int`.as('wait')])
    .where('key', '=', key)
    .executeTakeFirst();
  throw new ClearingError('TOO_MANY_ATTEMPTS', { status: 429, params: { seconds: Math.max(1, row?.wait ?? 1) } });
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

/** Rows for which no attempt came for `idleHours` and no wait is running carry no brake any more. */
export async function purgeIdleThrottle(db: Executor, idleHours: number): Promise<number> {
  const throttle = await db
    .deleteFrom('auth_throttle')
    .where('updated_at', '<', sql<Date>`now() - make_interval(hours => ${idleHours})`)
    .where('next_allowed_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(throttle.numDeletedRows);
}
