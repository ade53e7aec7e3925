import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type ToastTone = 'ok' | 'info' | 'error';
interface ToastItem {
  id: number;
  message: string;
  tone: ToastTone;
}

interface Toaster {
  /** Says, briefly and politely, that something happened ("Locked", "Invitation revoked"). */
  show(message: string, tone?: ToastTone): void;
}

const ToastContext = createContext<Toaster>({ show: () => undefined });

const shownMs = 6000;

/**
 * Short confirmations in a live region at the corner of the screen. (react-aria's
 * toast is still marked unstable; this is the few lines we need, and the live
 * region exists from the start so screen readers announce each message.)
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setItems((all) => all.filter((i) => i.id !== id));
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const show = useCallback(
    (message: string, tone: ToastTone = 'ok') => {
      const id = next.current++;
      setItems((all) => [...all.slice(-2), { id, message, tone }]);
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), shownMs),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const all = timers.current;
    return () => {
      for (const timer of all.values()) clearTimeout(timer);
    };
  }, []);

  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toast-region" role="status" aria-live="polite" aria-label={t('ui.toast.region')} data-testid="toasts">
        {items.map((item) => (
          <div key={item.id} className={`toast toast-${item.tone}`} data-testid="toast">
            <span>{item.message}</span>
            <button type="button" className="toast-close" onClick={() => dismiss(item.id)} aria-label={t('ui.toast.dismiss')}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Toaster {
  return useContext(ToastContext);
}
