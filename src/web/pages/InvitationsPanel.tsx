import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type InvitationCreated, type InvitationSummary, type Role } from '../../core/index.js';
import { toApiError, type ApiError } from '../api.js';
import { api } from '../api/client.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { formatDateTime } from '../format.js';
import { queryError, queryKeys, useInvalidate, useInvitations } from '../queries.js';
import { useSession } from '../session.js';
import { invitationRequest } from '../admin-trust.js';
import { Button, ConfirmDialog, EmptyState, Select, Table, useToast } from '../ui/index.js';

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
  const [failure, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<InvitationCreated | null>(null);
  const [revoking, setRevoking] = useState<InvitationSummary | null>(null);
  const { data: list, error: readError } = useInvitations();
  const invalidate = useInvalidate();
  const session = useSession();
  const toast = useToast();
  const error = failure ?? queryError(readError);

  async function invite(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Only the organization key can bring in an administrator: the invitation is signed here.
      const pinned = session.organizationKey;
      const me = session.info?.member.id;
      const signer = pinned && me ? { memberId: me, pinned, withOrganizationKey: session.withOrganizationKey } : null;
      setCreated(await api.invitations.create(invitationRequest(signer, role, hours)));
      await invalidate(queryKeys.invitations);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(invitation: InvitationSummary) {
    setError(null);
    setBusy(true);
    try {
      await api.invitations.revoke(invitation.id);
      if (created?.id === invitation.id) setCreated(null);
      await invalidate(queryKeys.invitations);
      toast.show(t('ui.invitations.revoked'));
      setRevoking(null);
    } catch (e) {
      setError(toApiError(e));
      setRevoking(null);
    } finally {
      setBusy(false);
    }
  }

  const link = created ? invitationLink(window.location.origin, created.token) : '';
  return (
    <section aria-labelledby="invite-title" className="card">
      <h1 id="invite-title">{t('invitations.title')}</h1>
      <p>{t('invitations.intro')}</p>
      <form onSubmit={(e) => void invite(e)} aria-busy={busy} className="inline-form">
        <Select
          id="invite-role"
          label={t('members.role')}
          value={role}
          onChange={setRole}
          disabled={busy}
          options={roles.map((r) => ({ value: r, label: t(`members.roles.${r}`) }))}
        />
        <Select
          id="invite-expiry"
          label={t('invitations.expiresIn')}
          value={hours}
          onChange={setHours}
          disabled={busy}
          options={expiryChoices.map((h) => ({ value: h, label: t('invitations.hours', { count: h }) }))}
        />
        <Button type="submit" variant="primary" isDisabled={busy}>
          {t('invitations.create')}
        </Button>
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
      {list && list.length === 0 && <EmptyState title={t('ui.invitations.none')} />}
      {list && list.length > 0 && (
        <Table label={t('invitations.listTitle')}>
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
              <tr key={inv.id} data-testid="invitation-row" data-state={inv.state}>
                <td>{t(`members.roles.${inv.role}`)}</td>
                <td>{formatDateTime(inv.createdAt, i18n.language)}</td>
                <td>{formatDateTime(inv.expiresAt, i18n.language)}</td>
                <td data-testid="invitation-state">{t(`invitations.states.${inv.state}`)}</td>
                <td>
                  {inv.state === 'pending' && (
                    <Button variant="quiet" onPress={() => setRevoking(inv)} isDisabled={busy}>
                      {t('invitations.revoke')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t('ui.confirm.revokeTitle')}
        confirmLabel={t('invitations.revoke')}
        danger
        busy={busy}
        confirmDisabled={busy}
        onConfirm={() => revoking && void revoke(revoking)}
        onCancel={() => !busy && setRevoking(null)}
      >
        {revoking && (
          <p>{t('ui.confirm.revokeBody', { role: t(`members.roles.${revoking.role}`), expires: formatDateTime(revoking.expiresAt, i18n.language) })}</p>
        )}
      </ConfirmDialog>
    </section>
  );
}
