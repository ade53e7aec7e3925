import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes polled by machines (liveness, readiness) are not logged when they succeed. */
    quiet?: boolean;
  }
}

/**
 * One line per finished request: id, method, route pattern and status (see
 * logger.ts for what is never logged). Failures of quiet routes are still logged.
 */
export function installRequestLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (request.routeOptions.config?.quiet && reply.statusCode < 400) return done();
    logger.info({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
    done();
  });
}
