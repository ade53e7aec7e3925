/**
 * One timed run of Clearing's age encryption or decryption, file to file, in
 * its own process so its peak memory is its own. Built by file.ts into plain
 * JavaScript (as the shipped CLI is) and run with plain node:
 *   node child.mjs encrypt|decrypt <input> <output> <age1… | identity file> [node|workers]
 * Prints one JSON line: seconds, peak RSS, and the RSS before the run started.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { decodeIdentity, decodeRecipient, decryptFile, encryptFile } from '../../src/core/crypto/age/index.js';
import { createWorkerChunkAead, nodeChunkAead, openFileSource, writeChunks } from '../../src/server/crypto/index.js';

const [op, input, output, key, backend = 'workers'] = process.argv.slice(2);
if (!op || !input || !output || !key) throw new Error('usage: encrypt|decrypt <input> <output> <key> [node|workers]');

const baselineRss = process.memoryUsage().rss;
const start = performance.now();
const pool = backend === 'workers' ? createWorkerChunkAead() : undefined;
const aead = pool ?? nodeChunkAead;
const source = await openFileSource(input, { blocking: true });
const stream =
  op === 'encrypt'
    ? encryptFile(source, [decodeRecipient(key)], { aead })
    : decryptFile(
        source,
        readFileSync(key, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('AGE-SECRET-KEY-1'))
          .map(decodeIdentity),
        { aead },
      );
// A deep write buffer lets writes overlap ciphering instead of waiting on each 'drain'.
const sink = createWriteStream(output, { highWaterMark: 4 << 20 });
await writeChunks(stream, sink, { reclaim: (b) => aead.reclaim(b) });
sink.end();
await once(sink, 'close');
const seconds = (performance.now() - start) / 1000;
await pool?.close();
process.stdout.write(
  `${JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, baselineRssMiB: baselineRss / 1048576 })}\n`,
);
