import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../src/core/index.js';
import { installAuthorization } from '../../src/server/http/authorize.js';
import { backends } from '../support/databases.js';
import { Browserish, firstFactor, inviteAndJoin, logIn, setUpOrganization } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Who may call what, written out independently of the policy table: every
 * endpoint × every kind of caller. A new endpoint that is not listed here
 * fails the suite, so nobody adds a route without deciding who may use it.
 */
type Who = 'public' | 'session' | 'member' | readonly Role[];
const admin = ['administrator'] as const;
/** Roles that open and manage cases, and the wider set that can be let into one (src/core/policies/actions.ts says the same, independently). */
const casekeepers = ['administrator', 'coordinator', 'specialist'] as const;
const casework = ['administrator', 'coordinator', 'specialist', 'verifier', 'psychologist'] as const;
const expected: Record<string, Who> = {
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'POST /api/auth/prelogin': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/totp/enrollment': 'session',
  'POST /api/auth/totp/enrollment/confirm': 'session',
  'POST /api/auth/second-factor': 'session',
  'GET /api/session': 'session',
  'POST /api/auth/logout': 'session',
  'POST /api/auth/logout-everywhere': 'member',
  'GET /api/me/keys': 'member',
  'POST /api/me/passphrase': 'member',
  'POST /api/me/challenge': 'member',
  'POST /api/invitations/lookup': 'public',
  'POST /api/invitations/accept': 'public',
  'GET /api/members/directory': 'member',
  'GET /api/members': admin,
  'POST /api/members/:id/certificate': admin,
  'POST /api/members/:id/role': admin,
  'POST /api/members/:id/suspend': admin,
  'POST /api/members/:id/reinstate': admin,
  'POST /api/members/:id/remove': admin,
  'POST /api/invitations': admin,
  'GET /api/invitations': admin,
  'DELETE /api/invitations/:id': admin,
  'GET /api/audit/head': admin,
  'GET /api/audit/entries': admin,
  'GET /api/audit/consistency': admin,
  'GET /api/audit/inclusion': admin,
  // Account page and WebAuthn.
  'POST /api/auth/webauthn/options': 'session',
  'POST /api/auth/webauthn': 'session',
  'GET /api/me/account': 'member',
  'POST /api/me/authenticators/options': 'member',
  'POST /api/me/authenticators': 'member',
  'POST /api/me/authenticators/:id/name': 'member',
  'DELETE /api/me/authenticators/:id': 'member',
  'POST /api/me/recovery-codes': 'member',
  'POST /api/me/totp': 'member',
  'POST /api/me/totp/confirm': 'member',
  'GET /api/me/sessions': 'member',
  'DELETE /api/me/sessions/:id': 'member',
  'GET /api/organization/membership-list': 'member',
  'POST /api/organization/membership-list': admin,
  'GET /api/organization/key-rotations': 'public',
  'POST /api/organization/key-rotation': admin,
  // The working life of a case (src/server/http/routes/casework.ts).
  'POST /api/cases/:caseId/status': casekeepers,
  'POST /api/cases/:caseId/close': casekeepers,
  'POST /api/cases/:caseId/reopen': casekeepers,
  'POST /api/cases/:caseId/priority': casekeepers,
  'POST /api/cases/:caseId/assignee': casekeepers,
  'POST /api/cases/:caseId/escalations': casekeepers,
  'POST /api/cases/:caseId/flags': casework,
  'DELETE /api/cases/:caseId/flags/:flag': casework,
  'GET /api/cases/handover/candidates': casekeepers,
  'POST /api/cases/handover': casekeepers,
  'GET /api/cases/:caseId/tasks': casework,
  'POST /api/cases/:caseId/tasks': casework,
  'PATCH /api/cases/:caseId/tasks/:taskId': casework,
  'GET /api/tasks/mine': 'member',
  'GET /api/notifications': 'member',
  'GET /api/notifications/unread-count': 'member',
  'POST /api/notifications/read': 'member',
  'POST /api/cases/:caseId/access-requests': casework,
  'GET /api/cases/:caseId/timeline': casekeepers,
  // Casework.
  'POST /api/cases': casekeepers,
  'GET /api/cases': casework,
  'GET /api/cases/by-code/:code': casework,
  'GET /api/cases/:caseId': casework,
  'GET /api/cases/:caseId/records': casework,
  'GET /api/cases/:caseId/records/:recordId/history': casework,
  'POST /api/cases/:caseId/records': casework,
  'POST /api/cases/:caseId/grants': casekeepers,
  'POST /api/cases/:caseId/revocations': casekeepers,
  'POST /api/cases/:caseId/rotations': casework,
  'GET /api/rotations/pending': casework,
  'POST /api/search': casework,
};

