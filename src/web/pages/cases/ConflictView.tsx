import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, TextArea } from '../../ui/index.js';
import { ContentPreview, RecordMeta } from './RecordParts.js';
import type { OpenedRecord, RecordContent } from './records.js';

export interface Conflict {
  mine: RecordContent;
  /** The version someone saved first; null when it cannot be read back. */
  theirs: OpenedRecord | null;
}

/**
 * Someone saved this record while it was being edited here. Both versions
 * side by side; the person keeps theirs or saves a merge (prefilled with
 * their own words, each differing field one press from the other version).
 * Nothing is overwritten without this choice.
 */
export function ConflictView({
  conflict,
  fields,
  busy,
  onKeepTheirs,
  onSave,
}: {
  conflict: Conflict;
  fields: readonly string[];
  busy: boolean;
  onKeepTheirs(): void;
  onSave(merged: RecordContent): void;
}) {
  const { t } = useTranslation();
  const theirs = conflict.theirs?.content ?? null;
  const [merged, setMerged] = useState<RecordContent>(conflict.mine);
  const theirFields = theirs?.kind === 'fields' ? theirs.fields : {};
  const mineFields = conflict.mine.kind === 'fields' ? conflict.mine.fields : {};
  const differing = fields.filter((f) => (theirFields[f] ?? '') !== (mineFields[f] ?? ''));
  return (
    <div className="conflict" role="alert" data-testid="record-conflict" data-error-code="RECORD_CONFLICT">
      <p className="notice notice-warning">{t('cases.conflict.intro')}</p>
      <div className="conflict-sides">
        <div className="conflict-side" data-testid="conflict-theirs">
          <h4>{t('cases.conflict.theirs')}</h4>
          {conflict.theirs ? (
            <>
              <RecordMeta record={conflict.theirs} />
              <ContentPreview content={theirs} fields={fields} />
            </>
          ) : (
            <p className="hint">{t('cases.conflict.gone')}</p>
          )}
        </div>
        <div className="conflict-side" data-testid="conflict-mine">
          <h4>{t('cases.conflict.mine')}</h4>
          <ContentPreview content={conflict.mine} fields={fields} />
        </div>
      </div>
      <h4>{t('cases.conflict.merged')}</h4>
      {merged.kind === 'fields' ? (
        differing.length === 0 ? (
          <p className="hint">{t('cases.conflict.same')}</p>
        ) : (
          differing.map((f) => (
            <div key={f} className="conflict-field">
              <TextArea
                label={t(`cases.fields.${f}`)}
                value={merged.fields[f] ?? ''}
                onChange={(v) => setMerged({ kind: 'fields', fields: { ...merged.fields, [f]: v } })}
                rows={2}
                inputTestId={`merge-${f}`}
              />
              <Button variant="quiet" onPress={() => setMerged({ kind: 'fields', fields: { ...merged.fields, [f]: theirFields[f] ?? '' } })}>
                {t('cases.conflict.useTheirs')}
              </Button>
            </div>
          ))
        )
      ) : merged.kind === 'note' ? (
        <TextArea
          label={t('cases.records.editNote')}
          value={merged.text}
          onChange={(v) => setMerged({ kind: 'note', text: v })}
          rows={5}
          inputTestId="merge-note"
        />
      ) : null}
      <div className="form-actions">
        <Button onPress={onKeepTheirs} isDisabled={busy} data-testid="conflict-keep-theirs">
          {t('cases.conflict.keepTheirs')}
        </Button>
        <Button variant="primary" onPress={() => onSave(merged)} isDisabled={busy} data-testid="conflict-save">
          {t('cases.conflict.saveMerged')}
        </Button>
      </div>
    </div>
  );
}
