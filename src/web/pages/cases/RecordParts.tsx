import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.js';
import type { OpenedRecord, RecordContent } from './records.js';

/** Who wrote this version and when, and whether that can be believed. */
export function RecordMeta({ record }: { record: OpenedRecord }) {
  const { t, i18n } = useTranslation();
  const who = record.authorName ?? t('cases.member.unverified');
  return (
    <p className="record-meta" data-testid="record-meta">
      <span>{t('cases.records.version', { version: record.stored.version + 1 })}</span>
      <span>{who}</span>
      <time dateTime={record.stored.createdAt}>{formatDateTime(record.stored.createdAt, i18n.language)}</time>
      {record.verified ? (
        <span className="ok" data-testid="record-verified">
          {t('cases.records.verified')}
        </span>
      ) : (
        <span className="danger-text" role="alert" data-testid="record-unverified" data-error-code={record.problem ?? undefined}>
          {record.authorCertified ? t('cases.records.badSignature') : t('cases.records.badCertificate')}
        </span>
      )}
    </p>
  );
}

export function ContentPreview({ content, fields }: { content: RecordContent | null; fields: readonly string[] }) {
  const { t } = useTranslation();
  if (!content) return <p className="danger-text">{t('cases.records.unreadable')}</p>;
  if (content.kind === 'note') return <p className="note-text">{content.text}</p>;
  if (content.kind === 'task') return <p>{content.title}</p>;
  return (
    <dl className="fields-view compact">
      {fields
        .filter((f) => content.fields[f])
        .map((f) => (
          <div key={f}>
            <dt>{t(`cases.fields.${f}`)}</dt>
            <dd>{content.fields[f]}</dd>
          </div>
        ))}
    </dl>
  );
}
