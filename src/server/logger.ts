import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Structured logs that carry no case data. Requests are logged by method, route
 * pattern (never the raw URL: paths and query strings can carry tokens or
 * names) and status; headers and bodies are never logged, and error messages
 * are replaced by their stable code for client errors, because parser messages
 * quote the input they choked on.
 */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    base: { service: 'clearing' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string }; id?: string }) => ({
        id: req.id,
        method: req.method,
        route: req.routeOptions?.url ?? '(unmatched)',
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: { name?: string; code?: string; stack?: string; message?: string; statusCode?: number }) => ({
        type: err.name,
        code: err.code,
        // Server faults keep their stack for the operator; client faults keep only their code.
        ...(err.statusCode !== undefined && err.statusCode < 500 ? {} : { message: err.message, stack: err.stack }),
      }),
    },
    redact: { paths: ['req.headers', 'res.headers', 'body', 'query', 'params'], remove: true },
  };
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
