import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { compartmentFields, type CaseCompartmentName, type CompartmentKeyring } from '../../../core/index.js';
import { toApiError, type ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { Busy } from '../../components/Busy.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { queryError, queryKeys, useInvalidate } from '../../queries.js';
import { useSession } from '../../session.js';
import { Button, EmptyState, TextArea, TextField } from '../../ui/index.js';
import { certifiedName, currentMe, type OpenedCase, type TamperedCase } from './case-keys.js';
import { ConflictView, type Conflict } from './ConflictView.js';
import { openRecord, openRecords, writeRecord, type OpenedRecord, type RecordContent } from './records.js';
import { ContentPreview, RecordMeta } from './RecordParts.js';

/** Fields whose values run to several lines (one document, channel, leg per line). */
const multiline = new Set(['documentNumbers', 'channels', 'handles', 'legs', 'dates', 'checkInPlan']);

export const recordsKey = (caseId: string, compartment: CaseCompartmentName) => [...queryKeys.cases, caseId, 'records', compartment] as const;

/**
 * One compartment of a case. Held: its structured fields (where the
 * compartment has them) and its notes, each record with its versions and
 * whether the signature and the author's certificate verify. Not held: that
 * it exists, who holds it, and a request for access.
 */
export function CompartmentPanel({ view, compartment }: { view: OpenedCase | TamperedCase; compartment: CaseCompartmentName }) {
  const { t } = useTranslation();
  // A case whose history does not check out shows nothing of its compartments and offers nothing.
  if (view.state === 'tampered') return <p className="hint">{t('cases.compartments.tampered')}</p>;
  const keyring = view.keyrings[compartment];
  if (keyring) return <HeldCompartment view={view} compartment={compartment} keyring={keyring} />;
  return <UnheldCompartment view={view} compartment={compartment} />;
}

function UnheldCompartment({ view, compartment }: { view: OpenedCase; compartment: CaseCompartmentName }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [sent, setSent] = useState<{ requested: boolean; notified: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const holders = view.detail.compartments.find((c) => c.compartment === compartment)?.holders ?? [];
  async function request() {
    setState('busy');
    setError(null);
    try {
      setSent(await api.cases.requestAccess(view.detail.case.id, compartment));
      setState('sent');
    } catch (e) {
      setError(toApiError(e));
      setState('idle');
    }
  }
  return (
    <div className="compartment unheld" data-testid={`unheld-${compartment}`}>
      <p>{t('cases.compartments.notHeld')}</p>
      <p>
        <span className="label">{t('cases.compartments.heldBy')}</span>{' '}
        {holders.map((id) => certifiedName(view.certified, id) ?? t('cases.member.unverified')).join(', ')}
      </p>
      {state === 'sent' ? (
        <p className="notice notice-ok" role="status" data-testid="access-requested">
          {sent?.requested ? t('cases.compartments.requested', { count: sent.notified }) : t('cases.compartments.alreadyRequested')}
        </p>
      ) : (
        <Button onPress={() => void request()} isDisabled={state === 'busy'} data-testid={`request-access-${compartment}`}>
          {t('cases.compartments.requestAccess')}
        </Button>
      )}
      <ErrorNotice error={error} />
    </div>
  );
}

function HeldCompartment({ view, compartment, keyring }: { view: OpenedCase; compartment: CaseCompartmentName; keyring: CompartmentKeyring }) {
  const { t } = useTranslation();
  const caseId = view.detail.case.id;
  const records = useQuery({ queryKey: recordsKey(caseId, compartment), queryFn: () => api.cases.records(caseId, compartment) });
  const opened = useMemo(
    () => (records.data ? openRecords(records.data, { caseId, compartment }, keyring, view.certified) : null),
    [records.data, keyring, view.certified],
  );
  const state = view.detail.compartments.find((c) => c.compartment === compartment);
  // Writes wait for the rotation a removal started: the server refuses them until then.
  const frozen = (state?.pendingRemovals.length ?? 0) > 0;
  const fields = compartmentFields[compartment] as readonly string[];
  const profile = opened?.find((r) => r.stored.kind === 'fields') ?? null;
  const notes = opened?.filter((r) => r.stored.kind === 'note') ?? [];
  const error = queryError(records.error);
  return (
    <div className="compartment" data-testid={`compartment-${compartment}`}>
      {frozen && (
        <p className="notice notice-warning" role="status">
          {t('cases.compartments.frozen')}
        </p>
      )}
      <ErrorNotice error={error} />
      {!opened ? (
        !error && <Busy label={t('cases.compartments.opening')} />
      ) : (
        <>
          {fields.length > 0 && <FieldsSection view={view} compartment={compartment} keyring={keyring} fields={fields} profile={profile} frozen={frozen} />}
          <NotesSection view={view} compartment={compartment} keyring={keyring} notes={notes} frozen={frozen} />
        </>
      )}
    </div>
  );
}

function useWriter(view: OpenedCase, compartment: CaseCompartmentName, keyring: CompartmentKeyring) {
  const session = useSession();
  const invalidate = useInvalidate();
  return async (record: { recordId: string; version: number; kind: 'fields' | 'note' }, content: RecordContent) => {
    const me = currentMe(session.info?.member.id);
    const result = await writeRecord({ caseId: view.detail.case.id, compartment, keyring, me }, record, content, view.certified);
    await invalidate(recordsKey(view.detail.case.id, compartment));
    return result;
  };
}

function FieldsSection({
  view,
  compartment,
  keyring,
  fields,
  profile,
  frozen,
}: {
  view: OpenedCase;
  compartment: CaseCompartmentName;
  keyring: CompartmentKeyring;
  fields: readonly string[];
  profile: OpenedRecord | null;
  frozen: boolean;
}) {
  const { t } = useTranslation();
  const write = useWriter(view, compartment, keyring);
  const current = profile?.content?.kind === 'fields' ? profile.content.fields : {};
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  async function save(fieldsToSave: Record<string, string>, base: OpenedRecord | null) {
    setBusy(true);
    setError(null);
    try {
      const clean = Object.fromEntries(fields.map((f) => [f, (fieldsToSave[f] ?? '').trim()]).filter(([, v]) => v !== ''));
      const record = { recordId: base?.stored.recordId ?? crypto.randomUUID(), version: base ? base.stored.version + 1 : 0, kind: 'fields' as const };
      const result = await write(record, { kind: 'fields', fields: clean });
      if (result.state === 'conflict') setConflict({ mine: { kind: 'fields', fields: clean }, theirs: result.theirs });
      else {
        setDraft(null);
        setConflict(null);
      }
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="record-block" aria-labelledby={`${compartment}-fields-title`}>
      <div className="section-head">
        <h3 id={`${compartment}-fields-title`}>{t('cases.records.profile')}</h3>
        {!draft && !conflict && (
          <Button onPress={() => setDraft({ ...current })} isDisabled={frozen} data-testid={`edit-fields-${compartment}`}>
            {profile ? t('cases.records.edit') : t('cases.records.fill')}
          </Button>
        )}
      </div>
      {conflict ? (
        <ConflictView
          conflict={conflict}
          fields={fields}
          busy={busy}
          onKeepTheirs={() => {
            setConflict(null);
            setDraft(null);
          }}
          onSave={(merged) => void save((merged as { fields: Record<string, string> }).fields, conflict.theirs)}
        />
      ) : draft ? (
        <form
          className="fields-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save(draft, profile);
          }}
        >
          {fields.map((f) =>
            multiline.has(f) ? (
              <TextArea
                key={f}
                label={t(`cases.fields.${f}`)}
                description={t('cases.records.onePerLine')}
                value={draft[f] ?? ''}
                onChange={(v) => setDraft((d) => ({ ...d, [f]: v }))}
                rows={3}
                maxLength={4000}
                inputTestId={`field-${f}`}
              />
            ) : (
              <TextField
                key={f}
                label={t(`cases.fields.${f}`)}
                value={draft[f] ?? ''}
                onChange={(v) => setDraft((d) => ({ ...d, [f]: v }))}
                maxLength={400}
                inputTestId={`field-${f}`}
              />
            ),
          )}
          <div className="form-actions">
            <Button onPress={() => setDraft(null)} isDisabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="primary" isDisabled={busy} data-testid={`save-fields-${compartment}`}>
              {t('cases.records.save')}
            </Button>
          </div>
          {busy && <Busy label={t('cases.records.saving')} />}
        </form>
      ) : profile ? (
        <>
          <dl className="fields-view" data-testid={`fields-${compartment}`}>
            {fields.map((f) => (
              <div key={f}>
                <dt>{t(`cases.fields.${f}`)}</dt>
                <dd data-testid={`value-${f}`}>{current[f] || <span className="hint">—</span>}</dd>
              </div>
            ))}
          </dl>
          <RecordMeta record={profile} />
          <RecordHistory view={view} compartment={compartment} keyring={keyring} record={profile} fields={fields} />
        </>
      ) : (
        <EmptyState title={t('cases.records.noProfile')} />
      )}
      <ErrorNotice error={error} />
    </section>
  );
}

function NotesSection({
  view,
  compartment,
  keyring,
  notes,
  frozen,
}: {
  view: OpenedCase;
  compartment: CaseCompartmentName;
  keyring: CompartmentKeyring;
  notes: OpenedRecord[];
  frozen: boolean;
}) {
  const { t } = useTranslation();
  const write = useWriter(view, compartment, keyring);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function add() {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await write({ recordId: crypto.randomUUID(), version: 0, kind: 'note' }, { kind: 'note', text: text.trim() });
      setText('');
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="record-block" aria-labelledby={`${compartment}-notes-title`}>
      <h3 id={`${compartment}-notes-title`}>{t('cases.records.notes')}</h3>
      <form
        className="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <TextArea label={t('cases.records.newNote')} value={text} onChange={setText} maxLength={20000} rows={3} inputTestId={`new-note-${compartment}`} />
        <Button type="submit" variant="primary" isDisabled={busy || frozen || !text.trim()} data-testid={`add-note-${compartment}`}>
          {t('cases.records.addNote')}
        </Button>
        {busy && <Busy label={t('cases.records.saving')} />}
      </form>
      <ErrorNotice error={error} />
      {notes.length === 0 ? (
        <p className="hint">{t('cases.records.noNotes')}</p>
      ) : (
        <ul className="notes" data-testid={`notes-${compartment}`}>
          {notes.map((n) => (
            <NoteItem key={n.stored.recordId} view={view} compartment={compartment} keyring={keyring} note={n} frozen={frozen} />
          ))}
        </ul>
      )}
    </section>
  );
}

function NoteItem({
  view,
  compartment,
  keyring,
  note,
  frozen,
}: {
  view: OpenedCase;
  compartment: CaseCompartmentName;
  keyring: CompartmentKeyring;
  note: OpenedRecord;
  frozen: boolean;
}) {
  const { t } = useTranslation();
  const write = useWriter(view, compartment, keyring);
  const text = note.content?.kind === 'note' ? note.content.text : null;
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  async function save(value: string, base: OpenedRecord | null) {
    setBusy(true);
    setError(null);
    try {
      const result = await write(
        { recordId: note.stored.recordId, version: (base ?? note).stored.version + 1, kind: 'note' },
        { kind: 'note', text: value.trim() },
      );
      if (result.state === 'conflict') setConflict({ mine: { kind: 'note', text: value.trim() }, theirs: result.theirs });
      else {
        setDraft(null);
        setConflict(null);
      }
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className="note" data-testid="note">
      {conflict ? (
        <ConflictView
          conflict={conflict}
          fields={[]}
          busy={busy}
          onKeepTheirs={() => {
            setConflict(null);
            setDraft(null);
          }}
          onSave={(merged) => void save((merged as { text: string }).text, conflict.theirs)}
        />
      ) : draft !== null ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(draft, null);
          }}
        >
          <TextArea label={t('cases.records.editNote')} value={draft} onChange={setDraft} rows={4} maxLength={20000} inputTestId="edit-note-text" />
          <div className="form-actions">
            <Button onPress={() => setDraft(null)} isDisabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="primary" isDisabled={busy || !draft.trim()} data-testid="save-note">
              {t('cases.records.save')}
            </Button>
          </div>
        </form>
      ) : (
        <>
          {text === null ? (
            <p className="danger-text" role="alert">
              {t('cases.records.unreadable')}
            </p>
          ) : (
            <p className="note-text" data-testid="note-text">
              {text}
            </p>
          )}
          <RecordMeta record={note} />
          <div className="note-actions">
            {text !== null && (
              <Button variant="quiet" onPress={() => setDraft(text)} isDisabled={frozen}>
                {t('cases.records.edit')}
              </Button>
            )}
            <RecordHistory view={view} compartment={compartment} keyring={keyring} record={note} fields={[]} />
          </div>
        </>
      )}
      <ErrorNotice error={error} />
    </li>
  );
}

