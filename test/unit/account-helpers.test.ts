import { describe, expect, it } from 'vitest';
import { clientLabel } from '../../src/server/members/account.js';
import { checkAuthenticatorName, relyingPartyOf } from '../../src/server/members/webauthn.js';

describe('coarse session labels', () => {
  it('keeps only a browser family and a system family, from fixed lists', () => {
    expect(clientLabel('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('firefox/linux');
    expect(clientLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0')).toBe(
      'edge/windows',
    );
    expect(
      clientLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'),
    ).toBe('safari/ios');
    expect(clientLabel('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36')).toBe(
      'chrome/macos',
    );
    expect(clientLabel('curl/8.5.0')).toBe('other/other');
    expect(clientLabel(undefined)).toBeNull();
    // Whatever the agent says, the label matches what the database accepts.
    expect(clientLabel('x'.repeat(10_000))).toMatch(/^[a-z]{1,16}\/[a-z]{1,16}$/);
  });
});

describe('authenticator names', () => {
  it('trims and folds spaces, and refuses empty, long or control-character names with a stable code', () => {
    expect(checkAuthenticatorName('  blue   key ')).toBe('blue key');
    expect(checkAuthenticatorName('Синий ключ')).toBe('Синий ключ');
    for (const bad of ['', '   ', 'x'.repeat(65), 'bell\u0007', 'rtl\u202Eoverride', 42]) {
      expect(() => checkAuthenticatorName(bad)).toThrow(expect.objectContaining({ code: 'AUTHENTICATOR_NAME_INVALID' }));
    }
  });
});

describe('relying party of a request', () => {
  it('takes origin and RP ID from the Host header and refuses anything else', () => {
    expect(relyingPartyOf('clearing.example.org', true)).toEqual({ origin: 'https://clearing.example.org', rpID: 'clearing.example.org' });
    expect(relyingPartyOf('localhost:8080', false)).toEqual({ origin: 'http://localhost:8080', rpID: 'localhost' });
    for (const bad of [undefined, '', 'evil.example/path', 'a b', 'user@host', '[::1]:80']) {
      expect(() => relyingPartyOf(bad, false)).toThrow(expect.objectContaining({ code: 'WEBAUTHN_UNAVAILABLE' }));
    }
  });
});
