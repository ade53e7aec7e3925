/**
 * The body of a cipher worker thread (started by worker-aead.ts and
 * file-cipher.ts through module-worker.ts). It answers two kinds of message:
 * a batch of the age stream to seal or open in place, sent back in the same
 * buffer; and a share of a payload between two files (payload-stripe.ts).
 */
import { parentPort } from 'node:worker_threads';
import { chunkCipher } from './chunk-cipher.js';
import { openViews, sealViews } from './node-aead.js';
import { runPayloadStripe, type PayloadStripe } from './payload-stripe.js';

export type ChunkWorkerRequest =
  | { readonly op: 'seal'; readonly id: number; readonly key: Uint8Array; readonly nonces: Uint8Array[]; readonly chunks: Uint8Array[] }
  | {
      readonly op: 'open';
      readonly id: number;
      readonly key: Uint8Array;
      readonly nonces: Uint8Array[];
      readonly chunks: Uint8Array[];
      readonly alternates: (Uint8Array | null)[];
    }
  | { readonly op: 'stripe'; readonly id: number; readonly job: PayloadStripe };

export interface ChunkWorkerReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { readonly message: string; readonly code?: string };
}

const chunkSize = 65536;
const port = parentPort;
if (!port) throw new Error('chunk-worker runs as a worker thread');
const cipher = chunkCipher();

port.on('message', (m: ChunkWorkerRequest) => {
  try {
    if (m.op === 'stripe') {
      runPayloadStripe(m.job, cipher);
      port.postMessage({ id: m.id, result: true } satisfies ChunkWorkerReply);
      return;
    }
    const result =
      m.op === 'seal' ? sealViews(cipher, m.key, m.nonces, m.chunks, chunkSize) : openViews(cipher, m.key, m.nonces, m.chunks, m.alternates, chunkSize);
    // The batch comes home in the buffer it arrived in (or the one it was copied into).
    const buffers = new Set<ArrayBuffer>();
    for (const r of result) {
      const view = r instanceof Uint8Array ? r : r?.plaintext;
      if (view?.buffer instanceof ArrayBuffer && view.buffer.byteLength > 0) buffers.add(view.buffer);
    }
    for (const c of m.chunks) if (c.buffer instanceof ArrayBuffer && c.buffer.byteLength > 0) buffers.add(c.buffer);
    port.postMessage({ id: m.id, result } satisfies ChunkWorkerReply, [...buffers]);
  } catch (error) {
    const e = error as Error & { code?: unknown };
    port.postMessage({
      id: m.id,
      error: { message: e?.message ?? String(error), ...(typeof e?.code === 'string' ? { code: e.code } : {}) },
    } satisfies ChunkWorkerReply);
  }
});
