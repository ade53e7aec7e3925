import { describe, expect, it } from 'vitest';
import { estimateStrength, passphraseProblem } from './passphrase.js';

describe('passphrase strength', () => {
  it('rates common passwords low and long random word sequences high, in Russian too', async () => {
    expect((await estimateStrength('password1')).score).toBe(0);
    expect((await estimateStrength('qwerty123456')).score).toBeLessThan(3);
    expect((await estimateStrength('correct horse battery staple')).score).toBe(4);
    expect((await estimateStrength('серая лошадь ест синие яблоки ночью')).score).toBe(4);
  });

  it('counts the names typed on the same form against the passphrase', async () => {
    const alone = await estimateStrength('FreePassageOlga2024');
    const withInputs = await estimateStrength('FreePassageOlga2024', ['Free Passage', 'FreePassage', 'Olga']);
    expect(withInputs.guessesLog10).toBeLessThan(alone.guessesLog10);
  });

  it('refuses, in order: empty, too short, too weak, not confirmed', () => {
    const strong = { score: 4 as const, guessesLog10: 20 };
    expect(passphraseProblem('', '', null)).toBe('empty');
    expect(passphraseProblem('short one', 'short one', strong)).toBe('tooShort');
    expect(passphraseProblem('long enough but weak', 'long enough but weak', { score: 2, guessesLog10: 7 })).toBe('tooWeak');
    expect(passphraseProblem('long enough and strong', 'long enough and strong', null)).toBe('tooWeak');
    expect(passphraseProblem('long enough and strong', 'long enough and strang', strong)).toBe('mismatch');
    expect(passphraseProblem('long enough and strong', 'long enough and strong', strong)).toBeNull();
  });

  it('measures length in characters, not bytes or UTF-16 units', () => {
    const strong = { score: 4 as const, guessesLog10: 20 };
    // 11 Cyrillic letters are 22 bytes in UTF-8 but still too short.
    expect(passphraseProblem('абвгдеёжзий', 'абвгдеёжзий', strong)).toBe('tooShort');
    expect(passphraseProblem('абвгдеёжзийк', 'абвгдеёжзийк', strong)).toBeNull();
  });
});
