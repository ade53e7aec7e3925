/** A long operation in progress: a bar for the eye, a polite announcement for screen readers. */
export function Busy({ label, testId }: { label: string; testId?: string }) {
  return (
    <div className="busy" role="status" aria-live="polite" data-testid={testId}>
      <progress aria-label={label} />
      <span>{label}</span>
    </div>
  );
}
