#!/usr/bin/env node
// Builds everything `npm start` runs: the server and CLI (tsc → dist/), their SQL
// migrations, and the web app (Vite → dist/web). Runs on `npm install` (prepare).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, command, args) {
  process.stderr.write(`build: ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${label} failed\n`);
    process.exit(result.status ?? 1);
  }
}

/**
 * The native chunk cipher (src/server/file-cipher/native): a few lines of C over the
 * OpenSSL inside Node. Without a compiler or Node's headers the build goes on
 * and Clearing uses node:crypto instead, only slower; `clearing doctor` says so.
 */
function buildNativeCipher() {
  const dir = join(root, 'src/server/file-cipher/native');
  const nodeGyp = process.env.npm_config_node_gyp || join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
  const args = [nodeGyp, 'rebuild', '--directory', dir, '--loglevel', 'error'];
  // Node's headers ship with it on most systems; node-gyp would otherwise download them.
  if (!process.env.npm_config_nodedir && existsSync(join(dirname(process.execPath), '../include/node/node_api.h'))) {
    args.push(`--nodedir=${join(dirname(process.execPath), '..')}`);
  }
  process.stderr.write('build: native chunk cipher (node-gyp)\n');
  const result = existsSync(nodeGyp) ? spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }) : { status: null };
  const built = join(dir, 'build/Release/chunk_cipher.node');
  const target = join(root, 'build/native/chunk_cipher.node');
  rmSync(target, { force: true });
  if (result.status === 0 && existsSync(built)) {
    mkdirSync(dirname(target), { recursive: true });
    cpSync(built, target);
    return;
  }
  process.stderr.write('build: WARNING the native chunk cipher did not build; large age files will be encrypted with node:crypto, about half as fast\n');
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
buildNativeCipher();
run('server and CLI (tsc)', bin('tsc'), ['-p', 'tsconfig.build.json']);
const migrations = join(root, 'dist/server/db/migrations');
mkdirSync(migrations, { recursive: true });
cpSync(join(root, 'src/server/db/migrations'), migrations, { recursive: true });
run('web app (vite)', bin('vite'), ['build', '--config', 'src/web/vite.config.ts', '--logLevel', 'error']);
// `npx clearing` looks in node_modules/.bin; npm links only dependencies' bins there, not the project's own.
const cli = join(root, 'dist/cli/main.js');
chmodSync(cli, 0o755);
const link = join(root, 'node_modules/.bin/clearing');
if (existsSync(join(root, 'node_modules/.bin'))) {
  rmSync(link, { force: true });
  symlinkSync('../../dist/cli/main.js', link);
}
process.stderr.write('build: done\n');
