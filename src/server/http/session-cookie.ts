import type { FastifyReply } from 'fastify';
import { cookieLifetimeMs, sessionCookieName, type SessionStage } from '../members/repository/sessions.js';

/** The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS; a half-finished login's lives minutes. */
export function setSessionCookie(reply: FastifyReply, token: string, stage: SessionStage, https: boolean): void {
  reply.setCookie(sessionCookieName, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: https, maxAge: cookieLifetimeMs(stage) / 1000 });
}
