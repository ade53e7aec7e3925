import { sql } from 'kysely';
import { ClearingError, type AccountSummary, type ClientBrowser, type ClientSystem, type FreshFactor, type MemberId, type SessionSummary } from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../http/authorize.js';
import { findOrganization } from '../organization/repository.js';
import { withFreshFactor } from './fresh-factor.js';
import { findMemberById, updateMember } from './repository/index.js';
import type { AuthContext } from './context.js';
import { claimAttempt, clearFailures } from './throttle.js';
import { matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from './totp.js';
import { listAuthenticators, registrationOptions, secondFactorThrottleKey, type RelyingParty } from './webauthn.js';

/** The member's own account: second factors, recovery codes, sessions. Every change is audited with counts only. */

const pendingTotpLifetimeMs = 10 * 60 * 1000;

export async function accountSummary(database: Database, memberId: MemberId): Promise<AccountSummary> {
  const member = await findMemberById(database.db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', 'No such member.', { status: 404 });
  return {
    totpEnabled: member.totpEnabledAt !== null,
    recoveryCodesLeft: member.recoveryCodes.length,
    authenticators: await listAuthenticators(database.db, memberId),
  };
}

/** Registration options for one more authenticator, after a fresh second factor. */
export async function beginAddingAuthenticator(ctx: AuthContext, actor: Actor, rp: RelyingParty, fresh: FreshFactor): Promise<{ options: unknown }> {
  return withFreshFactor(ctx, actor, rp, fresh, (tx) => registrationOptions(tx, actor, rp));
}

/** A new set of recovery codes; the old set stops working in the same transaction. */
export async function regenerateRecoveryCodes(ctx: AuthContext, actor: Actor, rp: RelyingParty, fresh: FreshFactor): Promise<{ recoveryCodes: string[] }> {
  const { codes, hashes } = newRecoveryCodes();
  await withFreshFactor(ctx, actor, rp, fresh, async (tx) => {
    await updateMember(tx, actor.memberId, { recoveryCodes: hashes });
    await appendAuditEntry(tx, { action: 'auth.recovery_codes_regenerated', actorId: actor.memberId, subjectId: actor.memberId, detail: { remaining: hashes.length } });
  });
  return { recoveryCodes: codes };
}

/** A new TOTP secret, pending: the old one keeps working until a code from the new one confirms it. */
export async function beginTotpReenrollment(ctx: AuthContext, actor: Actor, rp: RelyingParty, fresh: FreshFactor): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  // Sealed like the secret it will replace (same member, same server secret), so confirming it just moves it.
  const sealed = ctx.secrets.sealTotpSecret(actor.memberId, secret);
  await withFreshFactor(ctx, actor, rp, fresh, async (tx) => {
    await tx
      .updateTable('members')
      .set({ totp_pending_secret: sealed, totp_pending_expires_at: new Date(Date.now() + pendingTotpLifetimeMs) })
      .where('id', '=', actor.memberId)
      .execute();
  });
  const org = await findOrganization(ctx.database.db);
  return { secret, uri: totpUri(secret, org?.name ?? '', actor.name) };
}

export async function confirmTotpReenrollment(ctx: AuthContext, actor: Actor, code: string): Promise<void> {
  const { database } = ctx;
  const throttleKey = secondFactorThrottleKey(actor.memberId);
  await claimAttempt(database.db, throttleKey);
  const row = await database.db
    .selectFrom('members')
    .select(['totp_pending_secret', 'totp_pending_expires_at'])
    .where('id', '=', actor.memberId)
    .executeTakeFirst();
  const pending = row?.totp_pending_secret ?? null;
  if (!pending || !row?.totp_pending_expires_at || new Date(row.totp_pending_expires_at).getTime() < Date.now()) {
    throw new ClearingError('TOTP_NOT_ENROLLING', 'Start setting up the new authenticator app first.', { status: 409 });
  }
  const secret = ctx.secrets.openTotpSecret(actor.memberId, pending);
  const step = secret === null ? null : matchTotp(secret, code.replace(/\s/g, ''), null);
  if (step === null) {
    throw new ClearingError('TOTP_INVALID', 'The code is wrong or expired.', { status: 401 });
  }
  await database.db.transaction().execute(async (tx) => {
    // Only the secret that was shown is confirmed: a second start in between voids this one.
    const updated = await tx
      .updateTable('members')
      .set({ totp_secret: pending, totp_last_step: step, totp_enabled_at: sql`coalesce(totp_enabled_at, now())`, totp_pending_secret: null, totp_pending_expires_at: null })
      .where('id', '=', actor.memberId)
      .where('totp_pending_secret', '=', pending)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new ClearingError('TOTP_NOT_ENROLLING', 'Start setting up the new authenticator app first.', { status: 409 });
    await appendAuditEntry(tx, { action: 'auth.totp_reenrolled', actorId: actor.memberId, subjectId: actor.memberId });
    await clearFailures(tx, throttleKey);
  });
}

// ── Sessions ──

const browsers: readonly ClientBrowser[] = ['chrome', 'firefox', 'safari', 'edge', 'opera', 'other'];
const systems: readonly ClientSystem[] = ['windows', 'macos', 'linux', 'android', 'ios', 'other'];

/**
 * A coarse label for a user agent ("firefox/linux"), from fixed lists; the
 * user agent itself (versions, devices) is never stored.
 */
export function clientLabel(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 512);
  const browser: ClientBrowser = /Edg\//.test(ua)
    ? 'edge'
    : /OPR\/|Opera/.test(ua)
      ? 'opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'firefox'
        : /Chrome\/|Chromium\/|CriOS/.test(ua)
          ? 'chrome'
          : /Safari\//.test(ua)
            ? 'safari'
            : 'other';
  const system: ClientSystem = /Android/.test(ua)
    ? 'android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'ios'
      : /Windows/.test(ua)
        ? 'windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macos'
          : /Linux|X11|CrOS/.test(ua)
            ? 'linux'
            : 'other';
  return `${browser}/${system}`;
}

