import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { asMemberId, ClearingError, isRole, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import type { Actor } from '../../http/authorize.js';

export const sessionCookieName = 'clearing_session';
/** A session ends after this long no matter what, and after `idleLimitMs` without a request. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;
export const idleLimitMs = 60 * 60 * 1000;
/** A half-finished login (second factor pending) must be completed quickly. */
export const pendingLifetimeMs = 10 * 60 * 1000;

export type SessionStage = Actor['stage'];

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Creates a session; only the hash of its token is stored, so a database copy cannot ride it. */
export async function createSession(db: Executor, memberId: MemberId, stage: SessionStage): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const lifetime = stage === 'full' ? sessionLifetimeMs : pendingLifetimeMs;
  await db
    .insertInto('sessions')
    .values({ id_hash: hashToken(token), member_id: memberId, stage, csrf_token: csrfToken, expires_at: new Date(Date.now() + lifetime) })
    .execute();
  return { token, csrfToken };
}

/** A coarse client label ("firefox/linux") for the account page's session list (see account.ts clientLabel). */
export async function labelSession(db: Executor, token: string, label: string | null): Promise<void> {
  if (label) await db.updateTable('sessions').set({ client_label: label }).where('id_hash', '=', hashToken(token)).execute();
}

export async function findActiveSession(db: Executor, token: string): Promise<Actor | null> {
  if (token.length > 128) return null;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('members', 'members.id', 'sessions.member_id')
    .select([
      'sessions.id_hash',
      'sessions.stage',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'members.id',
      'members.name',
      'members.role',
      'members.status',
      'members.certificate',
    ])
    .where('sessions.id_hash', '=', hashToken(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (row?.status !== 'active' || !isRole(row.role)) return null;
  if (Date.now() - new Date(row.last_seen_at).getTime() > idleLimitMs) return null;
  return {
    memberId: asMemberId(row.id),
    name: row.name,
    role: row.role,
    stage: row.stage,
    sessionHash: row.id_hash,
    csrfToken: row.csrf_token,
    certified: row.certificate !== null,
  };
}

/** Records activity (the session's and the member's "last active"), at most once a minute per session, to keep requests cheap. */
export async function touchSession(db: Executor, actor: { sessionHash: string; memberId: string }): Promise<void> {
  const touched = await db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()` })
    .where('id_hash', '=', actor.sessionHash)
    .where('last_seen_at', '<', sql<Date>`now() - interval '1 minute'`)
    .executeTakeFirst();
  if (Number(touched.numUpdatedRows) > 0) {
    await db.updateTable('members').set({ last_active_at: sql`now()` }).where('id', '=', actor.memberId).execute();
  }
}

/**
 * Finishes a login: the half-login's token and anti-forgery token are replaced
 * by new ones (so whatever saw the pending session's cookie cannot ride the
 * full one) and the session gets its full lifetime. Exactly one of several
 * concurrent completions of one pending session succeeds; the rest throw, which
 * rolls back whatever their transaction spent (a TOTP step, a recovery code).
 */
export async function completeSession(db: Executor, pendingHash: string): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const updated = await db
    .updateTable('sessions')
    .set({ id_hash: hashToken(token), csrf_token: csrfToken, stage: 'full', expires_at: new Date(Date.now() + sessionLifetimeMs), last_seen_at: sql`now()` })
    .where('id_hash', '=', pendingHash)
    .where('stage', '!=', 'full')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('member_id')
    .executeTakeFirst();
  if (!updated) throw new ClearingError('LOGIN_CHALLENGE_INVALID', { status: 409 });
  await db.updateTable('members').set({ last_active_at: sql`now()` }).where('id', '=', updated.member_id).execute();
  return { token, csrfToken };
}

/** How long a cookie for a session at `stage` may live: minutes for a half-finished login. */
export function cookieLifetimeMs(stage: SessionStage): number {
  return stage === 'full' ? sessionLifetimeMs : pendingLifetimeMs;
}

export async function revokeSession(db: Executor, sessionHash: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: sql`now()` }).where('id_hash', '=', sessionHash).where('revoked_at', 'is', null).execute();
}

export async function revokeMemberSessions(db: Executor, memberId: MemberId): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends every other session of the member (after a passphrase change): the one that made the change stays. */
export async function revokeOtherSessions(db: Executor, memberId: MemberId, keepHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('member_id', '=', memberId)
    .where('id_hash', '!=', keepHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export interface SessionRow {
  idHash: string;
  publicId: string;
  stage: SessionStage;
  createdAt: Date;
  lastSeenAt: Date;
  clientLabel: string | null;
}

/** The member's unexpired, unrevoked sessions, most recently seen first (at most 100). */
export async function listActiveSessions(db: Executor, memberId: MemberId): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id_hash', 'public_id', 'stage', 'created_at', 'last_seen_at', 'client_label'])
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('last_seen_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    idHash: r.id_hash,
    publicId: r.public_id,
    stage: r.stage,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    clientLabel: r.client_label,
  }));
}

/** Ends one of the member's sessions by its public id; returns its hash, or null when there was none to end. */
export async function revokeSessionByPublicId(db: Executor, memberId: MemberId, publicId: string): Promise<string | null> {
  const ended = await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('public_id', '=', publicId)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .returning('id_hash')
    .executeTakeFirst();
  return ended?.id_hash ?? null;
}

/** Sessions that ended (expired or revoked) more than `hours` ago. */
export async function purgeEndedSessions(db: Executor, hours: number): Promise<number> {
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`),
        eb('revoked_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`),
      ]),
    )
    .executeTakeFirst();
  return Number(sessions.numDeletedRows);
}
