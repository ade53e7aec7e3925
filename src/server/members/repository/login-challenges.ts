import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { LoginProofPurpose } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** Single-use challenges for proofs by the authentication key; only their hashes are stored. */

const challengeLifetimeMs = 2 * 60 * 1000;

function hashChallenge(challenge: string): string {
  return createHash('sha256').update(challenge).digest('base64url');
}

export async function issueLoginChallenge(db: Executor, subjectTag: string, purpose: LoginProofPurpose): Promise<string> {
  const challenge = randomBytes(32).toString('base64url');
  await db
    .insertInto('login_challenges')
    .values({ challenge_hash: hashChallenge(challenge), subject_tag: subjectTag, purpose, expires_at: new Date(Date.now() + challengeLifetimeMs) })
    .execute();
  return challenge;
}

/** Deletes the challenge if it was issued for this subject and purpose and is unexpired; true when exactly one row went. */
export async function deleteLoginChallenge(db: Executor, challenge: string, subjectTag: string, purpose: LoginProofPurpose): Promise<boolean> {
  const consumed = await db
    .deleteFrom('login_challenges')
    .where('challenge_hash', '=', hashChallenge(challenge))
    .where('subject_tag', '=', subjectTag)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(consumed.numDeletedRows) === 1;
}

export async function purgeExpiredLoginChallenges(db: Executor): Promise<number> {
  const challenges = await db.deleteFrom('login_challenges').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(challenges.numDeletedRows);
}
