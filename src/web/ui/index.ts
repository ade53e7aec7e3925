/** The design system: tokens in tokens.css, components here. Pages build from these. */
export { Button, type ButtonProps, type ButtonVariant } from './Button.js';
export { Checkbox, type CheckboxProps } from './Checkbox.js';
export { ConfirmDialog } from './Dialog.js';
export { EmptyState } from './EmptyState.js';
export { Select, type SelectProps } from './Select.js';
export { Table, Truncated } from './Table.js';
export { TextArea, type TextAreaProps } from './TextArea.js';
export { TextField, type TextFieldProps } from './TextField.js';
export { ToastProvider, useToast, type ToastTone } from './Toast.js';
