import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type InvitationCreated, type InvitationSummary, type InviteRequest, type Role } from '../../core/index.js';
import { api, toApiError, type ApiError } from '../api.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { formatDateTime } from '../format.js';
import { useApiData } from '../use-api-data.js';
import { useSession } from '../session.js';
import { signedInvitation } from '../admin-trust.js';

const expiryChoices = [24, 72, 168] as const;

/** The one-time link keeps its token in the fragment, which never reaches a server log or a Referer. */
export function invitationLink(origin: string, token: string): string {
  return `${origin}/invite#${token}`;
}

/** Administrators invite a member with a role and get a one-time link to pass on through a safe channel. */
export function InvitationsPanel() {
  const { t, i18n } = useTranslation();
  const [role, setRole] = useState<Role>('coordinator');
  const [hours, setHours] = useState<number>(72);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<InvitationCreated | null>(null);
  const { data: list, reload: load } = useApiData<InvitationSummary[]>('/api/invitations', setError);
  const session = useSession();

  async function invite(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: InviteRequest = { role, expiresInHours: hours };
      // Only the organization key can bring in an administrator: sign the invitation here.
      const pinned = session.organizationKey;
      const me = session.info?.member.id;
      if (role === 'administrator' && pinned && me) body.statement = signedInvitation({ memberId: me, pinned, withOrganizationKey: session.withOrganizationKey }, role, hours);
      setCreated(await api<InvitationCreated>('/api/invitations', { method: 'POST', body }));
      await load();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await api(`/api/invitations/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (created?.id === id) setCreated(null);
      await load();
    } catch (e) {
      setError(toApiError(e));
    }
  }

  const link = created ? invitationLink(window.location.origin, created.token) : '';
  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">{t('invitations.title')}</h1>
      <p>{t('invitations.intro')}</p>
      <form onSubmit={(e) => void invite(e)} aria-busy={busy} className="inline-form">
        <label htmlFor="invite-role">{t('members.role')}</label>
        <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={busy}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`members.roles.${r}`)}
            </option>
          ))}
        </select>
        <label htmlFor="invite-expiry">{t('invitations.expiresIn')}</label>
        <select id="invite-expiry" value={hours} onChange={(e) => setHours(Number(e.target.value))} disabled={busy}>
          {expiryChoices.map((h) => (
            <option key={h} value={h}>
              {t('invitations.hours', { count: h })}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {t('invitations.create')}
        </button>
      </form>
      <ErrorNotice error={error} />
      {created && (
        <div className="notice notice-ok" role="status">
          <p>{t('invitations.created', { role: t(`members.roles.${created.role}`), expires: formatDateTime(created.expiresAt, i18n.language) })}</p>
          <p>
            <code className="invitation-link" data-testid="invitation-link">
              {link}
            </code>
          </p>
          <CopyButton text={link} label={t('invitations.copyLink')} />
          <p className="hint">{t('invitations.linkAdvice')}</p>
        </div>
      )}
      {list && list.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>{t('invitations.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('members.role')}</th>
                <th scope="col">{t('invitations.createdAt')}</th>
                <th scope="col">{t('invitations.expiresAt')}</th>
                <th scope="col">{t('members.status')}</th>
                <th scope="col">{t('members.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((inv) => (
                <tr key={inv.id} data-testid="invitation-row">
                  <td>{t(`members.roles.${inv.role}`)}</td>
                  <td>{formatDateTime(inv.createdAt, i18n.language)}</td>
                  <td>{formatDateTime(inv.expiresAt, i18n.language)}</td>
                  <td>{t(`invitations.states.${inv.state}`)}</td>
                  <td>
                    {inv.state === 'pending' && (
                      <button type="button" onClick={() => void revoke(inv.id)}>
                        {t('invitations.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
