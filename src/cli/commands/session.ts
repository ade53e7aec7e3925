/**
 * `clearing login` and `clearing logout`: the browser's login, from a
 * terminal. The passphrase is turned into the login proof here (Argon2id,
 * core's prepareLogin) and never leaves this computer; the file kept
 * afterwards holds the server's address and the session cookie only.
 */
import type { Command } from 'commander';
import type { LoginResponse, PreloginResponse, SecondFactorResponse, SessionInfo } from '../../core/api/members.js';
import { isClearingError } from '../../core/errors/index.js';
import { prepareLogin } from '../../core/crypto/member-keys/member.js';
import { toBase64url } from '../../core/crypto/primitives/bytes.js';
import { CliFailure, fail } from '../fail.js';
import { t } from '../i18n.js';
import { ask } from '../prompt.js';
import { ServerClient } from '../server-client.js';
import { deleteSession, readSession, sessionFilePath, writeSession } from '../session-file.js';

/** The saved session, checked with the server: a full session, its anti-forgery token set on the client. */
export async function resumeSession(): Promise<{ client: ServerClient; session: SessionInfo }> {
  const saved = readSession();
  if (!saved) throw new CliFailure('notLoggedIn');
  const client = new ServerClient(saved.server, saved.cookie);
  let session: SessionInfo;
  try {
    session = await client.get<SessionInfo>('/api/session');
  } catch (error) {
    if (isClearingError(error) && error.status === 401) throw new CliFailure('sessionExpired', { server: client.origin });
    throw error;
  }
  if (session.stage !== 'full') throw new CliFailure('sessionExpired', { server: client.origin });
  client.csrf = session.csrfToken;
  return { client, session };
}

async function logIn(options: { server: string; name: string }): Promise<void> {
  const client = new ServerClient(options.server);
  const pre = await client.post<PreloginResponse>('/api/auth/prelogin', { name: options.name });
  const passphrase = await ask(t('promptPassphrase'), { secret: true });
  process.stderr.write(`${t('derivingKeys')}\n`);
  const pending = await prepareLogin(passphrase, pre.kdf);
  try {
    const proof = pending.prove({ purpose: 'login', challenge: pre.challenge, memberId: pre.memberId, origin: client.origin });
    const login = await client.post<LoginResponse>('/api/auth/login', {
      name: options.name,
      challenge: pre.challenge,
      proof,
      ...(pre.upgrade ? { authKey: toBase64url(pending.authKey), authPublicKey: pending.authPublicKey } : {}),
    });
    client.csrf = login.csrfToken;
    if (login.stage === 'totp_enrollment') {
      // A half-made session is not kept: the browser enrols the second factor.
      await client.post('/api/auth/logout').catch(() => undefined);
      throw new CliFailure('loginNeedsEnrollment');
    }
    if (login.stage === 'second_factor') {
      const answer = (await ask(t('promptTotp'))).trim();
      const compact = answer.replace(/\s/g, '');
      const body = /^\d{6}$/.test(compact) ? { code: compact } : { recoveryCode: answer };
      const second = await client.post<SecondFactorResponse>('/api/auth/second-factor', body);
      client.csrf = second.csrfToken;
    }
  } finally {
    pending.wipe();
  }
  const session = await client.get<SessionInfo>('/api/session');
  if (session.stage !== 'full' || !client.cookie) throw new CliFailure('sessionExpired', { server: client.origin });
  const file = sessionFilePath();
  writeSession({ server: client.origin, cookie: client.cookie }, file);
  process.stdout.write(`${t('loggedIn', { server: client.origin, name: session.member.name, file })}\n`);
}

async function logOut(): Promise<void> {
  const saved = readSession();
  if (!saved) throw new CliFailure('notLoggedIn');
  let resumed: Awaited<ReturnType<typeof resumeSession>>;
  try {
    resumed = await resumeSession();
  } catch (error) {
    if (error instanceof CliFailure && error.key === 'sessionExpired') {
      deleteSession();
      process.stdout.write(`${t('loggedOutLocally', { server: saved.server })}\n`);
      return;
    }
    throw error;
  }
  await resumed.client.post('/api/auth/logout');
  deleteSession();
  process.stdout.write(`${t('loggedOut', { server: resumed.client.origin })}\n`);
}

export function registerSessionCommands(program: Command): void {
  program
    .command('login')
    .description(t('loginDescription'))
    .requiredOption('--server <url>', t('optServer'))
    .requiredOption('--name <name>', t('optName'))
    .action(async (options: { server: string; name: string }) => {
      try {
        await logIn(options);
      } catch (error) {
        fail(error);
      }
    });
  program
    .command('logout')
    .description(t('logoutDescription'))
    .action(async () => {
      try {
        await logOut();
      } catch (error) {
        fail(error);
      }
    });
}
