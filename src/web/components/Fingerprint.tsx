/**
 * A fingerprint laid out for reading aloud: twelve groups of five digits, four
 * to a line. The spaces stay in the text so copying it gives the usual form.
 */
export function Fingerprint({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const groups = value.split(/\s+/).filter(Boolean);
  return (
    <p className="fingerprint" role="group" aria-label={label} data-testid={testId}>
      {groups.map((group, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the groups are positional and never reorder
        <span key={i} className="fingerprint-group">
          {group}
          {i < groups.length - 1 ? ' ' : ''}
        </span>
      ))}
    </p>
  );
}
