import type { InputHTMLAttributes, ReactNode } from 'react';

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange' | 'checked'> {
  checked: boolean;
  onChange(checked: boolean): void;
  children: ReactNode;
}

/**
 * A confirmation the person ticks ("the fingerprints match"). A native
 * checkbox inside its label: the whole sentence is the click target, and
 * nothing hides the input from assistive technology or from tests.
 */
export function Checkbox({ checked, onChange, children, className, ...props }: CheckboxProps) {
  return (
    <label className={['checkbox', className].filter(Boolean).join(' ')}>
      <input {...props} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{children}</span>
    </label>
  );
}
