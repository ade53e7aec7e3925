import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  asCaseId,
  caseCategories,
  caseCodeFrom,
  caseCompartments,
  casePriorities,
  mayGrantCompartments,
  minimumHolders,
  openingHolders,
  prepareOpenCase,
  randomBytes,
  type CaseCategory,
  type CasePriority,
  type CertifiedMember,
} from '../../../core/index.js';
import { ApiError, toApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { Busy } from '../../components/Busy.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { queryKeys, useInvalidate } from '../../queries.js';
import { nextPaint, useSession } from '../../session.js';
import { ConfirmDialog, Select } from '../../ui/index.js';
import { currentMe, signerOf } from './case-keys.js';
import { useTrustedDirectory } from './directory.js';

/** Codes are drawn at random; a clash with an existing case is drawn again, this many times at most. */
const codeAttempts = 5;

/**
 * Opening a case: its category, priority and coordinator; the members who
 * will hold its keys, as the organization's policy names them; then the
 * keys of every compartment are made and sealed here, in this browser, to
 * those members' certified keys only.
 */
export function NewCaseDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const directory = useTrustedDirectory();
  const [category, setCategory] = useState<CaseCategory>('mobilized');
  const [priority, setPriority] = useState<CasePriority>('normal');
  const [ownerId, setOwnerId] = useState<string>('me');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const meId = session.info?.member.id ?? '';
  const trusted = directory.data?.trusted ?? [];
  const creator = directory.data?.byId(meId) ?? null;
  const owners = trusted.filter((m) => mayGrantCompartments(m.role));
  const owner: CertifiedMember | null = ownerId === 'me' ? creator : ownerId === '' ? null : (directory.data?.byId(ownerId) ?? null);
  const administrators = trusted.filter((m) => m.role === 'administrator');
  const asHolder = (m: CertifiedMember) => ({ id: m.memberId, role: m.role });
  const holders = creator
    ? caseCompartments.map((compartment) => ({
        compartment,
        ids: openingHolders({
          category,
          compartment,
          creator: asHolder(creator),
          owner: owner ? asHolder(owner) : null,
          administrators: administrators.map(asHolder),
        }),
      }))
    : [];
  const tooFew = holders.filter((h) => h.ids.length < minimumHolders);
  const nameOf = (id: string) => directory.data?.byId(id)?.name ?? t('cases.member.unverified');

  async function open() {
    setError(null);
    try {
      if (!creator) throw new ApiError('KEY_SUBSTITUTION', 0, 'own certificate not trusted');
      const me = currentMe(meId);
      for (let attempt = 1; ; attempt++) {
        setBusy(t('cases.new.sealing', { count: new Set(holders.flatMap((h) => h.ids)).size }));
        await nextPaint();
        const code = caseCodeFrom(randomBytes(6));
        const { request } = prepareOpenCase({
          caseId: asCaseId(crypto.randomUUID()),
          code,
          category,
          priority,
          creator: { signer: signerOf(me), certified: creator },
          owner,
          administrators,
          at: new Date().toISOString(),
        });
        setBusy(t('cases.new.sending'));
        try {
          const made = await api.cases.open(request);
          await invalidate(queryKeys.cases);
          onClose();
          void navigate(`/cases/${made.code}`);
          return;
        } catch (e) {
          if (toApiError(e).code !== 'CASE_CODE_TAKEN' || attempt >= codeAttempts) throw e;
        }
      }
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <ConfirmDialog
      open
      title={t('cases.new.title')}
      confirmLabel={t('cases.new.confirm')}
      confirmDisabled={busy !== null || !creator || tooFew.length > 0}
      busy={busy !== null}
      onConfirm={() => void open()}
      onCancel={() => busy === null && onClose()}
      testId="new-case-dialog"
    >
      <p>{t('cases.new.intro')}</p>
      <Select
        id="new-case-category"
        label={t('cases.list.category')}
        value={category}
        onChange={setCategory}
        options={caseCategories.map((c) => ({ value: c, label: t(`cases.category.${c}`) }))}
      />
      <Select
        id="new-case-priority"
        label={t('cases.list.priority')}
        value={priority}
        onChange={setPriority}
        options={casePriorities.map((p) => ({ value: p, label: t(`cases.priority.${p}`) }))}
      />
      <Select
        id="new-case-owner"
        label={t('cases.list.assignee')}
        value={ownerId}
        onChange={setOwnerId}
        options={[
          { value: 'me', label: t('cases.new.ownerMe') },
          { value: '', label: t('cases.list.nobody') },
          ...owners.filter((m) => m.memberId !== meId).map((m) => ({ value: m.memberId as string, label: m.name ?? '' })),
        ]}
      />
      {directory.isPending && <Busy label={t('app.loading')} />}
      {directory.data && !creator && (
        <p className="notice notice-error" role="alert" data-testid="new-case-untrusted">
          {t('cases.new.notCertified')}
        </p>
      )}
      {holders.length > 0 && (
        <div className="holders-preview" data-testid="opening-holders">
          <h3>{t('cases.new.holdersTitle')}</h3>
          <p className="hint">{t('cases.new.holdersIntro')}</p>
          <dl>
            {holders.map((h) => (
              <div key={h.compartment}>
                <dt>{t(`cases.compartment.${h.compartment}`)}</dt>
                <dd>{h.ids.map(nameOf).join(', ')}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      {tooFew.length > 0 && (
        <p className="notice notice-error" role="alert" data-error-code="CASE_HOLDERS_TOO_FEW">
          {t('cases.new.tooFew', { compartments: tooFew.map((h) => t(`cases.compartment.${h.compartment}`)).join(', ') })}
        </p>
      )}
      <ErrorNotice error={error} />
      {busy && <Busy label={busy} testId="new-case-progress" />}
    </ConfirmDialog>
  );
}
