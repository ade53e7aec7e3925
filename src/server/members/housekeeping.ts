import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { ServerSecrets } from '../secrets.js';

/** How long ended things are kept before they are deleted. */
export const retention = {
  /** Ended sessions (expired or revoked) stay a day, for "why was I logged out" questions. */
  endedSessionsHours: 24,
  /** Throttle rows for which no attempt came for a day carry no brake any more. */
  idleThrottleHours: 24,
  /** Used, revoked or expired invitations stay a week on the invitations list, then go. */
  endedInvitationsDays: 7,
} as const;

export interface PurgeCounts {
  challenges: number;
  throttle: number;
  sessions: number;
  invitations: number;
}

/**
 * Deletes what has no more use and might say something about people: spent
 * and expired login challenges, idle throttle rows, ended sessions, and ended
 * invitations. Idempotent; safe to run on several servers at once.
 */
export async function purgeExpired(database: Database): Promise<PurgeCounts> {
  const { db } = database;
  const challenges = await db.deleteFrom('login_challenges').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  const throttle = await db
    .deleteFrom('auth_throttle')
    .where('updated_at', '<', sql<Date>`now() - make_interval(hours => ${retention.idleThrottleHours})`)
    .where('next_allowed_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<', sql<Date>`now() - make_interval(hours => ${retention.endedSessionsHours})`),
        eb('revoked_at', '<', sql<Date>`now() - make_interval(hours => ${retention.endedSessionsHours})`),
      ]),
    )
    .executeTakeFirst();
  const invitations = await db
    .deleteFrom('invitations')
    .where((eb) =>
      eb.or([
        eb('used_at', '<', sql<Date>`now() - make_interval(days => ${retention.endedInvitationsDays})`),
        eb('revoked_at', '<', sql<Date>`now() - make_interval(days => ${retention.endedInvitationsDays})`),
        eb('expires_at', '<', sql<Date>`now() - make_interval(days => ${retention.endedInvitationsDays})`),
      ]),
    )
    .executeTakeFirst();
  return {
    challenges: Number(challenges.numDeletedRows),
    throttle: Number(throttle.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
    invitations: Number(invitations.numDeletedRows),
  };
}

/**
 * TOTP secrets stored in the clear by earlier versions are sealed with the
 * server secret at start, each in a conditional update so two servers starting
 * together do not seal one twice.
 */
export async function sealLegacyTotpSecrets(database: Database, secrets: ServerSecrets): Promise<number> {
  const rows = await database.db.selectFrom('members').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute();
  let sealed = 0;
  for (const row of rows) {
    const plain = row.totp_secret;
    if (plain === null || ServerSecrets.isSealedTotpSecret(plain)) continue;
    const result = await database.db
      .updateTable('members')
      .set({ totp_secret: secrets.sealTotpSecret(row.id, plain) })
      .where('id', '=', row.id)
      .where('totp_secret', '=', plain)
      .executeTakeFirst();
    sealed += Number(result.numUpdatedRows);
  }
  return sealed;
}

/** Runs purgeExpired now and every `intervalMs`; the timer does not keep the process alive. */
export function startHousekeeping(database: Database, onError: (error: unknown) => void, intervalMs = 10 * 60 * 1000): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = purgeExpired(database).catch(onError);
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