function parseLabel(label: string | null): { browser: ClientBrowser | null; system: ClientSystem | null } {
  const [b, s] = (label ?? '').split('/');
  return {
    browser: browsers.includes(b as ClientBrowser) ? (b as ClientBrowser) : null,
    system: systems.includes(s as ClientSystem) ? (s as ClientSystem) : null,
  };
}

export async function listSessions(database: Database, actor: Actor): Promise<SessionSummary[]> {
  const rows = await database.db
    .selectFrom('sessions')
    .select(['id_hash', 'public_id', 'stage', 'created_at', 'last_seen_at', 'client_label'])
    .where('member_id', '=', actor.memberId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('last_seen_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.public_id,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    current: r.id_hash === actor.sessionHash,
    pending: r.stage !== 'full',
    ...parseLabel(r.client_label),
  }));
}

/** Ends one of the member's own sessions (this one too); says whether it was this one. */
export async function endSession(database: Database, actor: Actor, id: string): Promise<{ current: boolean }> {
  return database.db.transaction().execute(async (tx) => {
    const ended = await tx
      .updateTable('sessions')
      .set({ revoked_at: sql`now()` })
      .where('public_id', '=', id)
      .where('member_id', '=', actor.memberId)
      .where('revoked_at', 'is', null)
      .returning('id_hash')
      .executeTakeFirst();
    if (!ended) throw new ClearingError('SESSION_NOT_FOUND', 'There is no such session, or it has already ended.', { status: 404 });
    const current = ended.id_hash === actor.sessionHash;
    await appendAuditEntry(tx, { action: 'auth.session_ended', actorId: actor.memberId, subjectId: actor.memberId, detail: { current } });
    return { current };
  });
}
