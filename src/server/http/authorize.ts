import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audienceOf, ClearingError, isAction, mayPerform, type Action, type Role, type SessionStage } from '../../core/index.js';
import type { Database } from '../db/database.js';
import { findActiveSession, sessionCookieName, touchSession } from '../members/sessions.js';

/** The member behind a request, as far as their session goes. */
export interface Actor {
  memberId: string;
  name: string;
  role: Role;
  stage: SessionStage;
  sessionHash: string;
  csrfToken: string;
  certified: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action this route performs (src/core/policies); every /api route must name one. */
    action?: Action;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every /api route with the policy action it performs (for the access-matrix test and the docs). */
    routeCatalog: { method: string; url: string; action: Action }[];
  }
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** Requests made by another site are refused outright (cookies are SameSite=Strict as well). */
function assertSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    throw new ClearingError('CSRF_REJECTED', { status: 403 });
  }
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new ClearingError('CSRF_REJECTED', { status: 403 });
    }
    if (host !== request.headers.host) throw new ClearingError('CSRF_REJECTED', { status: 403 });
  } else if (origin === 'null') {
    throw new ClearingError('CSRF_REJECTED', { status: 403 });
  }
}

/**
 * The one place access is decided. Every /api route declares `config.action`;
 * a route without one cannot even be registered. Before the body is read, the
 * session is looked up and the policy table in core says yes or no.
 */
export function installAuthorization(app: FastifyInstance, database: Database, options: { https: boolean }): void {
  app.decorateRequest('actor', null);
  const catalog: { method: string; url: string; action: Action }[] = [];
  app.decorate('routeCatalog', catalog);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const action = (route.config as { action?: unknown } | undefined)?.action;
    if (!isAction(action)) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no policy action (config.action)`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') catalog.push({ method, url: route.url, action });
  });

  const decide = async (request: FastifyRequest, reply: FastifyReply, action: Action, token: string | undefined): Promise<void> => {
    if (token) {
      const found = await findActiveSession(database.db, token);
      if (found) {
        request.actor = found;
        await touchSession(database.db, found);
      } else {
        // A stale cookie: forget it so the browser stops sending it.
        reply.clearCookie(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.https });
      }
    }
    if (stateChanging.has(request.method)) {
      assertSameOrigin(request);
      // Public actions (login, accepting an invitation) work with or without a stale session cookie.
      if (request.actor && audienceOf(action) !== 'public') {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameToken(sent, request.actor.csrfToken)) {
          throw new ClearingError('CSRF_REJECTED', { status: 403 });
        }
      }
    }
    if (!mayPerform(action, request.actor)) {
      if (!request.actor) throw new ClearingError('AUTH_REQUIRED', { status: 401 });
      if (request.actor.stage !== 'full') throw new ClearingError('SECOND_FACTOR_REQUIRED', { status: 401 });
      throw new ClearingError('FORBIDDEN', { status: 403 });
    }
  };

  app.addHook('onRequest', (request, reply, done) => {
    const action = request.routeOptions.config?.action;
    if (!action) return done(); // unmatched routes answer 404 on their own
    const token = request.cookies?.[sessionCookieName];
    // Reads of public routes without a session (health probes, the setup page) decide without waiting on anything.
    if (!token && !stateChanging.has(request.method) && audienceOf(action) === 'public') return done();
    decide(request, reply, action, token).then(() => done(), done);
  });
}

/** The actor of a route whose policy guarantees one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new ClearingError('AUTH_REQUIRED', { status: 401 });
  return request.actor;
}
