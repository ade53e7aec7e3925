import { sql } from 'kysely';
import { ClearingError } from '../../core/index.js';
import type { Executor } from '../db/executor.js';

/**
 * Brute-force brakes for login and second-factor attempts.
 *
 * Per account (stored, shared by every server on one database): after
 * `freeFailures` failures each further one doubles the wait before the next
 * attempt, capped at `maxDelaySeconds`. The cap is what keeps an attacker from
 * locking a member out: at worst the member waits one capped delay, and a
 * success clears the record.
 *
 * Per address (memory only: addresses are never written to the database): a
 * sliding window of attempts.
 */
export const freeFailures = 3;
export const maxDelaySeconds = 60;

export function delayAfter(failures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(maxDelaySeconds, 2 ** (failures - freeFailures));
}

export async function assertAccountMayTry(db: Executor, key: string): Promise<void> {
  const row = await db
    .selectFrom('auth_throttle')
    .select([sql<number>`ceil(extract(epoch from (next_allowed_at - now())))::int`.as('wait')])
    .where('key', '=', key)
    .executeTakeFirst();
  if (row && row.wait > 0) {
    throw new ClearingError('TOO_MANY_ATTEMPTS', 'Too many attempts.', { status: 429, params: { seconds: row.wait } });
  }
}

export async function recordFailure(db: Executor, key: string): Promise<void> {
  const row = await db.selectFrom('auth_throttle').select('failures').where('key', '=', key).executeTakeFirst();
  const failures = (row?.failures ?? 0) + 1;
  const nextAllowed = new Date(Date.now() + delayAfter(failures) * 1000);
  await db
    .insertInto('auth_throttle')
    .values({ key, failures, next_allowed_at: nextAllowed })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures, next_allowed_at: nextAllowed, updated_at: sql`now()` }))
    .execute();
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

/** Attempts per address within a window; forgotten when the process ends. */
export class AddressThrottle {
  private readonly attempts = new Map<string, number[]>();
  constructor(
    private readonly limit = 30,
    private readonly windowMs = 60_000,
  ) {}

  check(address: string): void {
    const now = Date.now();
    const recent = (this.attempts.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      const wait = Math.ceil((this.windowMs - (now - recent[0]!)) / 1000);
      this.attempts.set(address, recent);
      throw new ClearingError('TOO_MANY_ATTEMPTS', 'Too many attempts.', { status: 429, params: { seconds: wait } });
    }
    recent.push(now);
    this.attempts.set(address, recent);
    if (this.attempts.size > 100_000) this.attempts.clear();
  }
}
