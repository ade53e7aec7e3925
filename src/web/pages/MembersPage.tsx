import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  asMemberId,
  confusableWith,
  prepareCertification,
  prepareRoleChange,
  roleChangeNeedsOrganizationKey,
  roles,
  type MemberSummary,
  type Role,
} from '../../core/index.js';
import { ApiError, toApiError } from '../api.js';
import { api } from '../api/client.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { formatDateTime } from '../format.js';
import { queryError, queryKeys, useInvalidate, useKeyRotations, useMembers } from '../queries.js';
import { useSession } from '../session.js';
import { useDocumentTitle } from '../title.js';
import { checkMemberCertificate, memberFingerprintOf, type CertificateCheck } from '../trust.js';
import { InvitationsPanel } from './InvitationsPanel.js';
import { RotationPanel } from './RotationPanel.js';
import { CaseRotationsPanel } from './cases/index.js';
import { publishMembershipList, rotateOrganizationKey, type OrganizationSigner, type RotationStep } from '../admin-trust.js';
import { browserCounterStore } from '../membership.js';
import { browserPinStore } from '../trust.js';
import { Button, Checkbox, ConfirmDialog, EmptyState, Select, Table, Truncated } from '../ui/index.js';

type Pending = { kind: 'certify' | 'role' | 'suspend' | 'reinstate' | 'remove'; member: MemberSummary };

/**
 * Administrators: who is in the organization, with what role, and whether the
 * organization vouches for their keys. Every signature (certificate, sealed
 * organization key for a new administrator) is made here in the browser.
 */
