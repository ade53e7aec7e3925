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
