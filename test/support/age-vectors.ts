/**
 * Loads the age conformance vectors (C2SP CCTV format, see
 * test/fixtures/age-vectors/README.md): `key: value` lines, a blank line, then
 * the age file, zlib-compressed when the header says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';

export const ageVectorDir = resolve(import.meta.dirname, '../fixtures/age-vectors');

export type AgeOutcome = 'success' | 'no match' | 'HMAC failure' | 'header failure' | 'payload failure' | 'armor failure';

/** The stable code each outcome must end in; success has none. */
export const outcomeCodes: Record<Exclude<AgeOutcome, 'success'>, string> = {
  'no match': 'AGE_NO_MATCH',
  'HMAC failure': 'AGE_HMAC',
  'header failure': 'AGE_HEADER',
  'payload failure': 'AGE_PAYLOAD',
  'armor failure': 'AGE_ARMOR',
};

export interface AgeVector {
  readonly name: string;
  readonly expect: AgeOutcome;
  /** SHA-256 hex of the plaintext released; absent means nothing may be released. */
  readonly payload: string | undefined;
  readonly identities: readonly string[];
  readonly armored: boolean;
  readonly comment: string | undefined;
  /** The age file itself, decompressed. */
  readonly file: Uint8Array;
}

export function parseAgeVector(name: string, raw: Uint8Array): AgeVector {
  let split = -1;
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] === 0x0a && raw[i + 1] === 0x0a) {
      split = i;
      break;
    }
  }
  if (split < 0) throw new Error(`${name}: no blank line after the vector header`);
  const fields = new Map<string, string[]>();
  for (const line of new TextDecoder().decode(raw.subarray(0, split)).split('\n')) {
    const at = line.indexOf(': ');
    if (at < 0) throw new Error(`${name}: malformed line ${JSON.stringify(line)}`);
    const key = line.slice(0, at);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(at + 2)]);
  }
  const one = (key: string): string | undefined => fields.get(key)?.[0];
  let file = raw.subarray(split + 2);
  if (one('compressed') === 'zlib') file = new Uint8Array(inflateSync(file));
  else if (one('compressed') !== undefined) throw new Error(`${name}: unknown compression ${one('compressed')}`);
  const expect = one('expect') as AgeOutcome | undefined;
  if (!expect || !(expect === 'success' || expect in outcomeCodes)) throw new Error(`${name}: unknown expect ${expect}`);
  return {
    name,
    expect,
    payload: one('payload'),
    identities: fields.get('identity') ?? [],
    armored: one('armored') === 'yes',
    comment: one('comment'),
    file,
  };
}

export function loadAgeVectors(dir = ageVectorDir): AgeVector[] {
  return readdirSync(dir)
    .filter((name) => name !== 'README.md' && !name.startsWith('.'))
    .sort()
    .map((name) => parseAgeVector(name, new Uint8Array(readFileSync(join(dir, name)))));
}