export function MembersPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('members.title'));
  const session = useSession();
  const [failure, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [compared, setCompared] = useState(false);
  const [newRole, setNewRole] = useState<Role>('coordinator');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  /** Moves after each removal or suspension: the case compartments that member held get new keys. */
  const [caseRotations, setCaseRotations] = useState(0);

  const membersQuery = useMembers();
  const members = membersQuery.data ?? null;
  const rotations = useKeyRotations();
  const rotationPending = rotations.data?.rotationPending ?? false;
  const invalidate = useInvalidate();
  const [rotation, setRotation] = useState<RotationStep | null>(null);
  const error = failure ?? queryError(membersQuery.error) ?? queryError(rotations.error);
  /** Everything a membership change can make stale. */
  const load = () => invalidate(queryKeys.members, queryKeys.invitations, queryKeys.keyRotations, queryKeys.membershipList, queryKeys.directory);

  const pinned = session.organizationKey;
  const me = session.info?.member.id;
  const signer: OrganizationSigner | null = pinned && me ? { memberId: me, pinned, withOrganizationKey: session.withOrganizationKey } : null;

  // An organization set up before membership lists existed gets its first one as soon as an administrator opens this page.
  const canSign = signer !== null && session.holdsOrganizationKey;
  const rotationKnown = rotations.data !== undefined;
  useEffect(() => {
    if (!canSign || !signer || !rotationKnown || rotationPending) return;
    let current = true;
    void api.organization
      .membershipList()
      .then(async (r) => {
        if (current && r.list === null) setNotice(t('membership.published', { counter: await publishMembershipList(signer, browserCounterStore()) }));
      })
      .catch((e: unknown) => current && setError(toApiError(e)));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per key and pin
  }, [canSign, pinned, rotationKnown, rotationPending]);

  async function rotate() {
    if (!signer) return;
    setBusy(true);
    setError(null);
    try {
      await rotateOrganizationKey(signer, browserPinStore(), browserCounterStore(), setRotation);
      // The new pin and the new sealed key, without asking for the passphrase again.
      await session.reloadTrust();
      await load();
    } catch (e) {
      setRotation(null);
      setError(toApiError(e));
      await invalidate(queryKeys.keyRotations);
    } finally {
      setBusy(false);
    }
  }
  const certificateOf = (m: MemberSummary): CertificateCheck =>
    pinned ? checkMemberCertificate(pinned, m) : { state: 'invalid', code: 'ORGANIZATION_KEY_CHANGED' };
  /** The name the organization certified; the server's word only until then, and marked as such. */
  const nameOf = (m: MemberSummary) => {
    const cert = certificateOf(m);
    return cert.state === 'valid' ? { name: cert.member.name ?? m.name, verified: true } : { name: m.name, verified: false };
  };

  function open(kind: Pending['kind'], member: MemberSummary) {
    setPending({ kind, member });
    setCompared(false);
    setNewRole(member.role);
    setError(null);
    setNotice(null);
  }

  async function run(action: Pending) {
    const m = action.member;
    setBusy(true);
    setError(null);
    try {
      switch (action.kind) {
        case 'certify': {
          const body = session.withOrganizationKey((pair) => prepareCertification(pair, m, asMemberId(me ?? '')));
          await api.members.certify(m.id, body);
          setNotice(t('members.certified', { name: m.name }));
          break;
        }
        case 'role': {
          const current = certificateOf(m);
          // Re-signing keys the server swapped after the last certification would launder the swap.
          if (current.state === 'invalid') throw new ApiError('KEY_SUBSTITUTION', 0, 'certificate does not match the keys');
          const change = { member: m, role: newRole, issuedBy: asMemberId(me ?? ''), certified: current.state === 'valid' };
          const body = roleChangeNeedsOrganizationKey(change)
            ? session.withOrganizationKey((pair) => prepareRoleChange(pair, change))
            : prepareRoleChange(null, change);
          await api.members.changeRole(m.id, body);
          setNotice(t('members.roleChanged', { name: m.name, role: t(`members.roles.${newRole}`) }));
          break;
        }
        case 'suspend':
        case 'reinstate':
        case 'remove':
          await api.members[action.kind](m.id);
          setNotice(t(`members.done.${action.kind}`, { name: m.name }));
          break;
      }
      setPending(null);
      await load();
      // Membership changed: an administrator who leaves or loses the role may have kept the organization key, so it is replaced;
      // otherwise the signed list is published again, so members' browsers stop trusting what is no longer so.
      const leftAdministrators = m.role === 'administrator' && (action.kind === 'remove' || (action.kind === 'role' && newRole !== 'administrator'));
      const { rotationPending: mustRotate } = await api.organization.keyRotations();
      if (leftAdministrators || mustRotate) await rotate();
      else if (signer) await publishMembershipList(signer, browserCounterStore());
      if (action.kind === 'remove' || action.kind === 'suspend') setCaseRotations((n) => n + 1);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const dialog = pending ? dialogFor(pending) : null;

  function dialogFor(p: Pending) {
    const m = p.member;
    const fp = memberFingerprintOf(m.encryptionPublicKey, m.signingPublicKey);
    switch (p.kind) {
      case 'certify':
        return {
          title: t('members.certifyTitle', { name: m.name }),
          confirmLabel: t('members.certify'),
          confirmDisabled: !compared || !fp,
          body: (
            <>
              <p>{t('members.certifyIntro', { name: m.name })}</p>
              {(() => {
                const other = confusableWith(
                  m.name,
                  (members ?? []).filter((x) => x.id !== m.id).map((x) => x.name),
                );
                return other ? (
                  <p className="notice notice-error" role="alert" data-testid="confusable-warning">
                    {t('membership.confusableWarning', { other })}
                  </p>
                ) : null;
              })()}
              {fp ? (
                <Fingerprint value={fp} label={t('members.fingerprint')} testId="certify-fingerprint" />
              ) : (
                <ErrorNotice error={new ApiError('KEY_SUBSTITUTION', 0, 'bad key')} />
              )}
              <Checkbox checked={compared} onChange={setCompared} data-testid="fingerprint-compared">
                {t('members.comparedFingerprint', { name: m.name })}
              </Checkbox>
              <p className="hint">{t('members.certifyWarning')}</p>
            </>
          ),
        };
      case 'role': {
        const certified = certificateOf(m).state === 'valid';
        return {
          title: t('members.roleTitle', { name: m.name }),
          confirmLabel: t('members.changeRole'),
          confirmDisabled: newRole === m.role || (newRole === 'administrator' && !certified),
          body: (
            <>
              <Select
                id="new-role"
                label={t('members.newRole')}
                value={newRole}
                onChange={setNewRole}
                options={roles.map((r) => ({ value: r, label: t(`members.roles.${r}`) }))}
              />
              {newRole === 'administrator' && <p className="hint">{certified ? t('members.adminGetsKey') : t('members.certifyBeforeAdmin')}</p>}
              {certified && <p className="hint">{t('members.roleRecertify')}</p>}
            </>
          ),
        };
      }
      default:
        return {
          title: t(`members.confirm.${p.kind}Title`, { name: m.name }),
          confirmLabel: t(`members.${p.kind}`),
          confirmDisabled: false,
          danger: p.kind !== 'reinstate',
          body: <p>{t(`members.confirm.${p.kind}Body`, { name: m.name })}</p>,
        };
    }
  }

  return (
    <>
      {/* Urgent before anything else on the page: a key an ex-administrator may hold is still trusted. */}
      <RotationPanel pending={rotationPending} step={rotation} busy={busy} onRotate={() => void rotate()} />
      <CaseRotationsPanel trigger={caseRotations} />
      <InvitationsPanel />
      <section aria-labelledby="members-title" className="card">
        <h1 id="members-title">{t('members.title')}</h1>
        <p>{t('members.intro')}</p>
        <p>
          <Button onPress={() => void load()} data-testid="members-refresh">
            {t('common.refresh')}
          </Button>
        </p>
        {notice && (
          <p className="notice notice-ok" role="status">
            {notice}
          </p>
        )}
        {!pending && <ErrorNotice error={error} />}
        {!members ? (
          !error && <Busy label={t('app.loading')} />
        ) : members.length === 0 ? (
          <EmptyState title={t('ui.members.none')} />
        ) : (
          <Table label={t('members.title')} hideCaption className="members-table">
            <thead>
              <tr>
                <th scope="col">{t('auth.name')}</th>
                <th scope="col">{t('members.role')}</th>
                <th scope="col">{t('members.status')}</th>
                <th scope="col">{t('members.certificate')}</th>
                <th scope="col">{t('members.fingerprint')}</th>
                <th scope="col">{t('members.lastActive')}</th>
                <th scope="col">{t('members.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const cert = certificateOf(m);
                const fp = memberFingerprintOf(m.encryptionPublicKey, m.signingPublicKey);
                const self = m.id === me;
                const shown = nameOf(m);
                return (
                  <tr key={m.id} data-testid="member-row" data-member-name={m.name}>
                    <th scope="row">
                      <Truncated text={shown.name} testId="member-name" />
                      {!shown.verified && m.status !== 'removed' && <span className="hint unverified-name"> ({t('membership.unverifiedName')})</span>}
                      {self && <span className="badge"> {t('members.you')}</span>}
                    </th>
                    <td>{t(`members.roles.${m.role}`)}</td>
                    <td>{t(`members.statuses.${m.status}`)}</td>
                    <td data-testid="certificate-state">
                      {cert.state === 'valid' && <span className="ok">{t('members.certState.valid')}</span>}
                      {cert.state === 'none' && <span>{t('members.certState.none')}</span>}
                      {cert.state === 'outdated' && <span>{t('membership.certState.outdated')}</span>}
                      {cert.state === 'invalid' && (
                        <span className="danger-text" role="alert">
                          {t('members.certState.invalid')}:{' '}
                          {t(`membership.reasons.${cert.code}`, { defaultValue: t('membership.reasons.CERTIFICATE_INVALID') })}
                        </span>
                      )}
                    </td>
                    <td>{fp ? <Fingerprint value={fp} label={t('members.fingerprint')} /> : <span className="danger-text">{t('members.badKey')}</span>}</td>
                    <td>{m.lastActiveAt ? formatDateTime(m.lastActiveAt, i18n.language) : t('members.never')}</td>
                    <td className="actions">
                      {/* Certificates from before names were certified: an administrator renews their own, too (a sole administrator has nobody else). */}
                      {self && cert.state === 'outdated' && (
                        <Button variant="primary" onPress={() => open('certify', m)}>
                          {t('membership.certifyAgain')}
                        </Button>
                      )}
                      {!self && m.status !== 'removed' && (
                        <>
                          {cert.state !== 'valid' && m.status === 'active' && (
                            <Button variant="primary" onPress={() => open('certify', m)}>
                              {cert.state === 'outdated' ? t('membership.certifyAgain') : t('members.certify')}
                            </Button>
                          )}
                          <Button onPress={() => open('role', m)}>{t('members.changeRole')}</Button>
                          {m.status === 'active' ? (
                            <Button onPress={() => open('suspend', m)}>{t('members.suspend')}</Button>
                          ) : (
                            <Button onPress={() => open('reinstate', m)}>{t('members.reinstate')}</Button>
                          )}
                          <Button variant="danger" onPress={() => open('remove', m)}>
                            {t('members.remove')}
                          </Button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </section>
      {dialog && pending && (
        <ConfirmDialog
          open
          title={dialog.title}
          confirmLabel={dialog.confirmLabel}
          confirmDisabled={dialog.confirmDisabled || busy}
          danger={'danger' in dialog ? dialog.danger : false}
          busy={busy}
          onConfirm={() => void run(pending)}
          onCancel={() => !busy && setPending(null)}
        >
          {dialog.body}
          <ErrorNotice error={error} />
          {busy && <Busy label={t('members.working')} />}
        </ConfirmDialog>
      )}
    </>
  );
}
