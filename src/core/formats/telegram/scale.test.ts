import { describe, expect, it } from 'vitest';
import { generateTelegramExport, TelegramExportParser } from './index.js';

/**
 * Size: memory stays flat while a large generated export streams through,
 * and a million messages parse in well under a minute. The figures printed
 * (messages/s, MB/s) are of the parser alone, the generator's time excluded.
 */
describe('at scale', () => {
  it('parses a 100,000-message export chunk by chunk with the heap bounded', () => {
    const parser = new TelegramExportParser();
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let messages = 0;
    let chunks = 0;
    for (const chunk of generateTelegramExport({ messages: 100_000, seed: 2 })) {
      for (const event of parser.write(chunk)) if (event.kind === 'message') messages++;
      if (++chunks % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(parser.end().messages).toBe(100_000);
    expect(messages).toBe(100_000);
    // About 50 MB of JSON went through; holding it (or its messages) would take far more than this.
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });

  it('parses a 1,000,000-message export (about 500 MB) in well under a minute', () => {
    const parser = new TelegramExportParser();
    let bytes = 0;
    let messages = 0;
    let parsing = 0;
    const started = performance.now();
    for (const chunk of generateTelegramExport({ messages: 1_000_000, seed: 3, chunkBytes: 256 * 1024 })) {
      bytes += chunk.length;
      const t = performance.now();
      for (const event of parser.write(chunk)) if (event.kind === 'message') messages++;
      parsing += performance.now() - t;
    }
    const t = performance.now();
    const summary = parser.end();
    parsing += performance.now() - t;
    const total = (performance.now() - started) / 1000;
    expect(summary.messages).toBe(1_000_000);
    expect(messages).toBe(1_000_000);
    const seconds = parsing / 1000;
    console.info(
      `1,000,000 messages, ${(bytes / 1e6).toFixed(0)} MB: parsed in ${seconds.toFixed(1)} s ` +
        `(${Math.round(messages / seconds)} messages/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s); ${total.toFixed(1)} s with generation`,
    );
    expect(total).toBeLessThan(60);
  }, 120_000);
});
