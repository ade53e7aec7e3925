/**
 * The command line's way to a Clearing server: JSON over HTTP(S) with the
 * session cookie, the anti-forgery token and the server's own origin, as the
 * browser sends them. Error answers become ClearingErrors with the server's
 * code, worded at the edge in the user's language.
 */
import { cryptoMessages } from '../core/crypto/messages.js';
import { appErrorCodes, ClearingError, type ErrorCode } from '../core/errors/index.js';
import { CliFailure } from './fail.js';

/** The server's address as typed (`https://clearing.example.org/`), reduced to its origin; a CliFailure when it is none. */
export function serverOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliFailure('serverUrlInvalid', { url });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new CliFailure('serverUrlInvalid', { url });
  return parsed.origin;
}

const knownCodes = new Set<string>([...appErrorCodes, ...Object.keys(cryptoMessages.en)]);

export class ServerClient {
  cookie: string | null;
  csrf: string | null = null;
  readonly origin: string;

  constructor(server: string, cookie: string | null = null) {
    this.origin = serverOrigin(server);
    this.cookie = cookie;
  }

  async request<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(`${this.origin}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          origin: this.origin,
          ...(text === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.cookie ? { cookie: this.cookie } : {}),
          ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        },
        body: text,
        redirect: 'error',
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliFailure('serverUnreachable', { server: this.origin, reason: cause?.code ?? cause?.message ?? (error as Error).message });
    }
    for (const header of res.headers.getSetCookie()) {
      const pair = header.split(';')[0] ?? '';
      // An emptied cookie is the server forgetting the session.
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const raw = await res.text();
    let parsed: unknown = null;
    if (raw !== '') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new CliFailure('serverAnswerInvalid', { server: this.origin, path, status: res.status });
      }
    }
    if (res.ok) return parsed as T;
    const envelope = (parsed as { error?: { code?: unknown; params?: unknown } } | null)?.error;
    if (envelope && typeof envelope.code === 'string' && knownCodes.has(envelope.code)) {
      const params = typeof envelope.params === 'object' && envelope.params !== null ? (envelope.params as Record<string, string | number>) : {};
      throw new ClearingError(envelope.code as ErrorCode, { status: res.status, params });
    }
    throw new CliFailure('serverAnswerInvalid', { server: this.origin, path, status: res.status });
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
}
