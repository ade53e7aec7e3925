import type { ReactNode } from 'react';
import {
  FieldError,
  Label,
  Text,
  TextArea as AriaTextArea,
  TextField as AriaTextField,
  type TextFieldProps as AriaTextFieldProps,
} from 'react-aria-components';

export interface TextAreaProps extends Omit<AriaTextFieldProps, 'className' | 'children' | 'isInvalid'> {
  label: ReactNode;
  description?: ReactNode;
  error?: string | null;
  rows?: number;
  className?: string;
  inputTestId?: string;
}

/** Several lines of text (a note, a plan), labelled as TextField is: label, description and error tied to the input. */
export function TextArea({ label, description, error, rows = 4, className, inputTestId, ...props }: TextAreaProps) {
  return (
    <AriaTextField {...props} isInvalid={Boolean(error)} validationBehavior="aria" className={['field', className].filter(Boolean).join(' ')}>
      <Label className="field-label">{label}</Label>
      <AriaTextArea className="field-input field-textarea" rows={rows} data-testid={inputTestId} />
      {description && (
        <Text slot="description" className="hint">
          {description}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
    </AriaTextField>
  );
}
