/**
 * `clearing age decrypt` and `clearing age encrypt`: the age tool's `-d -i` and
 * `-r` for verifiers who have nothing else installed. Failures print one
 * stable code per outcome on stderr (and exit with a distinct status), so a
 * script can tell a wrong key from a damaged file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fstatSync, openSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { isatty } from 'node:tty';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
// Core's age module and error type only, not its whole index: `clearing age` starts in a fraction of the time.
import {
  ageMessages,
  decodeAnyIdentity,
  decodeAnyRecipient,
  decryptFile,
  encryptFile,
  isAgeError,
  type AgeErrorCode,
  type AgeIdentity,
  type ByteSource,
  type ChunkAead,
} from '../../core/crypto/age/index.js';
import { isClearingError } from '../../core/errors/index.js';
import type { WorkerChunkAead } from '../../server/file-cipher/index.js';

/** The Node adapters (native cipher, worker pool, file I/O), loaded only when a file is processed. */
const nodeCrypto = () => import('../../server/file-cipher/index.js');
import { language, t } from '../i18n.js';

/** Exit status per outcome; 1 is anything unexpected, 2 is commander's usage error. */
export const ageExitCodes: Record<AgeErrorCode, number> = {
  AGE_HEADER: 3,
  AGE_NO_MATCH: 4,
  AGE_HMAC: 5,
  AGE_PAYLOAD: 6,
  AGE_ARMOR: 7,
  AGE_IDENTITY: 8,
  AGE_RECIPIENT: 9,
  AGE_IO: 10,
};

/** Files this large get a progress bar. */
const progressThreshold = 64 * 1024 * 1024;

/** Below this, starting worker threads costs more than it saves. */
const workerThreshold = 8 * 1024 * 1024;

class AgeCliError extends Error {
  constructor(
    readonly code: AgeErrorCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function report(error: unknown): void {
  let code: AgeErrorCode | undefined;
  let detail = '';
  if (error instanceof AgeCliError) {
    code = error.code;
    detail = error.detail;
  } else if (isAgeError(error)) {
    code = error.code;
  }
  if (code) {
    const words = (ageMessages[language === 'ru' ? 'ru' : 'en'] ?? ageMessages.en)[code];
    process.stderr.write(`${code}: ${words}${detail ? ` (${detail})` : ''}\n`);
    process.exitCode = ageExitCodes[code];
    return;
  }
  const message = isClearingError(error) || error instanceof Error ? error.message : String(error);
  process.stderr.write(`clearing age: ${message}\n`);
  process.exitCode = 1;
}

function ioError(error: unknown, path: string): AgeCliError {
  const reason = (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : 'error');
  return new AgeCliError('AGE_IO', `${path}: ${reason}`);
}

/**
 * Reads an identity file as age does: one AGE-SECRET-KEY-1… (X25519) or
 * AGE-SECRET-KEY-PQ-1… (hybrid post-quantum) per line, `#` comments and blank lines ignored.
 */
export function readIdentityFile(path: string): AgeIdentity[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw ioError(error, path);
  }
  const keys: AgeIdentity[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      keys.push(decodeAnyIdentity(line));
    } catch {
      throw new AgeCliError('AGE_IDENTITY', path);
    }
  }
  if (keys.length === 0) throw new AgeCliError('AGE_IDENTITY', `${path}: no identity`);
  return keys;
}

interface Input {
  readonly source: ByteSource;
  readonly size: number | null;
  close(): Promise<void>;
}

async function openInput(path: string | undefined): Promise<Input> {
  if (path === undefined || path === '-') return { source: process.stdin, size: null, close: async () => undefined };
  try {
    // Read straight into the cipher's buffers; a failure to open is AGE_IO before any output exists.
    const { openFileSource } = await nodeCrypto();
    const source = await openFileSource(path, { blocking: true });
    return { source, size: source.size, close: () => source.close() };
  } catch (error) {
    throw ioError(error, path);
  }
}

/** A regular file's size, or null for standard input, devices, pipes and paths that cannot be read. */
function regularFileSize(path: string | undefined): number | null {
  if (path === undefined || path === '-') return null;
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.size : null;
  } catch {
    return null;
  }
}

/** A bar on stderr for long runs (large files, stderr a terminal), counting MiB of `total`. */
async function progressBar(total: number | null): Promise<((done: number) => void) & { stop(): void }> {
  const none = Object.assign((_done: number) => undefined, { stop: () => undefined });
  if (total === null || total < progressThreshold || !process.stderr.isTTY) return none;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ format: '[{bar}] {percentage}% {value}/{total} MiB', stream: process.stderr }, cliProgress.Presets.shades_classic);
  const mib = (n: number) => Math.round(n / 1048576);
  bar.start(mib(total), 0);
  return Object.assign((done: number) => bar.update(Math.min(mib(done), mib(total))), { stop: () => bar.stop() });
}

