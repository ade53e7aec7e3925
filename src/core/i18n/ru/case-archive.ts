/** Архив выгрузки дела (src/core/cases/export-archive.ts): README и файлы заметок. Русский. */
import type { Messages } from '../en/index.js';

export const caseArchive: Messages['caseArchive'] = {
  readmeTitle: 'Выгрузка дела из Clearing: дело {{code}}',
  readme: `Этот архив — выгрузка одного дела из Clearing, платформы ведения дел со сквозным шифрованием.
Его сделал(а) {{exportedBy}} {{exportedAt}} на своём компьютере из тех записей, которые смогли
открыть ключи этого участника. Сервер его содержимого не видел.

Что внутри:
  case.json                                Рабочие данные дела (статус, категория, приоритет, даты),
                                           его задачи и хронология, сводка по каждому отделу.
  compartments/<отдел>/<id записи>.json    По файлу на запись: все версии, автор, время и то,
                                           проверена ли подпись автора.
  compartments/<отдел>/notes.txt           Те же записи простым текстом, чтобы читать без программ.

Запись с пометкой «подпись НЕ проверена» не удалось сверить с заверенным ключом её автора:
относитесь к её содержимому осторожно. Запись, которую не удалось открыть, указана с причиной.

В архиве открытым текстом лежат чувствительные персональные данные. Храните его зашифрованным
(как он и выдан, в формате age) и удалите распакованные файлы, когда они станут не нужны.`,
  notesTitle: 'Отдел «{{compartment}}» дела {{code}}: записей — {{count}}',
  notesEmpty: 'В этом отделе нет записей, которые смог открыть выгружавший участник.',
  notesRecord: '{{kind}} {{recordId}}',
  notesVersion: 'Версия {{version}} из {{count}}, автор — {{author}}, {{time}}',
  notesCurrent: 'текущая',
  notesVerified: 'подпись проверена',
  notesUnverified: 'подпись НЕ проверена',
  notesUnreadable: 'не удалось открыть: {{reason}}',
  notesUnknownAuthor: 'неизвестный участник ({{id}})',
  kind_fields: 'Поля профиля',
  kind_note: 'Заметка',
  kind_task: 'Задача',
  compartment_identity: 'личность',
  compartment_contact: 'связь',
  compartment_logistics: 'логистика',
  compartment_testimony: 'показания',
  compartment_evidence: 'доказательства',
  compartment_support: 'поддержка',
  compartment_legal: 'юридическая помощь',
};
