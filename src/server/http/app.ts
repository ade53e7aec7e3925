import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { KdfPolicy } from '../../core/index.js';
import type { ServerConfig } from '../config.js';
import type { ServerSecrets } from '../secrets.js';
import type { Database } from '../db/database.js';
import { errorEnvelopeSchema, installErrorHandling } from './errors.js';
import { installRequestLog } from './request-log.js';
import { AddressThrottle } from '../members/throttle.js';
import { installAuthorization } from './authorize.js';
import { accountRoutes } from './routes/account.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { caseworkRoutes } from './routes/casework.js';
import { healthRoutes } from './routes/health.js';
import { memberRoutes } from './routes/members.js';
import { setupRoutes } from './routes/setup.js';
import { webauthnRoutes } from './routes/webauthn.js';
import { caseRoutes } from './routes/cases.js';
import { trustRoutes } from './routes/trust.js';
import { installSecurityHeaders } from './security-headers.js';
import { installWebApp } from './web-app.js';

export interface AppContext {
  config: ServerConfig;
  database: Database;
  logger: Logger;
  version: string;
  /** Login attempts per address; tests pass a generous one. */
  addressThrottle?: AddressThrottle;
  secrets: ServerSecrets;
  /** The Argon2id floor for stored key bundles (defaultKdfPolicy; tests pass a weak one). */
  kdfPolicy: KdfPolicy;
}

/** Builds the HTTP application; listening and shutdown belong to `startServer`. */
export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const { config, database } = context;
  const app = Fastify({
    // Fastify gets no logger: a per-request child logger costs more than a liveness probe's
    // whole work. installRequestLog and the error handler write to ours, one line per request.
    logger: false,
    bodyLimit: config.bodyLimit,
    // A number of hops is said as a function: the first `n` proxies in front are believed.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // Keep request ids short and meaningless outside this process.
    genReqId: (() => {
      let n = 0;
      return () => (++n).toString(36);
    })(),
  });

  app.addSchema(errorEnvelopeSchema);
  installErrorHandling(app, config.bodyLimit, context.logger);
  installRequestLog(app, context.logger);
  installSecurityHeaders(app, { https: config.https });
  await app.register(fastifyCookie);
  installAuthorization(app, database, { https: config.https });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Clearing API',
        version: context.version,
        description: 'Casework and testimony verification. The server stores ciphertext; clients encrypt and decrypt.',
      },
    },
  });

  app.get('/api/openapi.json', { config: { action: 'api.describe' }, schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, database);
  const addressThrottle = context.addressThrottle ?? new AddressThrottle();
  const auth = { database, secrets: context.secrets, kdfPolicy: context.kdfPolicy };
  setupRoutes(app, database, { auth, dataDir: config.dataDir, addressThrottle });
  authRoutes(app, database, { https: config.https, addressThrottle, auth });
  memberRoutes(app, database, { addressThrottle, auth });
  auditRoutes(app, database);
  webauthnRoutes(app, database, { https: config.https, addressThrottle, auth });
  accountRoutes(app, database, { https: config.https, addressThrottle, auth });
  trustRoutes(app, database);
  caseRoutes(app, database);
  caseworkRoutes(app, database);

  await installWebApp(app, config.webDir);
  return app;
}
