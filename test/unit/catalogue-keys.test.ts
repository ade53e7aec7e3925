import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../src/core/i18n/index.js';

/**
 * No catalogue carries words nothing shows. A key counts as used when its full
 * path appears in the code (`t('members.title')`, `catalogs.en.members.title`),
 * when a template builds it (`t(\`members.roles.${role}\`)`, the CLI's
 * `t(\`auditKind_${kind}\`)`), or, for the CLI's flat block, when its name appears
 * quoted. Error codes are checked against the list of codes instead
 * (src/core/i18n/catalogs.test.ts).
 */
const root = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path.startsWith(join(root, 'src/core/i18n'))) return [];
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|tsx|mjs)$/.test(name) ? [path] : [];
  });
}

function paths(value: unknown, prefix = ''): string[] {
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => (typeof v === 'string' ? [`${prefix}${key}`] : paths(v, `${prefix}${key}.`)));
}

function used(path: string, code: string): boolean {
  if (code.includes(path)) return true;
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) if (code.includes(`${parts.slice(0, i).join('.')}.\${`)) return true;
  const leaf = parts.at(-1)!;
  for (let i = 1; i < leaf.length; i++) if (code.includes(`\`${leaf.slice(0, i)}\${`)) return true;
  return parts[0] === 'cli' && code.includes(`'${leaf}'`);
}

describe('catalogue keys', () => {
  it('every key is used somewhere', () => {
    const code = [...files(join(root, 'src')), ...files(join(root, 'test'))].map((f) => readFileSync(f, 'utf8')).join('\n');
    const unused = paths(catalogs.en).filter((p) => !p.startsWith('errors.') && !used(p, code));
    expect(unused).toEqual([]);
  });

  it('every literal key the web app asks for exists, so no page shows a raw key', () => {
    const known = new Set(paths(catalogs.en));
    const missing: string[] = [];
    for (const file of files(join(root, 'src/web'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        if (!known.has(m[1]!)) missing.push(`${file.slice(root.length + 1)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