/** The output is about the size of the input, so the input's size is the bar's total. */
async function* withProgress(source: AsyncIterable<Uint8Array>, total: number | null): AsyncIterable<Uint8Array> {
  const bar = await progressBar(total);
  let done = 0;
  try {
    for await (const chunk of source) {
      done += chunk.byteLength;
      bar(done);
      yield chunk;
    }
  } finally {
    bar.stop();
  }
}

interface Cipher {
  readonly aead: ChunkAead;
  reclaim(buffer: ArrayBufferLike): void;
  close(): Promise<void>;
}

async function chooseAead(size: number | null): Promise<Cipher> {
  if (size !== null && size < workerThreshold) {
    const { nodeChunkAead } = await nodeCrypto();
    return { aead: nodeChunkAead, reclaim: (b) => nodeChunkAead.reclaim(b), close: async () => undefined };
  }
  const { createWorkerChunkAead } = await nodeCrypto();
  // The main thread reads and writes the stream; the workers get the other cores.
  const pool: WorkerChunkAead = createWorkerChunkAead({ threads: Math.max(1, availableParallelism() - 1) });
  return { aead: pool, reclaim: (b) => pool.reclaim(b), close: () => pool.close() };
}

/**
 * Where the result goes. A regular file is written as a temporary file in the
 * same directory and renamed into place only on success, so a failed run
 * leaves no file; its chunks may be written at their own positions, in any
 * order. Anything else that exists (a device such as /dev/null, a pipe) is
 * written to directly, in order.
 */
interface Output {
  readonly fd: number;
  /** Chunks may be written at positions, out of order: a fresh regular file. */
  readonly positional: boolean;
  commit(): void;
  abort(): void;
}

/** Whether `path` will be written as a fresh regular file: it does not exist yet, or is one. */
function freshFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}

