import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberReturnPath, takeReturnPath } from './login-stage.js';

/** This tab's session storage, as the browser keeps it. */
function fakeWindow() {
  const items = new Map<string, string>();
  (globalThis as { window?: unknown }).window = {
    sessionStorage: {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    },
  };
}

describe('after logging in, the member returns to the page they asked for', () => {
  beforeEach(fakeWindow);
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('returns once to the remembered page, then to Home', () => {
    rememberReturnPath('/members?x=1');
    expect(takeReturnPath()).toBe('/members?x=1');
    expect(takeReturnPath()).toBe('/');
  });

  it('never to a login page or outside the app', () => {
    rememberReturnPath('/login/second-factor');
    expect(takeReturnPath()).toBe('/');
    rememberReturnPath('//evil.example/x');
    expect(takeReturnPath()).toBe('/');
    expect(takeReturnPath('https://evil.example/')).toBe('/');
    expect(takeReturnPath('/audit')).toBe('/audit');
  });
});