function RecordHistory({
  view,
  compartment,
  keyring,
  record,
  fields,
}: {
  view: OpenedCase;
  compartment: CaseCompartmentName;
  keyring: CompartmentKeyring;
  record: OpenedRecord;
  fields: readonly string[];
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const caseId = view.detail.case.id;
  const history = useQuery({
    queryKey: [...queryKeys.cases, caseId, 'history', record.stored.recordId, record.stored.version],
    queryFn: () => api.cases.history(caseId, record.stored.recordId),
    enabled: open,
  });
  const versions = useMemo(
    () =>
      history.data
        ? history.data.map((v) => openRecord(v, { caseId, compartment }, keyring, view.certified)).sort((a, b) => b.stored.version - a.stored.version)
        : null,
    [history.data, caseId, compartment, keyring, view.certified],
  );
  return (
    <div className="history">
      <Button variant="quiet" aria-expanded={open} onPress={() => setOpen((o) => !o)} data-testid="history-toggle">
        {open ? t('cases.records.hideHistory') : t('cases.records.history')}
      </Button>
      {open && (
        <>
          <ErrorNotice error={queryError(history.error)} />
          {!versions ? (
            <Busy label={t('app.loading')} />
          ) : (
            <ol className="versions" data-testid="versions">
              {versions.map((v) => (
                <li key={v.stored.version}>
                  <RecordMeta record={v} />
                  <ContentPreview content={v.content} fields={fields} />
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </div>
  );
}
