/**
 * Running the real `age` tool and `clearing age` from source in the age
 * integration suites. Output is kept binary (stdout is ciphertext or plaintext).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface ProcessResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export function run(command: string, args: readonly string[], input?: Uint8Array): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, CLEARING_LANGUAGE: 'en' } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout: Buffer.concat(out), stderr: err }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? undefined);
  });
}

/** `clearing age …` from source, as a verifier would run it from a clone. */
export function clearingAge(args: readonly string[], input?: Uint8Array): Promise<ProcessResult> {
  return run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'age', ...args], input);
}

/**
 * Whether Debian's `age` is installed. Under CI it must be (the suite fails);
 * elsewhere the interop tests are skipped with the reason printed.
 */
export function ageToolStatus(): { available: boolean; reason: string } {
  const probe = spawnSync('age', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return { available: true, reason: `age ${probe.stdout.trim()}` };
  const reason = 'the `age` tool is not installed (apt-get install age)';
  if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it for the interoperability tests`);
  process.stderr.write(`\n*** SKIPPING age interoperability tests: ${reason} ***\n\n`);
  return { available: false, reason };
}

/** Runs `tasks` with at most `limit` at once (process start-up dominates; the machine has two cores). */
export async function inBatches<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
