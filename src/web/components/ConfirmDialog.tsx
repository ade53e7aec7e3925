/** Kept as the old import path; the dialog lives in the design system. */
export { ConfirmDialog } from '../ui/Dialog.js';
