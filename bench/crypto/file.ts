/**
 * File throughput in the age format: Clearing against the `age` tool on the
 * same 1 GiB file and recipient, both reading a file and writing to /dev/null,
 * each timed as a whole process (start-up included, best of `--reps` runs);
 * and against the openssl ceiling (`openssl speed -evp chacha20-poly1305
 * -bytes 65536`). Clearing runs as plain JavaScript built from src with
 * esbuild, as the shipped CLI runs, with the worker-thread chunk cipher.
 * Options: `--size-mib N` (default 1024), `--reps N` (default 3).
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeIdentity, encodeRecipient, generateAgeKeyPair } from '../../src/core/crypto/age/index.js';
import { type Figure, note } from '../report.js';

const here = dirname(fileURLToPath(import.meta.url));

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

function writeRandomFile(path: string, mib: number): void {
  const block = Buffer.allocUnsafe(16 << 20);
  const fd = openSync(path, 'w');
  try {
    for (let left = mib << 20; left > 0; left -= block.length) {
      const n = Math.min(left, block.length);
      randomFillSync(block, 0, n);
      writeSync(fd, block, 0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** Wall-clock seconds of one process run; throws with its stderr if it fails. */
function timed(command: string, args: string[]): { seconds: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return { seconds, stdout: result.stdout };
}

/** Builds the child into one plain-JavaScript file, so no TypeScript loader sits in the measured process. */
async function buildChild(dir: string): Promise<string[]> {
  const entry = join(here, 'file-child.ts');
  try {
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    const outfile = join(dir, 'child.mjs');
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error' });
    return [outfile];
  } catch (error) {
    note(`bench file: esbuild unavailable (${(error as Error).message}); running the child under tsx, whose loader adds memory`);
    return ['--import', 'tsx', entry];
  }
}

function ageAvailable(): boolean {
  return spawnSync('age', ['--version']).status === 0;
}

/** OpenSSL's ChaCha20-Poly1305 rate at 64 KiB blocks, in MiB/s (it prints 1000s of bytes per second). */
function opensslCeiling(): number | null {
  const result = spawnSync('openssl', ['speed', '-seconds', '3', '-evp', 'chacha20-poly1305', '-bytes', '65536'], {
    encoding: 'utf8',
  });
  const line = result.stdout?.split('\n').find((l) => /^chacha20-poly1305\s/i.test(l.trim()));
  const k = line ? Number(/([\d.]+)k\s*$/.exec(line.trim())?.[1]) : NaN;
  if (!Number.isFinite(k)) {
    note(`bench file: could not read openssl speed output: ${result.stderr || result.stdout}`);
    return null;
  }
  return (k * 1000) / 1048576;
}

export async function run(args: string[]): Promise<Figure[]> {
  const mib = option(args, '--size-mib', 1024);
  const reps = option(args, '--reps', 3);
  const dir = mkdtempSync(join(tmpdir(), 'clearing-bench-file-'));
  try {
    const keys = generateAgeKeyPair();
    const recipient = encodeRecipient(keys.publicKey);
    const identityFile = join(dir, 'key.txt');
    writeFileSync(identityFile, `${encodeIdentity(keys.privateKey)}\n`);
    const plain = join(dir, 'plain.bin');
    note(`bench file: writing ${mib} MiB of random data to ${plain}`);
    writeRandomFile(plain, mib);
    // Flush the new file's dirty pages now, so write-back does not compete with the timed runs.
    spawnSync('sync');
    const child = await buildChild(dir);
    const haveAge = ageAvailable();
    if (!haveAge) note('bench file: the `age` tool is missing (apt-get install age); age references are null');

    const ours = (op: 'encrypt' | 'decrypt', input: string, key: string) => {
      const { seconds, stdout } = timed(process.execPath, [...child, op, input, '/dev/null', key]);
      const inner = JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number; maxRssMiB: number; baselineRssMiB: number };
      return { seconds, inner };
    };
    const best = (runs: number[]): number => Math.min(...runs);

    // Encryption: alternate the two tools so both see the same page cache and machine load.
    const encOurs: number[] = [];
    const encAge: number[] = [];
    let encRss = 0;
    let encInner = Infinity;
    for (let r = 0; r < reps; r++) {
      if (haveAge) encAge.push(timed('age', ['-r', recipient, '-o', '/dev/null', plain]).seconds);
      const o = ours('encrypt', plain, recipient);
      encOurs.push(o.seconds);
      encInner = Math.min(encInner, o.inner.seconds);
      encRss = Math.max(encRss, o.inner.maxRssMiB);
      note(`bench file: encrypt run ${r + 1}: clearing ${o.seconds.toFixed(3)} s (${o.inner.seconds.toFixed(3)} s inside, peak RSS ${o.inner.maxRssMiB.toFixed(0)} MiB, ${o.inner.baselineRssMiB.toFixed(0)} MiB at start)${haveAge ? `, age ${encAge.at(-1)!.toFixed(3)} s` : ''}`);
    }

    // Decryption of one file written by the reference tool when present (else by us).
    const sealed = join(dir, 'sealed.age');
    if (haveAge) timed('age', ['-r', recipient, '-o', sealed, plain]);
    else timed(process.execPath, [...child, 'encrypt', plain, sealed, recipient]);
    spawnSync('sync');
    rmSync(plain);
    const decOurs: number[] = [];
    const decAge: number[] = [];
    let decRss = 0;
    for (let r = 0; r < reps; r++) {
      if (haveAge) decAge.push(timed('age', ['-d', '-i', identityFile, '-o', '/dev/null', sealed]).seconds);
      const o = ours('decrypt', sealed, identityFile);
      decOurs.push(o.seconds);
      decRss = Math.max(decRss, o.inner.maxRssMiB);
      note(`bench file: decrypt run ${r + 1}: clearing ${o.seconds.toFixed(3)} s (${o.inner.seconds.toFixed(3)} s inside, peak RSS ${o.inner.maxRssMiB.toFixed(0)} MiB)${haveAge ? `, age ${decAge.at(-1)!.toFixed(3)} s` : ''}`);
    }
    rmSync(sealed);

    const openssl = opensslCeiling();
    const rate = (seconds: number): number => mib / seconds;
    const encRate = rate(best(encOurs));
    note(`bench file: ${mib} MiB; encrypt inside the process alone (no start-up) ${rate(encInner).toFixed(0)} MiB/s`);
    return [
      { bench: 'crypto.file_encrypt', value: encRate, unit: 'MiB/s', reference: 'age', reference_value: haveAge ? rate(best(encAge)) : null },
      { bench: 'crypto.file_decrypt', value: rate(best(decOurs)), unit: 'MiB/s', reference: 'age', reference_value: haveAge ? rate(best(decAge)) : null },
      {
        bench: 'crypto.file_encrypt_vs_openssl',
        value: encRate,
        unit: 'MiB/s',
        reference: 'openssl speed -evp chacha20-poly1305 -bytes 65536',
        reference_value: openssl,
      },
      { bench: 'crypto.file_encrypt_rss', value: encRss, unit: 'MiB', reference: null, reference_value: null },
      { bench: 'crypto.file_decrypt_rss', value: decRss, unit: 'MiB', reference: null, reference_value: null },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
