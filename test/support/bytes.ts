/**
 * Deterministic test plaintext that never repeats within a file (a linear
 * congruential sequence), so a chunk written in the wrong place cannot go
 * unnoticed and a failing test is reproducible.
 */
export function plaintextOf(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = size + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
