/*
 * How strong a passphrase is, and whether we accept it. The passphrase is the
 * only thing between a seized server's copy of a key bundle and the member's
 * keys (Argon2id slows each guess, it cannot save a guessable passphrase), and
 * nobody can reset it, so the bar is high and the meter explains it. See
 * docs/decisions/0006-web-passphrase-strength.md.
 *
 * The dictionaries are bundled, not loaded with import(): a lazy chunk makes
 * the SRI plugin add an inline import map, which the strict CSP refuses.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  score: StrengthScore;
  /** log10 of the estimated number of guesses. */
  guessesLog10: number;
}

export const minimumPassphraseLength = 12;
/** zxcvbn's "very unguessable" is 4, "safely unguessable" 3. */
export const minimumScore: StrengthScore = 3;

export type PassphraseProblem = 'empty' | 'tooShort' | 'tooWeak' | 'mismatch';

/** The first reason a new passphrase is refused, or null when it is accepted. */
export function passphraseProblem(passphrase: string, confirmation: string, strength: Strength | null): PassphraseProblem | null {
  if (passphrase.length === 0) return 'empty';
  if ([...passphrase.normalize('NFKC')].length < minimumPassphraseLength) return 'tooShort';
  if (!strength || strength.score < minimumScore) return 'tooWeak';
  if (passphrase !== confirmation) return 'mismatch';
  return null;
}

let factory: ZxcvbnFactory | null = null;

/** Built on first use: ranking the dictionaries takes a moment that pages without a passphrase field need not pay. */
function checker(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
  return factory;
}

/** Names the person typed elsewhere on the form count against the passphrase (a passphrase made of them is weak). */
export async function estimateStrength(passphrase: string, userInputs: string[] = []): Promise<Strength> {
  const result = checker().check(
    passphrase.slice(0, 256),
    userInputs.filter((s) => s.trim() !== ''),
  );
  return { score: result.score as StrengthScore, guessesLog10: result.guessesLog10 };
}