/**
 * The resource dimension: which routes act on one member account, and whose.
 * `member`: the account named by `:id`; `ownAccount`: the caller's own, whatever the path says.
 * Every other route acts on no single member account.
 */
const resources: Record<string, 'member' | 'ownAccount' | 'case'> = {
  'GET /api/cases/:caseId': 'case',
  'GET /api/cases/:caseId/records': 'case',
  'GET /api/cases/:caseId/records/:recordId/history': 'case',
  'POST /api/cases/:caseId/records': 'case',
  'POST /api/cases/:caseId/grants': 'case',
  'POST /api/cases/:caseId/revocations': 'case',
  'POST /api/cases/:caseId/rotations': 'case',
  'POST /api/members/:id/certificate': 'member',
  'POST /api/members/:id/role': 'member',
  'POST /api/members/:id/suspend': 'member',
  'POST /api/members/:id/reinstate': 'member',
  'POST /api/members/:id/remove': 'member',
  'POST /api/auth/totp/enrollment': 'ownAccount',
  'POST /api/auth/totp/enrollment/confirm': 'ownAccount',
  'POST /api/auth/second-factor': 'ownAccount',
  'GET /api/session': 'ownAccount',
  'POST /api/auth/logout': 'ownAccount',
  'POST /api/auth/logout-everywhere': 'ownAccount',
  'GET /api/me/keys': 'ownAccount',
  'POST /api/me/passphrase': 'ownAccount',
  'POST /api/me/challenge': 'ownAccount',
  'POST /api/auth/webauthn/options': 'ownAccount',
  'POST /api/auth/webauthn': 'ownAccount',
  'GET /api/me/account': 'ownAccount',
  'POST /api/me/authenticators/options': 'ownAccount',
  'POST /api/me/authenticators': 'ownAccount',
  'POST /api/me/authenticators/:id/name': 'ownAccount',
  'DELETE /api/me/authenticators/:id': 'ownAccount',
  'POST /api/me/recovery-codes': 'ownAccount',
  'POST /api/me/totp': 'ownAccount',
  'POST /api/me/totp/confirm': 'ownAccount',
  'GET /api/me/sessions': 'ownAccount',
  'DELETE /api/me/sessions/:id': 'ownAccount',
  'POST /api/cases/:caseId/status': 'case',
  'POST /api/cases/:caseId/close': 'case',
  'POST /api/cases/:caseId/reopen': 'case',
  'POST /api/cases/:caseId/priority': 'case',
  'POST /api/cases/:caseId/assignee': 'case',
  'POST /api/cases/:caseId/escalations': 'case',
  'POST /api/cases/:caseId/flags': 'case',
  'DELETE /api/cases/:caseId/flags/:flag': 'case',
  'GET /api/cases/:caseId/tasks': 'case',
  'POST /api/cases/:caseId/tasks': 'case',
  'PATCH /api/cases/:caseId/tasks/:taskId': 'case',
  'POST /api/cases/:caseId/access-requests': 'case',
  'GET /api/cases/:caseId/timeline': 'case',
};

