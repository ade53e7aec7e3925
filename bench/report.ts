/** One benchmark figure, printed as the single JSON line BENCHMARKS.md fixes. */
export interface Figure {
  bench: string;
  value: number;
  unit: string;
  reference: string | null;
  reference_value: number | null;
}

function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 3 : 5;
  return Number(n.toFixed(digits));
}

export function figureLine(f: Figure): string {
  const ratio = f.reference_value ? f.value / f.reference_value : null;
  return JSON.stringify({
    bench: f.bench,
    value: round(f.value),
    unit: f.unit,
    reference: f.reference,
    reference_value: f.reference_value === null ? null : round(f.reference_value),
    ratio: ratio === null ? null : round(ratio),
  });
}

/** Prints the figures last, one JSON line each, after any human-readable output. */
export function printFigures(figures: Figure[]): void {
  for (const f of figures) process.stdout.write(`${figureLine(f)}\n`);
}

/** Progress and notes go to stderr so the JSON lines stay last on stdout. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
