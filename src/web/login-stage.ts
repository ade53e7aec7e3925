import type { SessionStatus } from './session.js';

/** The page that belongs to each step of logging in; every login page sends a visitor at another step there. */
export function loginPathFor(status: Exclude<SessionStatus, 'loading'>): string {
  switch (status) {
    case 'anonymous':
      return '/login';
    case 'totp_enrollment':
      return '/login/totp';
    case 'second_factor':
      return '/login/second-factor';
    case 'full':
      return '/';
  }
}

const returnKey = 'clearing.returnTo';

/** Only a path inside the app, and never a login page (that would loop). */
function usablePath(path: string | null | undefined): path is string {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/login');
}

/**
 * The page a member asked for before being sent to log in. Kept in session
 * storage (this tab only) because the login goes through several pages
 * (second factor, enrollment) that each navigate on their own.
 */
export function rememberReturnPath(path: string): void {
  if (!usablePath(path) || path === '/') return;
  try {
    window.sessionStorage.setItem(returnKey, path);
  } catch {
    // Without storage the member lands on Home, as before.
  }
}

/** Where a finished login continues: the page asked for, once, else Home. */
export function takeReturnPath(fallback?: string): string {
  let stored: string | null = null;
  try {
    stored = window.sessionStorage.getItem(returnKey);
    window.sessionStorage.removeItem(returnKey);
  } catch {
    // As above.
  }
  if (usablePath(stored)) return stored;
  return usablePath(fallback) ? fallback : '/';
}
