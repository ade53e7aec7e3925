import { ClearingError } from '../../core/index.js';

/**
 * Brute-force brakes for login and second-factor attempts (the stored brake's
 * statements are in ./repository/throttle.ts: claimAttempt, clearFailures).
 *
 * Per account (stored, shared by every server on one database): every attempt
 * first claims a slot in one atomic statement, counted as a failure until it
 * succeeds. After `freeFailures` attempts each further one doubles the wait
 * before the next, capped at `maxDelaySeconds`. Because the claim and the
 * check are one statement on one row, concurrent attempts cannot slip past
 * the count: of 25 wrong codes sent at once exactly `freeFailures` are checked.
 * The cap is what keeps an attacker from locking a member out: at worst the
 * member waits one capped delay, and a success clears the record.
 *
 * Throttle keys never hold what a person typed: callers pass a member id or a
 * tag made with the server secret (src/server/secrets.ts).
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
      throw new ClearingError('TOO_MANY_ATTEMPTS', { status: 429, params: { seconds: wait } });
    }
    recent.push(now);
    this.attempts.set(address, recent);
    if (this.attempts.size > 100_000) this.attempts.clear();
  }
}
