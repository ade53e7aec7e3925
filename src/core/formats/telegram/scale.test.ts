import { describe, expect, it } from 'vitest';
import { generateTelegramExport, TelegramExportParser } from './index.js';

/**
 * Size: memory stays flat while a large generated export streams through.
 * Speed is a benchmark's business, not a unit test's (a million messages
 * belong in `npm run bench -- evidence`).
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
});
