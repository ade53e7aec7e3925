import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import {
  asCaseId,
  asMemberId,
  audienceOf,
  ClearingError,
  decide,
  isAction,
  isResourceDeclaration,
  mayPerform,
  needsResource,
  type AccessRecord,
  type Action,
  type MemberId,
  type PolicyActor,
  type ResourceDeclaration,
  type Role,
  type SessionStage,
} from '../../core/index.js';
import type { Database } from '../db/database.js';
import type { Executor } from '../db/executor.js';
import { findCaseAccessRecord } from '../cases/repository/access-records.js';
import { findMemberAccessRecord } from '../members/repository/index.js';
import { findActiveSession, sessionCookieName, touchSession } from '../members/repository/sessions.js';

/** The member behind a request, as far as their session goes. */
export interface Actor {
  memberId: MemberId;
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
    /**
     * The resource the route acts on, for actions decided per resource
     * (src/core/policies/resources.ts): `member` (the account named by `:id`)
     * or `ownAccount` (the caller's own). Such an action cannot be registered without it.
     */
    resource?: ResourceDeclaration;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The access record the resource policy decided on, when the route declares a resource. */
    accessRecord: AccessRecord | null;
  }
  interface FastifyInstance {
    /** Every /api route with the policy action it performs and the resource it acts on (for the access-matrix test and the docs). */
    routeCatalog: RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  action: Action;
  resource: ResourceDeclaration | null;
}

/** The policy's view of the actor. */
export function policyActor(actor: Actor | null): PolicyActor | null {
  return actor && { id: actor.memberId, role: actor.role, certified: actor.certified, stage: actor.stage };
}

/** Loads the access record a route's declared resource names, through the area's repository. */
async function loadAccessRecord(db: Executor, resource: ResourceDeclaration, request: FastifyRequest, actor: Actor): Promise<AccessRecord | null> {
  switch (resource) {
    case 'member': {
      const id = (request.params as { id?: unknown } | undefined)?.id;
      return typeof id === 'string' ? findMemberAccessRecord(db, asMemberId(id)) : null;
    }
    case 'ownAccount':
      return findMemberAccessRecord(db, actor.memberId);
    case 'case': {
      const caseId = (request.params as { caseId?: unknown } | undefined)?.caseId;
      return typeof caseId === 'string' ? findCaseAccessRecord(db, asCaseId(caseId), actor.memberId) : null;
    }
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
 * session is looked up and the role table in core says yes or no; for a route
 * that declares `config.resource`, the access record is then loaded and the
 * resource policy in core (src/core/policies/resources.ts) decides.
 */
export function installAuthorization(app: FastifyInstance, database: Database, options: { https: boolean }): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('accessRecord', null);
  const catalog: RouteEntry[] = [];
  app.decorate('routeCatalog', catalog);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const action = (route.config as { action?: unknown } | undefined)?.action;
    if (!isAction(action)) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no policy action (config.action)`);
    }
    const declared = (route.config as { resource?: unknown } | undefined)?.resource;
    if (declared !== undefined && !isResourceDeclaration(declared)) throw new Error(`route ${String(route.method)} ${route.url} declares an unknown resource`);
    const resource = declared ?? null;
    if (needsResource(action) !== (resource !== null)) {
      throw new Error(`route ${String(route.method)} ${route.url}: action ${action} ${resource ? 'is not decided per resource' : 'needs config.resource'}`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') catalog.push({ method, url: route.url, action, resource });
    // Only routes that name a resource pay for the second decision: a hook of their own, not one on every request.
    if (resource !== null) {
      const decided: preHandlerHookHandler = (request, _reply, done) => {
        decideOnResource(request, action, resource).then(() => done(), done);
      };
      route.preHandler = [decided, ...(route.preHandler === undefined ? [] : [route.preHandler].flat())];
    }
  });

  const decideByRole = async (request: FastifyRequest, reply: FastifyReply, action: Action, token: string | undefined): Promise<void> => {
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
    decideByRole(request, reply, action, token).then(() => done(), done);
  });

  // After the body is validated (so a malformed request is answered as before), the resource
  // the route names is loaded and the resource policy asked; use cases keep their own checks as a second wall.
  const decideOnResource = async (request: FastifyRequest, action: Action, resource: ResourceDeclaration): Promise<void> => {
    const actor = actorOf(request);
    const record = await loadAccessRecord(database.db, resource, request, actor);
    const decision = decide(action, policyActor(actor), record);
    if (decision.allowed) {
      request.accessRecord = record;
      return;
    }
    switch (decision.reason) {
      case 'not_found':
        throw new ClearingError(resource === 'case' ? 'CASE_NOT_FOUND' : 'MEMBER_NOT_FOUND', { status: 404 });
      case 'self':
        throw new ClearingError('CANNOT_CHANGE_SELF', { status: 409 });
      case 'auth_required':
        throw new ClearingError('AUTH_REQUIRED', { status: 401 });
      case 'second_factor_required':
        throw new ClearingError('SECOND_FACTOR_REQUIRED', { status: 401 });
      case 'role':
      case 'not_own':
      case 'not_involved':
        throw new ClearingError('FORBIDDEN', { status: 403 });
    }
  };
}

/** The actor of a route whose policy guarantees one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new ClearingError('AUTH_REQUIRED', { status: 401 });
  return request.actor;
}
