import type { ClientBrowser, ClientSystem } from '../../core/index.js';
import { clientBrowsers, clientSystems } from '../../core/api/account.js';

/** Coarse client labels for the account page's session list; the use cases are in ./use-cases/. */

// ── Sessions ──

const browsers: readonly ClientBrowser[] = clientBrowsers;
const systems: readonly ClientSystem[] = clientSystems;

/**
 * A coarse label for a user agent ("firefox/linux"), from fixed lists; the
 * user agent itself (versions, devices) is never stored.
 */
export function clientLabel(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 512);
  const browser: ClientBrowser = /Edg\//.test(ua)
    ? 'edge'
    : /OPR\/|Opera/.test(ua)
      ? 'opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'firefox'
        : /Chrome\/|Chromium\/|CriOS/.test(ua)
          ? 'chrome'
          : /Safari\//.test(ua)
            ? 'safari'
            : 'other';
  const system: ClientSystem = /Android/.test(ua)
    ? 'android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'ios'
      : /Windows/.test(ua)
        ? 'windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macos'
          : /Linux|X11|CrOS/.test(ua)
            ? 'linux'
            : 'other';
  return `${browser}/${system}`;
}

export function parseClientLabel(label: string | null): { browser: ClientBrowser | null; system: ClientSystem | null } {
  const [b, s] = (label ?? '').split('/');
  return {
    browser: browsers.includes(b as ClientBrowser) ? (b as ClientBrowser) : null,
    system: systems.includes(s as ClientSystem) ? (s as ClientSystem) : null,
  };
}
