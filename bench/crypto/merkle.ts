/**
 * The Merkle log at one million leaves: appends, inclusion and consistency
 * proofs per second, each beside bare SHA-256 of 32-byte inputs (same library,
 * same run) — an append costs about three such hashes (leaf hash, amortized
 * node hash of 65 bytes). Also blind-index throughput for Russian text beside
 * bare HMAC-SHA-256. `--leaves N` shrinks the tree for a quick run.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { MerkleTree, verifyConsistency, verifyInclusion } from '../../src/core/crypto/merkle/index.js';
import { blindTokens } from '../../src/core/crypto/search/index.js';
import { type Figure, note } from '../report.js';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** Runs `step` in batches until `seconds` have passed; returns operations per second. */
function rate(seconds: number, batch: number, step: (i: number) => void): number {
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < batch; i++) step(done + i);
    done += batch;
    elapsed = performance.now() - start;
  }
  return done / (elapsed / 1000);
}

// A deterministic generator, so runs compare; Math.random would do, but this repeats.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const russianRecords = [
  'Заявитель сообщил, что получил повестку в военкомат в марте и через неделю выехал из Ростова в Казахстан на автобусе.',
  'По словам заявителя, его паспорт остался у командира части, а военный билет он сохранил и передал копию юристу.',
  'Он служил водителем в мотострелковой бригаде, участвовал в разгрузке боеприпасов и отказался ехать на передовую.',
  'Родственники получили звонок от неизвестного, который представился сотрудником полиции и спрашивал адрес проживания.',
  'Юрист рекомендовал подать заявление о защите в стране пребывания и собрать документы, подтверждающие уклонение от мобилизации.',
  'Свидетель подтвердил, что видел заявителя на сборном пункте, и описал условия содержания мобилизованных в казармах.',
];

export async function run(args: string[]): Promise<Figure[]> {
  const leaves = option(args, '--leaves', 1_000_000);
  const figures: Figure[] = [];
  const reference = 'noble sha256, 32-byte inputs, hashes/s';

  const input = new Uint8Array(32);
  const sha = rate(1.5, 10_000, (i) => {
    input[0] = i;
    sha256(input);
  });
  note(`merkle: bare SHA-256 ${Math.round(sha)} hashes/s`);

  const entries = new Uint8Array(32 * 1024);
  for (let i = 0; i < entries.length; i++) entries[i] = (i * 131) & 0xff;
  const tree = new MerkleTree();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const started = performance.now();
  for (let i = 0; i < leaves; i++) {
    const at = (i % 1024) * 32;
    tree.appendData(entries.subarray(at, at + 32));
  }
  const appendSeconds = (performance.now() - started) / 1000;
  const memory = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
  note(`merkle: appended ${leaves} leaves in ${appendSeconds.toFixed(2)} s, about ${(memory / 2 ** 20).toFixed(0)} MiB`);
  figures.push({ bench: 'crypto.merkle_append', value: leaves / appendSeconds, unit: 'leaves/s', reference, reference_value: sha });

  const size = tree.size;
  const root = tree.root();
  const random = lcg(1);
  const inclusion = rate(1.5, 200, () => {
    tree.inclusionProof(Math.floor(random() * size), size);
  });
  figures.push({ bench: 'crypto.merkle_inclusion_proof', value: inclusion, unit: 'proofs/s', reference, reference_value: sha });

  const consistency = rate(1.5, 200, () => {
    tree.consistencyProof(1 + Math.floor(random() * (size - 1)), size);
  });
  figures.push({ bench: 'crypto.merkle_consistency_proof', value: consistency, unit: 'proofs/s', reference, reference_value: sha });

  // Verification happens in browsers and the CLI; worth seeing, not a headline figure.
  const index = Math.floor(size / 3);
  const proof = tree.inclusionProof(index, size);
  const leaf = tree.leafHash(index);
  const verifyRate = rate(1, 200, () => verifyInclusion(leaf, index, size, proof, root));
  const oldSize = Math.floor(size / 3) + 1;
  const oldRoot = tree.root(oldSize);
  const cproof = tree.consistencyProof(oldSize, size);
  const cverifyRate = rate(1, 200, () => verifyConsistency(oldSize, size, oldRoot, root, cproof));
  note(`merkle: verify inclusion ${Math.round(verifyRate)}/s, consistency ${Math.round(cverifyRate)}/s (proof lengths ${proof.length}, ${cproof.length})`);

  const key = new Uint8Array(32).fill(9);
  const mac = hmac.create(sha256, key);
  const hmacRate = rate(1, 10_000, (i) => {
    input[0] = i;
    mac.clone().update(input.subarray(0, 24)).digest();
  });
  const wordsPerRecord = russianRecords.map((r) => r.split(/\s+/).length);
  const recordRate = rate(1.5, 50, (i) => {
    // A varying suffix makes every record new text, as real records are.
    blindTokens(key, `${russianRecords[i % russianRecords.length]!} запись ${i}`);
  });
  const meanWords = wordsPerRecord.reduce((a, b) => a + b, 0) / wordsPerRecord.length + 2;
  figures.push({
    bench: 'crypto.blind_index_tokens',
    value: recordRate * meanWords,
    unit: 'words/s',
    reference: 'noble HMAC-SHA-256, 24-byte messages, MACs/s',
    reference_value: hmacRate,
  });
  note(`merkle: blind index ${Math.round(recordRate)} Russian records/s of ~${meanWords.toFixed(0)} words`);
  return figures;
}
