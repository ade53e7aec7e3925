import { notifyOverdueTasks } from '../cases/housekeeping.js';
import type { Database } from '../db/database.js';
import { ServerSecrets } from '../secrets.js';
import {
  listStoredTotpSecrets,
  purgeEndedInvitations,
  purgeEndedSessions,
  purgeExpiredLoginChallenges,
  purgeExpiredSecondFactorState,
  purgeIdleThrottle,
  replaceTotpSecretIf,
} from './repository/index.js';

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
  /** Expired WebAuthn challenges and pending TOTP secrets. */
  secondFactors: number;
  throttle: number;
  sessions: number;
  invitations: number;
}

/**
 * Deletes what has no more use and might say something about people: spent
 * and expired login and WebAuthn challenges, pending TOTP secrets nobody confirmed, idle throttle rows, ended sessions, and ended
 * invitations. Idempotent; safe to run on several servers at once.
 */
export async function purgeExpired(database: Database): Promise<PurgeCounts> {
  const { db } = database;
  return {
    challenges: await purgeExpiredLoginChallenges(db),
    secondFactors: await purgeExpiredSecondFactorState(db),
    throttle: await purgeIdleThrottle(db, retention.idleThrottleHours),
    sessions: await purgeEndedSessions(db, retention.endedSessionsHours),
    invitations: await purgeEndedInvitations(db, retention.endedInvitationsDays),
  };
}

/**
 * TOTP secrets stored in the clear by earlier versions are sealed with the
 * server secret at start, each in a conditional update so two servers starting
 * together do not seal one twice.
 */
export async function sealLegacyTotpSecrets(database: Database, secrets: ServerSecrets): Promise<number> {
  const rows = await listStoredTotpSecrets(database.db);
  let sealed = 0;
  for (const row of rows) {
    const plain = row.totpSecret;
    if (ServerSecrets.isSealedTotpSecret(plain)) continue;
    if (await replaceTotpSecretIf(database.db, row.id, plain, secrets.sealTotpSecret(row.id, plain))) sealed += 1;
  }
  return sealed;
}

/** Runs purgeExpired and the overdue-task notices (src/server/cases/housekeeping.ts) now and every `intervalMs`; the timer does not keep the process alive. */
export function startHousekeeping(database: Database, onError: (error: unknown) => void, intervalMs = 10 * 60 * 1000): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = purgeExpired(database)
      .then(() => notifyOverdueTasks(database))
      .catch(onError);
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
