import type { FastifyInstance } from 'fastify';

/**
 * No inline script, no framing, no referrer. `wasm-unsafe-eval` lets the browser
 * compile the Argon2id WebAssembly module that derives member keys; it does not
 * allow eval of script.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers for the app's pages and assets: the full set a browser applies to a document. */
export function securityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * JSON answers are never rendered as documents that run script, so they carry a
 * shorter set: nothing may load or frame them, no other site may read them, no
 * sniffing, no referrer. (Every byte here is paid on every API call.)
 */
export function apiSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

export function installSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  // Nothing the server answers may be cached unless a route says otherwise (static assets do).
  const page = { ...securityHeaders(options), 'cache-control': 'no-store' };
  const api = { ...apiSecurityHeaders(options), 'cache-control': 'no-store' };
  // Set before the handler runs, so every answer carries them, errors and 404s included.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith('/api/') ? api : page);
    done();
  });
}
