import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthenticatorSummary } from '../../../core/index.js';
import { toApiError, type ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { FreshFactorForm } from '../../components/FreshFactorForm.js';
import { formatDateTime } from '../../format.js';
import { createCredential } from '../../webauthn.js';

const maxName = 64;

/** Security keys and passkeys: list, add (after a fresh second factor), rename, remove. */
export function AuthenticatorsSection({
  authenticators,
  hasAuthenticators,
  onChange,
}: {
  authenticators: AuthenticatorSummary[];
  hasAuthenticators: boolean;
  onChange(): Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [name, setName] = useState('');
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<AuthenticatorSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function add(fresh: object) {
    const { options } = await api.me.authenticatorOptions(fresh);
    const registration = await createCredential(options);
    await api.me.addAuthenticator({ name: name.trim(), registration });
    setName('');
    setAdding(false);
    await onChange();
  }

  async function act(work: () => Promise<unknown>) {
    setError(null);
    try {
      await work();
      await onChange();
    } catch (e) {
      setError(toApiError(e));
    }
  }

  return (
    <section aria-labelledby="account-keys-title">
      <h2 id="account-keys-title">{t('account.keysTitle')}</h2>
      <p>{t('account.keysIntro')}</p>
      {authenticators.length === 0 ? (
        <p data-testid="authenticators-none">{t('account.keysNone')}</p>
      ) : (
        <ul className="authenticators" data-testid="authenticators">
          {authenticators.map((a) => (
            <li key={a.id} data-testid="authenticator" data-name={a.name}>
              {renaming?.id === a.id ? (
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void act(async () => {
                      await api.me.renameAuthenticator(a.id, renaming.name.trim());
                      setRenaming(null);
                    });
                  }}
                >
                  <label htmlFor={`${id}-rename`} className="visually-hidden">
                    {t('account.keyName')}
                  </label>
                  <input
                    id={`${id}-rename`}
                    value={renaming.name}
                    maxLength={maxName}
                    required
                    onChange={(e) => setRenaming({ id: a.id, name: e.target.value })}
                  />
                  <button type="submit" disabled={renaming.name.trim() === ''}>
                    {t('account.keySave')}
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    {t('common.cancel')}
                  </button>
                </form>
              ) : (
                <>
                  <span className="authenticator-name">{a.name}</span>
                  <span className="hint">
                    {t('account.keyAdded', { date: formatDateTime(a.createdAt, i18n.language) })},{' '}
                    {a.lastUsedAt ? t('account.keyLastUsed', { date: formatDateTime(a.lastUsedAt, i18n.language) }) : t('account.keyNeverUsed')}
                  </span>
                  <span className="actions">
                    <button type="button" onClick={() => setRenaming({ id: a.id, name: a.name })}>
                      {t('account.keyRename')}
                    </button>
                    <button type="button" className="danger" onClick={() => setRemoving(a)}>
                      {t('account.keyRemove')}
                    </button>
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={error} />
      {adding ? (
        <FreshFactorForm
          submitLabel={t('account.keyAddSubmit')}
          busyLabel={t('account.keyWaiting')}
          hasAuthenticators={hasAuthenticators}
          ready={name.trim() !== ''}
          onSubmit={add}
          testId="add-authenticator"
        >
          <label htmlFor={`${id}-name`}>{t('account.keyName')}</label>
          <input id={`${id}-name`} value={name} maxLength={maxName} required aria-describedby={`${id}-name-hint`} onChange={(e) => setName(e.target.value)} />
          <p className="hint" id={`${id}-name-hint`}>
            {t('account.keyNameHint')}
          </p>
        </FreshFactorForm>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setAdding(true)}>
            {t('account.keyAdd')}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t('account.keyRemoveTitle', { name: removing?.name ?? '' })}
        confirmLabel={t('account.keyRemove')}
        danger
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const target = removing;
          setRemoving(null);
          if (target) void act(() => api.me.removeAuthenticator(target.id));
        }}
      >
        <p>{t('account.keyRemoveBody')}</p>
      </ConfirmDialog>
    </section>
  );
}
