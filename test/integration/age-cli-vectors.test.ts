/**
 * Every age conformance vector through `clearing age decrypt`, as a verifier
 * runs it: the stable code on stderr and the exit status name the outcome,
 * stdout carries exactly the plaintext released before any failure, and with
 * --output a failure leaves no file behind.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ageExitCodes } from '../../src/cli/commands/age.js';
import type { AgeErrorCode } from '../../src/core/index.js';
import { loadAgeVectors, outcomeCodes, type AgeVector } from '../support/age-vectors.js';
import { clearingAge, inBatches, type ProcessResult } from '../support/age-tool.js';

const dir = mkdtempSync(join(tmpdir(), 'clearing-age-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every vector, the hybrid post-quantum one (armor_hybrid) included.
const vectors = loadAgeVectors();
const emptyHash = createHash('sha256').digest('hex');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function files(vector: AgeVector): { input: string; identity: string } {
  const input = join(dir, `${vector.name}.age`);
  const identity = join(dir, `${vector.name}.key`);
  writeFileSync(input, vector.file);
  // A vector without an identity still needs a key file; a fresh one matches nothing.
  const keys = vector.identities.length > 0 ? vector.identities : ['AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX'];
  writeFileSync(identity, `# ${vector.name}\n${keys.join('\n')}\n`);
  return { input, identity };
}

function expectOutcome(vector: AgeVector, result: ProcessResult, released: Uint8Array): void {
  if (vector.expect === 'success') {
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  } else {
    const code = outcomeCodes[vector.expect] as AgeErrorCode;
    expect(result.stderr.split(':')[0]).toBe(code);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.status).toBe(ageExitCodes[code]);
  }
  expect(sha(released)).toBe(vector.payload ?? emptyHash);
}

describe('age conformance vectors through `clearing age decrypt`', () => {
  // One process per vector; start-up dominates, so a few run at once.
  describe.concurrent('each vector', () => {
    for (const vector of vectors) {
      it(`${vector.name}: ${vector.expect}, exactly the expected plaintext on stdout`, async () => {
        const { input, identity } = files(vector);
        const result = await clearingAge(['decrypt', '--identity', identity, input]);
        expectOutcome(vector, result, result.stdout);
      });
    }
  });

  it('covers the whole vector set', () => {
    expect(vectors.length).toBeGreaterThan(60);
  });

  it('with --output, writes the file only on success and leaves nothing behind on any failure', async () => {
    // One vector per outcome, plus a payload failure that released plaintext before failing.
    const picked = new Map<string, AgeVector>();
    for (const v of vectors) if (!picked.has(v.expect)) picked.set(v.expect, v);
    const partial = vectors.find((v) => v.expect === 'payload failure' && v.payload !== undefined && v.payload !== emptyHash);
    if (partial) picked.set('partial', partial);
    const results = await inBatches(
      [...picked.values()].map((vector) => async () => {
        const { input, identity } = files(vector);
        const output = join(dir, `${vector.name}.out`);
        const result = await clearingAge(['decrypt', '-i', identity, '--output', output, input]);
        return { vector, result, output };
      }),
      3,
    );
    for (const { vector, result, output } of results) {
      expect(result.stdout.length, vector.name).toBe(0);
      if (vector.expect === 'success') {
        expect(sha(readFileSync(output)), vector.name).toBe(vector.payload);
      } else {
        expect(existsSync(output), `${vector.name} left ${output}`).toBe(false);
        expect(result.stderr.split(':')[0]).toBe(outcomeCodes[vector.expect]);
      }
    }
    // No temporary file survives either.
    expect(readdirSync(dir).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('reads the file from stdin when no input is given, armored or not', async () => {
    const armored = vectors.find((v) => v.armored && v.expect === 'success')!;
    const binary = vectors.find((v) => !v.armored && v.expect === 'success' && v.payload !== emptyHash)!;
    for (const vector of [armored, binary]) {
      const { identity } = files(vector);
      const result = await clearingAge(['decrypt', '-i', identity], vector.file);
      expectOutcome(vector, result, result.stdout);
    }
  });

  it('names an unreadable identity file and a missing input with their own codes', async () => {
    const vector = vectors.find((v) => v.expect === 'success')!;
    const { input } = files(vector);
    const badKey = join(dir, 'bad.key');
    writeFileSync(badKey, 'not a key\n');
    const wrongKey = await clearingAge(['decrypt', '-i', badKey, input]);
    expect(wrongKey.stderr.split(':')[0]).toBe('AGE_IDENTITY');
    expect(wrongKey.status).toBe(ageExitCodes.AGE_IDENTITY);
    const missing = await clearingAge(['decrypt', '-i', badKey.replace('bad', 'missing'), input]);
    expect(missing.stderr.split(':')[0]).toBe('AGE_IO');
  });
});
