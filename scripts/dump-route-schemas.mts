#!/usr/bin/env -S npx tsx
import Fastify from 'fastify';
// Every route's schema, body limit and config as Fastify registers them, as JSON: diff two runs to prove a refactor kept every validation.
const base = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { accountRoutes } = await import(`${base}/src/server/http/routes/account.ts`);
const { auditRoutes } = await import(`${base}/src/server/http/routes/audit.ts`);
const { authRoutes } = await import(`${base}/src/server/http/routes/auth.ts`);
const { healthRoutes } = await import(`${base}/src/server/http/routes/health.ts`);
const { memberRoutes } = await import(`${base}/src/server/http/routes/members.ts`);
const { setupRoutes } = await import(`${base}/src/server/http/routes/setup.ts`);
const { webauthnRoutes } = await import(`${base}/src/server/http/routes/webauthn.ts`);
const { trustRoutes } = await import(`${base}/src/server/http/routes/trust.ts`);
const { errorEnvelopeSchema } = await import(`${base}/src/server/http/errors.ts`);
const { default: swagger } = await import('@fastify/swagger');
const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } } });
app.addSchema(errorEnvelopeSchema);
await app.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 'Clearing API', version: 'dump' } } });
const out: Record<string, unknown> = {};
app.addHook('onRoute', (r) => {
  if (r.method !== 'HEAD') out[`${r.method} ${r.url}`] = { schema: r.schema, bodyLimit: r.bodyLimit, config: r.config };
});
const db = {} as never;
const o = { https: false, addressThrottle: { check: async () => undefined }, auth: {}, dataDir: '/tmp' } as never;
healthRoutes(app, db);
setupRoutes(app, db, o);
authRoutes(app, db, o);
memberRoutes(app, db, o);
auditRoutes(app, db);
webauthnRoutes(app, db, o);
accountRoutes(app, db, o);
trustRoutes(app, db);
await app.ready();
process.stdout.write(JSON.stringify({ routes: out, openapi: app.swagger() }, null, 1));
