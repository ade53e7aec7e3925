/** Six digits from an authenticator app, spaces allowed as apps show them. */
export function isCompleteCode(code: string): boolean {
  return code.replace(/\s/g, '').length === 6;
}

/** The labelled field for an authenticator app's code, the same on every page that asks for one. */
export function OneTimeCodeField({
  id,
  label,
  value,
  onChange,
  disabled,
  required = true,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  required?: boolean;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]{6,7}"
        maxLength={7}
        required={required}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
      />
    </>
  );
}
