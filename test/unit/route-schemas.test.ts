import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One schema source per endpoint (decision 0014): routes name schemas from
 * src/core/api and write no JSON Schema of their own, so a request or response
 * shape cannot drift from the type the web app and tests use.
 */
const httpDir = resolve(import.meta.dirname, '../../src/server/http');
const files = [...readdirSync(join(httpDir, 'routes')).map((f) => join(httpDir, 'routes', f)), join(httpDir, 'schemas.ts')].filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
);

describe('route schemas', () => {
  it('come from src/core/api: no route file writes a JSON Schema type of its own', () => {
    const inline = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${file.slice(httpDir.length + 1)}:${i + 1}`, line }))
        .filter(({ line }) => /\btype:\s*['"[]|\benum:\s*\[|\bproperties:\s*\{/.test(line)),
    );
    expect(inline.map((l) => `${l.where}: ${l.line.trim()}`)).toEqual([]);
  });
});
