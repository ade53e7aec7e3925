/**
 * Interoperability with Debian's `age` both ways: files Clearing writes, `age -d`
 * opens; files `age -e` writes (binary, armored, empty, exactly one chunk,
 * several chunks), Clearing opens — through the core API and through the CLI.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ageChunkSize,
  decodeIdentity,
  decodeRecipient,
  decryptBytes,
  encodeIdentity,
  encodeRecipient,
  encryptBytes,
  generateAgeKeyPair,
  recipientOf,
} from '../../src/core/index.js';
import { createWorkerChunkAead, nodeChunkAead } from '../../src/server/file-cipher/index.js';
import { ageToolStatus, clearingAge, inBatches, repoRoot, run } from '../support/age-tool.js';
import { plaintextOf } from '../support/bytes.js';

const tool = ageToolStatus();
const sizes = [0, 1, 1000, ageChunkSize - 1, ageChunkSize, ageChunkSize + 1, 3 * ageChunkSize + 77];

let dir = '';
let identityFile = '';
let identity: Uint8Array = new Uint8Array(0);
let recipient = '';
const pool = createWorkerChunkAead({ threads: 2 });

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  if (!tool.available) return;
  dir = mkdtempSync(join(tmpdir(), 'clearing-age-interop-'));
  identityFile = join(dir, 'key.txt');
  const keygen = await run('age-keygen', ['-o', identityFile]);
  expect(keygen.status).toBe(0);
  const text = readFileSync(identityFile, 'utf8');
  identity = decodeIdentity(text.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!);
  recipient = /public key: (age1[0-9a-z]+)/.exec(text)![1]!;
});

afterAll(async () => {
  await pool.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!tool.available)(`age interoperability (${tool.reason})`, () => {
  it('derives the same recipient from an age-keygen identity as age-keygen prints', () => {
    expect(encodeRecipient(recipientOf(identity))).toBe(recipient);
    expect(decodeRecipient(recipient)).toEqual(recipientOf(identity));
  });

  it('writes files, binary and armored, that `age -d` decrypts', async () => {
    const cases = sizes.flatMap((size) => [false, true].map((armor) => ({ size, armor })));
    const results = await inBatches(
      cases.map(({ size, armor }) => async () => {
        const plaintext = plaintextOf(size);
        const aead = size > ageChunkSize ? pool : nodeChunkAead;
        const file = await encryptBytes(plaintext, [decodeRecipient(recipient)], { armor, aead });
        const path = join(dir, `ours-${size}-${armor}.age`);
        writeFileSync(path, file);
        const result = await run('age', ['-d', '-i', identityFile, path]);
        return { size, armor, status: result.status, stderr: result.stderr, same: sha(result.stdout) === sha(plaintext) };
      }),
      2,
    );
    for (const r of results) expect(r, `${r.size} bytes, armor ${r.armor}`).toMatchObject({ status: 0, same: true });
  });

  it('exports an identity that `age -d -i` accepts', async () => {
    const keys = generateAgeKeyPair();
    const path = join(dir, 'exported.txt');
    writeFileSync(path, `# exported compartment identity\n${encodeIdentity(keys.privateKey)}\n`);
    const file = join(dir, 'exported.age');
    writeFileSync(file, await encryptBytes(plaintextOf(5000), [keys.publicKey]));
    const result = await run('age', ['-d', '-i', path, file]);
    expect(result.status).toBe(0);
    expect(sha(result.stdout)).toBe(sha(plaintextOf(5000)));
  });

  it('decrypts files that `age -e` writes, binary and armored, through the core API', async () => {
    for (const size of sizes) {
      for (const armor of [false, true]) {
        const plaintext = plaintextOf(size);
        const result = await run('age', ['-e', '-r', recipient, ...(armor ? ['-a'] : [])], plaintext);
        expect(result.status).toBe(0);
        for (const aead of [nodeChunkAead, pool]) {
          const back = await decryptBytes(result.stdout, [identity], { aead });
          expect(sha(back), `${size} bytes, armor ${armor}`).toBe(sha(plaintext));
        }
      }
    }
  });

  it('decrypts files that `age -e` writes through `clearing age decrypt`, from a file and from stdin', async () => {
    const cases = [0, ageChunkSize, 3 * ageChunkSize + 77].flatMap((size) => [false, true].map((armor) => ({ size, armor })));
    const results = await inBatches(
      cases.map(({ size, armor }) => async () => {
        const plaintext = plaintextOf(size);
        const path = join(dir, `theirs-${size}-${armor}.age`);
        const enc = await run('age', ['-e', '-r', recipient, '-o', path, ...(armor ? ['-a'] : [])], plaintext);
        expect(enc.status).toBe(0);
        const fromFile = await clearingAge(['decrypt', '--identity', identityFile, path]);
        const fromStdin = await clearingAge(['decrypt', '-i', identityFile], readFileSync(path));
        return { size, armor, fromFile, fromStdin, expected: sha(plaintext) };
      }),
      2,
    );
    for (const r of results) {
      expect(r.fromFile.status, r.fromFile.stderr).toBe(0);
      expect(sha(r.fromFile.stdout)).toBe(r.expected);
      expect(r.fromStdin.status, r.fromStdin.stderr).toBe(0);
      expect(sha(r.fromStdin.stdout)).toBe(r.expected);
    }
  });

  it('`clearing age encrypt` writes files `age -d` decrypts, and --output appears only on success', async () => {
    const plaintext = plaintextOf(2 * ageChunkSize + 3);
    const input = join(dir, 'plain.bin');
    writeFileSync(input, plaintext);
    const output = join(dir, 'cli.age');
    const enc = await clearingAge(['encrypt', '-r', recipient, '--armor', '--output', output, input]);
    expect(enc.status, enc.stderr).toBe(0);
    expect(readFileSync(output, 'utf8')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    const dec = await run('age', ['-d', '-i', identityFile, output]);
    expect(sha(dec.stdout)).toBe(sha(plaintext));

    const bad = await clearingAge(['encrypt', '-r', 'age1notakey', '--output', join(dir, 'never.age'), input]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/^AGE_RECIPIENT: /);
    expect(existsSync(join(dir, 'never.age'))).toBe(false);
  });

  it('large files from file to file: `age -d` opens what `clearing age encrypt -o` writes, and the reverse; a damaged one leaves nothing', async () => {
    // Past the CLI's 8 MiB threshold, so both cores work on their own chunks.
    const plaintext = plaintextOf(9 * 1024 * 1024 + 12345);
    const input = join(dir, 'large.bin');
    writeFileSync(input, plaintext);
    const ours = join(dir, 'large-ours.age');
    const enc = await clearingAge(['encrypt', '-r', recipient, '-o', ours, input]);
    expect(enc.status, enc.stderr).toBe(0);
    const opened = await run('age', ['-d', '-i', identityFile, ours]);
    expect(opened.status, opened.stderr).toBe(0);
    expect(sha(opened.stdout)).toBe(sha(plaintext));

    const theirs = join(dir, 'large-theirs.age');
    expect((await run('age', ['-e', '-r', recipient, '-o', theirs, input])).status).toBe(0);
    const back = join(dir, 'large-back.bin');
    const dec = await clearingAge(['decrypt', '-i', identityFile, '-o', back, theirs]);
    expect(dec.status, dec.stderr).toBe(0);
    expect(sha(readFileSync(back))).toBe(sha(plaintext));

    const damaged = readFileSync(theirs);
    damaged[damaged.length - 5 * 65536]! ^= 1;
    const damagedPath = join(dir, 'large-damaged.age');
    writeFileSync(damagedPath, damaged);
    const failedOutput = join(dir, 'large-never.bin');
    const failed = await clearingAge(['decrypt', '-i', identityFile, '-o', failedOutput, damagedPath]);
    expect(failed.status).toBe(6);
    expect(failed.stderr).toMatch(/^AGE_PAYLOAD: /);
    expect(existsSync(failedOutput)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('writes to a device such as /dev/null in place, never replacing it', async () => {
    const input = join(dir, 'to-null.bin');
    writeFileSync(input, plaintextOf(9 * 1024 * 1024));
    const enc = await clearingAge(['encrypt', '-r', recipient, '-o', '/dev/null', input]);
    expect(enc.status, enc.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const sealed = join(dir, 'to-null.age');
    expect((await run('age', ['-e', '-r', recipient, '-o', sealed, input])).status).toBe(0);
    const dec = await clearingAge(['decrypt', '-i', identityFile, '-o', '/dev/null', sealed]);
    expect(dec.status, dec.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('large files to standard output redirected into a file: the same bytes as through a pipe, up to a damaged chunk', async () => {
    const plaintext = plaintextOf(9 * 1024 * 1024 + 777);
    const input = join(dir, 'redirect.bin');
    writeFileSync(input, plaintext);
    const sealed = join(dir, 'redirect.age');
    expect((await run('age', ['-e', '-r', recipient, '-o', sealed, input])).status).toBe(0);
    const damaged = readFileSync(sealed);
    damaged[damaged.length - 40 * 65552]! ^= 1;
    const damagedPath = join(dir, 'redirect-damaged.age');
    writeFileSync(damagedPath, damaged);

    for (const [file, status] of [
      [sealed, 0],
      [damagedPath, 6],
    ] as const) {
      // `clearing age decrypt … > out`: standard output is a regular file, so the chunks are read on every core and appended in order.
      const out = join(dir, 'redirected.bin');
      const fd = openSync(out, 'w');
      const redirected = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'age', 'decrypt', '-i', identityFile, file], {
          stdio: ['ignore', fd, 'ignore'],
        });
        child.on('close', resolve);
      });
      closeSync(fd);
      const piped = await clearingAge(['decrypt', '-i', identityFile, file]);
      expect(redirected).toBe(status);
      expect(piped.status).toBe(status);
      expect(sha(readFileSync(out))).toBe(sha(piped.stdout));
      if (status === 0) expect(sha(piped.stdout)).toBe(sha(plaintext));
      else {
        // Whole chunks before the damaged one, and not one byte more.
        const damagedChunk = Math.floor((damaged.length - 40 * 65552 - (damaged.length - plaintext.length - 145 * 16)) / 65552);
        expect(piped.stdout.equals(plaintext.subarray(0, damagedChunk * 65536))).toBe(true);
      }
    }
  });
});
