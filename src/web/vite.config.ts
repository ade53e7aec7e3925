import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import sri from 'vite-plugin-sri-gen';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  // React without a plugin: Vite's own transform handles TSX with the automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [sri({ algorithm: 'sha384' })],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    // No inline module-preload polyfill: everything the page runs comes from a file with an integrity hash.
    modulePreload: { polyfill: false },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