/** On member accounts: whether an administrator may act on their own account and on another's. */
const onMember: Record<string, { own: boolean; other: boolean; body?: (target: { role: Role }) => unknown }> = {
  'POST /api/members/:id/certificate': { own: true, other: true, body: () => ({ certificate: {} }) },
  // Asking for the role the member already holds changes nothing, so "allowed" leaves the target as it was.
  'POST /api/members/:id/role': { own: false, other: true, body: (target) => ({ role: target.role }) },
  'POST /api/members/:id/reinstate': { own: true, other: true },
  'POST /api/members/:id/suspend': { own: false, other: true },
  'POST /api/members/:id/remove': { own: false, other: true },
};

type Caller = { label: string; kind: 'anonymous' | 'pending' | 'full'; role?: Role; certified?: boolean; client: Browserish };

function allowed(who: Who, caller: Caller): boolean {
  if (who === 'public') return true;
  if (caller.kind === 'anonymous') return false;
  if (who === 'session') return true;
  if (caller.kind === 'pending') return false;
  if (who === 'member') return true;
  // Role-based actions need a member the organization certified.
  return caller.certified === true && who.includes(caller.role!);
}

describe.each(backends())('access matrix on $name', (backend) => {
  let server: TestServer;
  const callers: Caller[] = [];
  beforeAll(async () => {
    server = await startTestServer(backend);
    const adminClient = new Browserish(server.url);
    const { admin: adminMember, organization } = await setUpOrganization(adminClient);
    await logIn(adminClient, adminMember);
    callers.push({ label: 'anonymous', kind: 'anonymous', client: new Browserish(server.url) });
    callers.push({ label: 'administrator', kind: 'full', role: 'administrator', certified: true, client: adminClient });
    // Invited as administrator but not yet certified: no organization key, no administrator's powers.
    const uncertified = await inviteAndJoin(adminClient, server.url, 'administrator', 'uncertified-admin', undefined, {
      organization,
      adminId: adminMember.id,
    });
    await logIn(uncertified.client, uncertified.member);
    callers.push({ label: 'uncertified administrator', kind: 'full', role: 'administrator', certified: false, client: uncertified.client });
    for (const role of roles.filter((r) => r !== 'administrator')) {
      const { client, member } = await inviteAndJoin(adminClient, server.url, role, `as-${role}`);
      await logIn(client, member);
      callers.push({ label: role, kind: 'full', role, client });
    }
    const { client: pending, member } = await inviteAndJoin(adminClient, server.url, 'coordinator', 'half-logged-in');
    await firstFactor(pending, member.name, member.passphrase);
    callers.push({ label: 'second factor pending', kind: 'pending', client: pending });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('every API route has an expectation here, and every expectation a route', () => {
    const actual = server.app.routeCatalog.map((r) => `${r.method} ${r.url}`).sort();
    expect(actual).toEqual(Object.keys(expected).sort());
  });

  it('a route without a policy action cannot be registered', async () => {
    const app = Fastify();
    installAuthorization(app, server.database, { https: false });
    expect(() => app.get('/api/unguarded', async () => ({ ok: true }))).toThrow(/declares no policy action/);
    await app.close();
  });

  it('allows and denies exactly as expected for every endpoint and every caller', async () => {
    const failures: string[] = [];
    const routes = [...server.app.routeCatalog].sort((a, b) => (a.url.includes('logout') ? 1 : 0) - (b.url.includes('logout') ? 1 : 0));
    for (const route of routes) {
      const who = expected[`${route.method} ${route.url}`]!;
      for (const caller of callers) {
        // Logging out would end the caller's session for the rest of the matrix: use a throwaway request without cookies for "allowed".
        if (route.url.includes('logout') && allowed(who, caller)) continue;
        const path = route.url.replace(/:(id|caseId|recordId)\b/g, '00000000-0000-4000-8000-000000000000').replace(':code', 'K7F-3QX');
        const res = await caller.client.request(route.method, path, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
        const denied = res.status === 401 || res.status === 403;
        const deniedByPolicy = denied && ['AUTH_REQUIRED', 'SECOND_FACTOR_REQUIRED', 'FORBIDDEN'].includes(res.body?.error?.code);
        if (allowed(who, caller) && deniedByPolicy) failures.push(`${caller.label} was denied ${route.method} ${route.url}`);
        if (!allowed(who, caller) && !deniedByPolicy)
          failures.push(`${caller.label} was not denied ${route.method} ${route.url} (${res.status} ${res.body?.error?.code})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every route declares the resource it acts on, as expected here', () => {
    const failures: string[] = [];
    for (const route of server.app.routeCatalog) {
      const key = `${route.method} ${route.url}`;
      if ((resources[key] ?? null) !== route.resource) failures.push(`${key} declares ${route.resource}, expected ${resources[key] ?? null}`);
    }
    expect(failures).toEqual([]);
    const onMemberRoutes = Object.entries(resources)
      .filter(([, r]) => r === 'member')
      .map(([k]) => k);
    expect(Object.keys(onMember).sort()).toEqual(onMemberRoutes.sort());
  });

  it('an administrator acts on another member’s account, but suspends, removes or re-roles only others', async () => {
    const admin = callers.find((c) => c.label === 'administrator')!;
    const { member: target } = await inviteAndJoin(admin.client, server.url, 'coordinator', 'resource-target');
    const self = (await admin.client.get('/api/session')).body.member as { id: string; role: Role };
    const failures: string[] = [];
    // Removal last: it ends the target for good.
    for (const [key, expectation] of Object.entries(onMember)) {
      const [method, url] = key.split(' ') as [string, string];
      for (const [whose, member] of [
        ['own', self],
        ['other', target],
      ] as const) {
        const res = await admin.client.request(method, url.replace(':id', member.id), expectation.body?.(member) ?? undefined);
        const refused = res.body?.error?.code === 'CANNOT_CHANGE_SELF' || ['FORBIDDEN', 'AUTH_REQUIRED'].includes(res.body?.error?.code);
        const wanted = expectation[whose];
        if (wanted && refused) failures.push(`refused ${key} on ${whose} account (${res.status} ${res.body?.error?.code})`);
        if (!wanted && !(res.status === 409 && res.body?.error?.code === 'CANNOT_CHANGE_SELF'))
          failures.push(`not refused ${key} on ${whose} account (${res.status} ${res.body?.error?.code})`);
      }
    }
    expect(failures).toEqual([]);
    // The administrator's own account is as it was.
    expect((await admin.client.get('/api/session')).body.member).toMatchObject({ id: self.id, role: 'administrator' });
  });

  it('the hook alone refuses by the resource policy, before any use case runs; an action decided per resource cannot be registered without its resource', async () => {
    const admin = callers.find((c) => c.label === 'administrator')!;
    const self = (await admin.client.get('/api/session')).body.member as { id: string };
    const other = callers.find((c) => c.label === 'coordinator')!;
    const otherId = (await other.client.get('/api/session')).body.member.id as string;
    const app = Fastify();
    await app.register(cookie);
    installAuthorization(app, server.database, { https: false });
    expect(() => app.post('/api/members/:id/unguarded', { config: { action: 'member.suspend' } }, async () => ({ ok: true }))).toThrow(/needs config.resource/);
    expect(() => app.get('/api/members/:id/listed', { config: { action: 'members.list', resource: 'member' } }, async () => ({ ok: true }))).toThrow(
      /not decided per resource/,
    );
    // A handler that would do anything it is asked: only the hook stands in the way.
    app.post('/api/members/:id/suspend', { config: { action: 'member.suspend', resource: 'member' } }, async () => ({ ok: true }));
    const headers = { cookie: admin.client.cookie!, 'x-csrf-token': admin.client.csrf! };
    const own = await app.inject({ method: 'POST', url: `/api/members/${self.id}/suspend`, headers });
    expect(own.json().code).toBe('CANNOT_CHANGE_SELF');
    const others = await app.inject({ method: 'POST', url: `/api/members/${otherId}/suspend`, headers });
    expect(others.json()).toEqual({ ok: true });
    const nobody = await app.inject({ method: 'POST', url: '/api/members/00000000-0000-4000-8000-000000000000/suspend', headers });
    expect(nobody.json().code).toBe('MEMBER_NOT_FOUND');
    await app.close();
  });
});
