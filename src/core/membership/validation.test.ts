import { describe, expect, it } from 'vitest';
import { invitationTokenWellFormed, memberNameProblem, setupCodeWellFormed, totpCodeProblem } from './validation.js';

describe('what a client checks before sending', () => {
  it('accepts the names the server accepts, in any script', () => {
    expect(memberNameProblem('Anna K.')).toBeNull();
    expect(memberNameProblem('Мария-Луиза')).toBeNull();
    expect(memberNameProblem('  ab  ')).toBeNull();
  });
  it('says why a name would be refused', () => {
    expect(memberNameProblem('a')).toBe('short');
    expect(memberNameProblem('x'.repeat(65))).toBe('long');
    expect(memberNameProblem('x'.repeat(64))).toBeNull();
    expect(memberNameProblem('-anna')).toBe('characters');
    expect(memberNameProblem('anna<script>')).toBe('characters');
  });
  it('checks codes and tokens by their shape', () => {
    expect(totpCodeProblem('123 456')).toBeNull();
    expect(totpCodeProblem('12345')).toBe('format');
    expect(totpCodeProblem('12345a')).toBe('format');
    expect(invitationTokenWellFormed('abcdefghijklmnop')).toBe(true);
    expect(invitationTokenWellFormed('short')).toBe(false);
    expect(setupCodeWellFormed('abcd-efgh-jkmn-pqrs')).toBe(true);
    expect(setupCodeWellFormed('ABCD-EFGH-JKMN-PQR0')).toBe(false);
    expect(setupCodeWellFormed('NO-CODE')).toBe(false);
  });
});
