import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/server/index.js';

const root = projectRoot();
const cliArgs = ['--import', 'tsx', join(root, 'src/cli/main.ts')];

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `clearing <args>` from source, as a user would run it, and waits for it to exit. */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: Buffer | string; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [...cliArgs, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, CLEARING_LANGUAGE: 'en', ...options.env },
    input: options.input,
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts `clearing serve` as its own process and waits until it says where it listens. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...cliArgs, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
    cwd: root,
    env: { ...process.env, CLEARING_LANGUAGE: 'en', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout!.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /running at (http:\/\/[^\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`server exited with ${code}:\n${err}`), { stderr: err, code }));
    });
  });
  return { child, url, stderr: () => err, exited };
}
