import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rule of docs/architecture.md: core is pure and isomorphic, so it may
 * import only itself and a short list of pure packages; web and cli never
 * import the server's internals except through the documented entry points.
 */
const root = resolve(import.meta.dirname, '../..');
const srcDir = join(root, 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+)?from\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) specs.push(m[1]!);
  return specs;
}

/** Packages core may use: pure, isomorphic, no I/O. */
const corePackages = [
  '@noble/curves',
  '@noble/ciphers',
  '@noble/hashes',
  '@noble/post-quantum',
  '@scure/base',
  'hash-wasm',
  'canonicalize',
  '@orama/stemmers',
  'wink-porter2-stemmer',
  'otpauth',
  'unhomoglyph',
  // Streaming unzip of handed-over exports (src/core/formats): pure JavaScript, no I/O.
  'fflate',
  // Request and response schemas (src/core/api): JSON Schema values with their types, no I/O.
  'typebox',
  // Tar archives over WHATWG streams (its default entry, not `modern-tar/fs`): case exports.
  'modern-tar',
];

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const domGlobals = /\b(window|document|localStorage|sessionStorage|navigator|process|Buffer|__dirname|require)\s*[.([]/;

describe('architecture', () => {
  const coreFiles = sourceFiles(join(srcDir, 'core'));

  it('finds the core sources', () => {
    expect(coreFiles.length).toBeGreaterThan(3);
  });

  for (const file of coreFiles) {
    const rel = relative(root, file);
    it(`${rel} imports only core and pure packages`, () => {
      const source = readFileSync(file, 'utf8');
      for (const spec of importsOf(source)) {
        if (spec.startsWith('.')) {
          const target = resolve(file, '..', spec);
          expect(target.startsWith(join(srcDir, 'core') + sep), `${rel} imports ${spec}, outside core`).toBe(true);
          continue;
        }
        expect(nodeBuiltins.has(spec), `${rel} imports the Node built-in ${spec}`).toBe(false);
        const allowed = corePackages.some((p) => spec === p || spec.startsWith(`${p}/`));
        expect(allowed, `${rel} imports ${spec}, which is not on core's list of pure packages`).toBe(true);
      }
    });
    it(`${rel} uses no Node or DOM globals`, () => {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
        .replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""');
      expect(code.match(domGlobals)?.[0], `${rel} touches a Node or DOM global`).toBeUndefined();
    });
  }

  for (const part of ['web', 'cli'] as const) {
    it(`${part} does not reach into the server's internals`, () => {
      let files: string[] = [];
      try {
        files = sourceFiles(join(srcDir, part));
      } catch {
        return;
      }
      for (const file of files) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          const target = relative(srcDir, resolve(file, '..', spec));
          if (part === 'web') expect(target.startsWith('server'), `${relative(root, file)} imports ${spec}`).toBe(false);
          if (part === 'cli' && target.startsWith('server')) {
            // The CLI starts the server and administers its database through the server's index; the
            // Node crypto adapters (native cipher, file I/O) have their own light entry for `clearing age`.
            const entries = [join('server', 'index.js'), join('server', 'file-cipher', 'index.js')];
            expect(entries.includes(target), `${relative(root, file)} imports ${spec}; use src/server/index.ts`).toBe(true);
          }
        }
      }
    });
  }

  it('the import scanner sees every form of import', () => {
    const sample = `import a from 'x1'; import { b } from "x2"; import type { C } from 'x3'; export * from 'x4'; const d = await import('x5'); import 'x6';`;
    expect(importsOf(sample).sort()).toEqual(['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
  });
});
