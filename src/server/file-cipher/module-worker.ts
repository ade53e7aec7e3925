/**
 * Starts a worker thread on a module that sits beside its caller. Built, that
 * is a .js file Node loads as it is; run from source (tsx, vitest) it is a .ts
 * file, loaded through tsx's module hooks, which the worker registers first.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxHooks: string | undefined;

/** tsx's ESM registration entry, found through its package's export map. */
function tsxEntry(from: string): string {
  if (!tsxHooks) {
    const require = createRequire(from);
    const manifest = require.resolve('tsx/package.json');
    const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
    tsxHooks = pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
  }
  return tsxHooks;
}

/** `name` without extension, next to `callerUrl` (the caller's import.meta.url). */
export function startModuleWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const url = new URL(`./${name}${fromSource ? '.ts' : '.js'}`, callerUrl);
  if (!fromSource) return new Worker(url, options);
  const source = `import(${JSON.stringify(tsxEntry(callerUrl))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(source, { ...options, eval: true });
}
