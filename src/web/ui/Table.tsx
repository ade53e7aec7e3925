import type { ReactNode } from 'react';

/**
 * A data table that scrolls inside its card instead of pushing the page wide.
 * Native table markup (caption, th scope): rows are read as rows, and a row
 * header names each one. `label` becomes the caption (visually hidden with
 * `hideCaption`).
 */
export function Table({
  label,
  hideCaption = false,
  children,
  className,
  testId,
}: {
  label: string;
  hideCaption?: boolean;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    // A scrolling region takes focus so that keyboard users can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable from the keyboard
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className={['table', className].filter(Boolean).join(' ')} data-testid={testId}>
        <caption className={hideCaption ? 'visually-hidden' : undefined}>{label}</caption>
        {children}
      </table>
    </div>
  );
}

/** A name that may be long: cut with an ellipsis, the whole of it on hover and for screen readers. */
export function Truncated({ text, className, testId }: { text: string; className?: string; testId?: string }) {
  return (
    <span className={['truncate', className].filter(Boolean).join(' ')} title={text} data-testid={testId}>
      {text}
    </span>
  );
}
