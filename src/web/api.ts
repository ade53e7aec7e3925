/** The web client's only door to the server: JSON over fetch, errors as values with stable codes. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns anything thrown (a server answer, a core ClearingError, a bug) into an ApiError the UI can translate. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const e = error as { code: string; status?: unknown; message?: unknown; params?: unknown };
    const params = e.params && typeof e.params === 'object' ? (e.params as Record<string, string | number>) : {};
    return new ApiError(e.code, typeof e.status === 'number' ? e.status : 0, String(e.message ?? e.code), params);
  }
  return new ApiError('INTERNAL', 0, String(error));
}

/*
 * The session's anti-forgery token. It lives in memory only (not in storage a
 * script from another tab could read) and is sent on every state-changing
 * request, as the server demands.
 */
let csrfToken: string | null = null;
let onAuthLost: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, revoked, logged out elsewhere). */
export function setAuthLostHandler(handler: (() => void) | null): void {
  onAuthLost = handler;
}

function plainParams(value: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

const safeMethods = new Set(['GET', 'HEAD']);

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (!safeMethods.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError('NETWORK', 0, 'network error');
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError('INTERNAL', response.status, 'unreadable response');
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; params?: unknown; details?: unknown } } | null)?.error;
    const params = { ...plainParams(error?.details), ...plainParams(error?.params) };
    // The envelope carries no parameters for a rate limit; the standard header does.
    const retryAfter = Number(response.headers.get('retry-after'));
    if (params.seconds === undefined && Number.isFinite(retryAfter) && retryAfter > 0) params.seconds = Math.ceil(retryAfter);
    const failure = new ApiError(error?.code ?? 'INTERNAL', response.status, error?.message ?? response.statusText, params);
    if (failure.code === 'AUTH_REQUIRED' && path !== '/api/session') onAuthLost?.();
    throw failure;
  }
  return data as T;
}
