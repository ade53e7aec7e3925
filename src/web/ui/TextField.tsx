import type { ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextField as AriaTextField, type TextFieldProps as AriaTextFieldProps } from 'react-aria-components';

export interface TextFieldProps extends Omit<AriaTextFieldProps, 'className' | 'children' | 'isInvalid'> {
  label: ReactNode;
  /** Help under the field; linked to it with aria-describedby. */
  description?: ReactNode;
  /** A translated message: set, the field is marked invalid and the message is read out with it. */
  error?: string | null;
  placeholder?: string;
  className?: string;
  /** data-testid of the input itself. */
  inputTestId?: string;
}

/**
 * A labelled text input with its description and error, from react-aria:
 * the label, description and error are tied to the input for screen readers.
 * Validation is ours (translated, before anything is sent), not the browser's.
 */
export function TextField({ label, description, error, placeholder, className, inputTestId, ...props }: TextFieldProps) {
  return (
    <AriaTextField {...props} isInvalid={Boolean(error)} validationBehavior="aria" className={['field', className].filter(Boolean).join(' ')}>
      <Label className="field-label">{label}</Label>
      <Input className="field-input" placeholder={placeholder} data-testid={inputTestId} />
      {description && (
        <Text slot="description" className="hint">
          {description}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
    </AriaTextField>
  );
}
