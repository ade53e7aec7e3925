import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Button } from './Button.js';

/**
 * A modal question before something that cannot be undone, from react-aria:
 * focus moves in and stays in, Escape and a click outside cancel (unless
 * `busy`), focus returns to what opened it.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  confirmDisabled = false,
  busy = false,
  onConfirm,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  confirmDisabled?: boolean;
  /** While the confirmed action runs: the dialog cannot be dismissed. */
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <ModalOverlay
      className="dialog-overlay"
      isOpen={open}
      isDismissable={!busy}
      isKeyboardDismissDisabled={busy}
      onOpenChange={(isOpen) => {
        if (!isOpen) onCancel();
      }}
    >
      <Modal className="dialog-modal">
        <AriaDialog className="dialog" data-testid={testId}>
          <Heading slot="title" className="dialog-title">
            {title}
          </Heading>
          <div className="dialog-body">{children}</div>
          <div className="dialog-actions">
            <Button onPress={onCancel} isDisabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button variant={danger ? 'danger' : 'primary'} isDisabled={confirmDisabled} onPress={onConfirm}>
              {confirmLabel}
            </Button>
          </div>
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}
