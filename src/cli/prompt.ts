/**
 * Questions on the terminal: a passphrase without echo, a code with echo.
 * Without a terminal (a script, a test) the answers are read as lines from
 * standard input, one per question.
 */
import { CliFailure } from './fail.js';

let buffered = '';
let ended = false;
let waiting: (() => void) | null = null;
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    waiting?.();
  });
  process.stdin.on('end', () => {
    ended = true;
    waiting?.();
  });
}

/** The next line of piped standard input, without its line end. */
async function nextLine(): Promise<string> {
  listen();
  for (;;) {
    const at = buffered.indexOf('\n');
    if (at >= 0) {
      const line = buffered.slice(0, at).replace(/\r$/, '');
      buffered = buffered.slice(at + 1);
      if (buffered === '' && !ended) process.stdin.pause();
      return line;
    }
    if (ended) {
      if (buffered !== '') {
        const line = buffered;
        buffered = '';
        return line;
      }
      throw new CliFailure('inputEnded');
    }
    process.stdin.resume();
    await new Promise<void>((resolve) => {
      waiting = resolve;
    });
    waiting = null;
  }
}

/** Reads keys one by one with the echo off; Enter ends, Backspace deletes, Ctrl+C and Ctrl+D give up. */
function readHidden(): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let answer = '';
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const done = (error: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new CliFailure('inputEnded'));
        if (ch === '\u007f' || ch === '\b') answer = Array.from(answer).slice(0, -1).join('');
        else if (ch >= ' ') answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Asks on stderr (stdout stays for results) and returns the answer. */
export async function ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
  process.stderr.write(question);
  if (!process.stdin.isTTY) {
    const line = await nextLine();
    process.stderr.write('\n');
    return line;
  }
  if (options.secret) return readHidden();
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question('');
  } finally {
    rl.close();
  }
}
