import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorEnvelope } from '../../core/api/errors.js';
import { ClearingError, errorMessage, negotiateLanguage, type ErrorCode } from '../../core/index.js';

export { errorEnvelopeSchema, type ErrorEnvelope } from '../../core/api/errors.js';

function send(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, params: Record<string, string | number> = {}, details?: unknown) {
  const language = negotiateLanguage(request.headers['accept-language']);
  const body: ErrorEnvelope = { error: { code, message: errorMessage(language, code, params) } };
  // Parameters let the web app word the message in the language chosen in the app, not the browser's.
  if (Object.keys(params).length > 0) body.error.params = params;
  if (details !== undefined) body.error.details = details;
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** Maps Fastify's own failures onto Clearing's codes, so clients see one vocabulary. */
function classify(error: FastifyError, bodyLimit: number): { status: number; code: ErrorCode; params?: Record<string, string | number> } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'BODY_TOO_LARGE', params: { limit: bodyLimit } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'MALFORMED_JSON' };
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return { status: 400, code: 'MALFORMED_JSON' };
  if (error.statusCode === 413) return { status: 413, code: 'BODY_TOO_LARGE', params: { limit: bodyLimit } };
  return null;
}

export function installErrorHandling(app: FastifyInstance, bodyLimit: number, logger: Logger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ClearingError) {
      if (error.status >= 500) logger.error({ req: request, err: error }, 'request failed');
      return send(request, reply, error.status, error.code, { ...error.params });
    }
    if (error.validation) {
      const detail = error.validation
        .map((v) => `${(v.instancePath || '/').replace(/^\//, '') || error.validationContext || 'body'} ${v.message ?? ''}`.trim())
        .join('; ');
      return send(
        request,
        reply,
        400,
        'VALIDATION_FAILED',
        { detail },
        error.validation.map((v) => ({ path: v.instancePath, message: v.message })),
      );
    }
    const known = classify(error, bodyLimit);
    if (known) {
      logger.info({ req: request, code: known.code }, 'rejected request');
      return send(request, reply, known.status, known.code, known.params);
    }
    logger.error({ req: request, err: error }, 'unhandled error');
    return send(request, reply, 500, 'INTERNAL');
  });
}

export function sendNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(request, reply, 404, 'ROUTE_NOT_FOUND');
}
