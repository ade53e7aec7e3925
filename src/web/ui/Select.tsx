import { useId, type ReactNode, type SelectHTMLAttributes } from 'react';

export interface SelectProps<V extends string | number> extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  label: ReactNode;
  value: V;
  options: ReadonlyArray<{ value: NoInfer<V>; label: string }>;
  onChange(value: NoInfer<V>): void;
}

/**
 * A labelled choice from a short list. The browser's own select, styled:
 * on a phone it opens the system picker, which beats any popup of ours, and
 * it is what a screen reader knows best. (react-aria's Select is a custom
 * listbox, worth it for long or searchable lists.)
 */
export function Select<V extends string | number>({ label, value, options, onChange, id, className, ...props }: SelectProps<V>) {
  const own = useId();
  const selectId = id ?? own;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={selectId}>
        {label}
      </label>
      <select
        {...props}
        id={selectId}
        className="field-input"
        value={String(value)}
        onChange={(e) => {
          const chosen = options.find((o) => String(o.value) === e.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
