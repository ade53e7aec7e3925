/**
 * File throughput in the age format: the shipped CLI (`node dist/cli/main.js
 * age encrypt|decrypt -o <file>`) against the `age` tool on the same 1 GiB
 * file and recipient, each reading a file and writing a new file beside it
 * (deleted after each run), each timed as a whole process, start-up included,
 * best of `--reps` alternating runs (default 5); and against the openssl ceiling (`openssl
 * speed -evp chacha20-poly1305 -bytes 65536`). Peak memory is the CLI
 * process's own high-water resident set (workers included), read at its exit
 * by a preloaded probe.
 * Needs `npm run build` (npm install does it). Options: `--size-mib N`
 * (default 1024), `--reps N`.
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeIdentity, encodeRecipient, generateAgeKeyPair } from '../../src/core/crypto/age/index.js';
import { type Figure, note } from '../report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'dist/cli/main.js');

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
function timed(command: string, args: string[]): number {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return seconds;
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
  const reps = option(args, '--reps', 5);
  if (!existsSync(cli)) throw new Error(`bench file: ${cli} is missing; run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'clearing-bench-file-'));
  try {
    const keys = generateAgeKeyPair();
    const recipient = encodeRecipient(keys.publicKey);
    const identityFile = join(dir, 'key.txt');
    writeFileSync(identityFile, `${encodeIdentity(keys.privateKey)}\n`);
    // Writes the CLI's peak resident set (KiB) to a file as it exits. Its own memory's high-water mark
    // (VmHWM): getrusage's maxRSS would also count this bench process, which the child was forked from.
    const probe = join(dir, 'rss-probe.mjs');
    const rssFile = join(dir, 'rss.txt');
    writeFileSync(
      probe,
      `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => {
  let kib = process.resourceUsage().maxRSS;
  try { kib = Number(/^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
  writeFileSync(${JSON.stringify(rssFile)}, String(kib));
});
`,
    );
    const plain = join(dir, 'plain.bin');
    note(`bench file: writing ${mib} MiB of random data to ${plain}`);
    writeRandomFile(plain, mib);
    // Flush the new file's dirty pages now, so write-back does not compete with the timed runs.
    spawnSync('sync');
    const haveAge = ageAvailable();
    if (!haveAge) note('bench file: the `age` tool is missing (apt-get install age); age references are null');
    const output = join(dir, 'out.bin');
    // A deleted gigabyte is freed (and the journal committed) before the next run starts, not during it.
    const settle = (): void => {
      rmSync(output, { force: true });
      spawnSync('sync');
    };
    const ours = (args: string[]): { seconds: number; rssMiB: number } => {
      const seconds = timed(process.execPath, ['--import', probe, cli, 'age', ...args]);
      const rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      settle();
      return { seconds, rssMiB };
    };
    const theirs = (args: string[]): number => {
      const seconds = timed('age', args);
      settle();
      return seconds;
    };

    /**
     * `reps` runs of Clearing and age, alternating which goes first so both see the same page cache
     * and machine load; returns every time and Clearing's peak memory.
     */
    const compare = (label: string, oursArgs: string[], ageArgs: string[]): { ours: number[]; age: number[]; rssMiB: number } => {
      const result = { ours: [] as number[], age: [] as number[], rssMiB: 0 };
      for (let r = 0; r < reps; r++) {
        const reference = (): void => {
          if (haveAge) result.age.push(theirs(ageArgs));
        };
        if (r % 2 === 1) reference();
        const o = ours(oursArgs);
        if (r % 2 === 0) reference();
        result.ours.push(o.seconds);
        result.rssMiB = Math.max(result.rssMiB, o.rssMiB);
        note(
          `bench file: ${label} run ${r + 1}: clearing ${o.seconds.toFixed(3)} s (peak RSS ${o.rssMiB.toFixed(0)} MiB)${haveAge ? `, age ${result.age.at(-1)!.toFixed(3)} s` : ''}`,
        );
      }
      return result;
    };
    const enc = compare('encrypt', ['encrypt', '-r', recipient, '-o', output, plain], ['-r', recipient, '-o', output, plain]);

    // Decryption of one file written by the reference tool when present (else by us).
    const sealed = join(dir, 'sealed.age');
    if (haveAge) timed('age', ['-r', recipient, '-o', sealed, plain]);
    else timed(process.execPath, [cli, 'age', 'encrypt', '-r', recipient, '-o', sealed, plain]);
    spawnSync('sync');
    rmSync(plain);
    const dec = compare('decrypt', ['decrypt', '-i', identityFile, '-o', output, sealed], ['-d', '-i', identityFile, '-o', output, sealed]);
    rmSync(sealed);

    const openssl = opensslCeiling();
    const rate = (seconds: number): number => mib / seconds;
    const best = (runs: number[]): number => Math.min(...runs);
    const encRate = rate(best(enc.ours));
    return [
      { bench: 'crypto.file_encrypt', value: encRate, unit: 'MiB/s', reference: 'age', reference_value: haveAge ? rate(best(enc.age)) : null },
      { bench: 'crypto.file_decrypt', value: rate(best(dec.ours)), unit: 'MiB/s', reference: 'age', reference_value: haveAge ? rate(best(dec.age)) : null },
      {
        bench: 'crypto.file_encrypt_vs_openssl',
        value: encRate,
        unit: 'MiB/s',
        reference: 'openssl speed -evp chacha20-poly1305 -bytes 65536',
        reference_value: openssl,
      },
      { bench: 'crypto.file_encrypt_rss', value: enc.rssMiB, unit: 'MiB', reference: null, reference_value: null },
      { bench: 'crypto.file_decrypt_rss', value: dec.rssMiB, unit: 'MiB', reference: null, reference_value: null },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