function openOutput(path: string): Output {
  if (!freshFileTarget(path)) {
    try {
      const fd = openSync(path, 'w');
      return { fd, positional: false, commit: () => closeSync(fd), abort: () => closeSync(fd) };
    } catch (error) {
      throw ioError(error, path);
    }
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (error) {
    throw ioError(error, path);
  }
  return {
    fd,
    positional: true,
    commit() {
      closeSync(fd);
      renameSync(temp, path);
    },
    abort() {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    },
  };
}

/** I/O failures name the path; age's own errors pass through. */
function asCliError(error: unknown, path: string): unknown {
  if (isAgeError(error) || error instanceof AgeCliError) return error;
  if ((error as { code?: unknown } | undefined)?.code === 'INPUT_CHANGED') return new AgeCliError('AGE_IO', `${path}: ${(error as Error).message}`);
  if (error instanceof Error && 'code' in error && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
    // A failure to open the input names the input, not the output.
    return ioError(error, (error as NodeJS.ErrnoException).path ?? path);
  }
  return error;
}

/** Writes `source` in order to standard output or to `output`. */
async function emit(source: AsyncIterable<Uint8Array>, output: string | undefined, cipher: Cipher): Promise<void> {
  const reclaim = (b: ArrayBufferLike): void => cipher.reclaim(b);
  const { writeChunks } = await nodeCrypto();
  if (output === undefined || output === '-') {
    await writeChunks(source, process.stdout, { reclaim });
    return;
  }
  const target = openOutput(output);
  // A deep write buffer lets writes overlap ciphering instead of waiting on each 'drain'.
  const sink = createWriteStream('', { fd: target.fd, autoClose: false, highWaterMark: 4 << 20 });
  try {
    await writeChunks(source, sink, { reclaim });
    sink.end();
    await once(sink, 'finish');
    target.commit();
  } catch (error) {
    sink.destroy();
    target.abort();
    throw asCliError(error, output);
  }
}

/**
 * Whether a descriptor takes the workers' plain, blocking writes in order: a
 * regular file (standard output redirected with `>`) or a character device
 * such as /dev/null. Pipes, sockets and terminals are left to the stream,
 * whose writes respect their flow control.
 */
function takesOrderedWrites(fd: number): boolean {
  const stats = fstatSync(fd);
  return stats.isFile() || (stats.isCharacterDevice() && !isatty(fd));
}

/**
 * From a regular file, every core works on its own chunks (encryptFileAt /
 * decryptFileAt): into a fresh regular file at their places, or appended in
 * order to standard output or a device. Returns false, having done nothing,
 * when the output is neither (a pipe, a terminal); the caller then streams.
 */
async function fromFile(
  output: string | undefined,
  size: number,
  run: (fd: number, options: { onProgress: (done: number) => void; ordered: boolean; threads?: number }) => Promise<void>,
): Promise<boolean> {
  const toStdout = output === undefined || output === '-';
  let target: Output;
  if (toStdout) {
    if (!takesOrderedWrites(1)) return false;
    target = { fd: 1, positional: false, commit: () => undefined, abort: () => undefined };
  } else if (freshFileTarget(output)) {
    target = openOutput(output);
  } else {
    // A pipe is never opened here: opening and closing it would end its reader's input.
    if (!statSync(output).isCharacterDevice()) return false;
    const device = openOutput(output);
    if (!takesOrderedWrites(device.fd)) {
      device.abort();
      return false;
    }
    target = device;
  }
  const bar = await progressBar(size);
  try {
    const ordered = !target.positional;
    // Appending to a regular file from two threads in turn made the kernel's page-cache copies slower
    // here than one thread appending alone (1 GiB: about 2.4 s against 1.3 s), so one worker appends.
    const appending = ordered && fstatSync(target.fd).isFile() ? { threads: 1 } : {};
    await run(target.fd, { onProgress: bar, ordered, ...appending });
    bar.stop();
    target.commit();
    return true;
  } catch (error) {
    bar.stop();
    target.abort();
    throw asCliError(error, toStdout ? 'stdout' : output);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerAgeCommands(program: Command): void {
  const age = program
    .command('age')
    .description(t('ageDescription'))
    .addHelpText(
      'after',
      `\n${t('ageExitCodes')}\n${Object.entries(ageExitCodes)
        .map(([code, status]) => `  ${status}  ${code}`)
        .join('\n')}`,
    );

  age
    .command('decrypt')
    .description(t('ageDecryptDescription'))
    .requiredOption('-i, --identity <file>', t('ageOptIdentity'), collect, [] as string[])
    .option('-o, --output <file>', t('ageOptOutput'))
    .argument('[input]', t('ageArgDecryptInput'))
    .action(async (input: string | undefined, options: { identity: string[]; output?: string }) => {
      let close = async (): Promise<void> => undefined;
      let opened: Input | undefined;
      try {
        const identities = options.identity.flatMap(readIdentityFile);
        const size = regularFileSize(input);
        if (size !== null && size >= workerThreshold) {
          const crypto = await nodeCrypto();
          // An input that cannot be read is left to the stream, which reports it as AGE_IO.
          const binary = ((): boolean => {
            try {
              return crypto.isBinaryAgeFile(input!);
            } catch {
              return false;
            }
          })();
          if (binary) {
            const done = await fromFile(options.output, size, (fd, how) => crypto.decryptFileAt(input!, fd, identities, how));
            if (done) return;
          }
        }
        opened = await openInput(input);
        const cipher = await chooseAead(opened.size);
        close = cipher.close;
        await emit(withProgress(decryptFile(opened.source, identities, { aead: cipher.aead }), opened.size), options.output, cipher);
      } catch (error) {
        report(error);
      } finally {
        await opened?.close();
        await close();
      }
    });

  age
    .command('encrypt')
    .description(t('ageEncryptDescription'))
    .requiredOption('-r, --recipient <age1…>', t('ageOptRecipient'), collect, [] as string[])
    .option('-a, --armor', t('ageOptArmor'))
    .option('-o, --output <file>', t('ageOptOutput'))
    .argument('[input]', t('ageArgEncryptInput'))
    .action(async (input: string | undefined, options: { recipient: string[]; armor?: boolean; output?: string }) => {
      let close = async (): Promise<void> => undefined;
      let opened: Input | undefined;
      try {
        const recipients = options.recipient.map((r) => {
          try {
            return decodeAnyRecipient(r);
          } catch {
            throw new AgeCliError('AGE_RECIPIENT', r);
          }
        });
        if (!options.armor && (options.output === undefined || options.output === '-') && process.stdout.isTTY) {
          throw new AgeCliError('AGE_IO', 'refusing to write binary to a terminal; use --armor or --output');
        }
        const size = regularFileSize(input);
        if (size !== null && size >= workerThreshold && !options.armor) {
          const crypto = await nodeCrypto();
          const done = await fromFile(options.output, size, (fd, how) => crypto.encryptFileAt(input!, fd, recipients, how));
          if (done) return;
        }
        opened = await openInput(input);
        const cipher = await chooseAead(opened.size);
        close = cipher.close;
        await emit(
          withProgress(encryptFile(opened.source, recipients, { aead: cipher.aead, armor: options.armor === true }), opened.size),
          options.output,
          cipher,
        );
      } catch (error) {
        report(error);
      } finally {
        await opened?.close();
        await close();
      }
    });
}
