/** The case export archive (src/core/cases/export-archive.ts): its README and the notes files. English. */

export const caseArchive = {
  readmeTitle: 'Clearing case export: case {{code}}',
  readme: `This archive is an export of one case from Clearing, an end-to-end-encrypted casework platform.
It was made on {{exportedAt}} by {{exportedBy}}, on that member's computer, from the records
their keys could open. The server never saw its contents.

What is inside:
  case.json                                The case's workflow data (status, category, priority, dates),
                                           its tasks and timeline, and a summary of every compartment.
  compartments/<name>/<record id>.json     One file per record: every version, its author, time, and
                                           whether the author's signature was verified.
  compartments/<name>/notes.txt            The same records as plain text, to read without tools.

A record marked "signature NOT verified" could not be checked against its author's certified key:
treat its contents with care. A record that could not be opened at all is listed with the reason.

This archive holds sensitive personal data in plain text. Keep it encrypted (as it came, in the
age format) and delete the unpacked files when you no longer need them.`,
  notesTitle: 'Compartment “{{compartment}}” of case {{code}}: {{count}} record(s)',
  notesEmpty: 'No records in this compartment that the exporting member could open.',
  notesRecord: '{{kind}} {{recordId}}',
  notesVersion: 'Version {{version}} of {{count}}, written by {{author}} on {{time}}',
  notesCurrent: 'current',
  notesVerified: 'signature verified',
  notesUnverified: 'signature NOT verified',
  notesUnreadable: 'could not be opened: {{reason}}',
  notesUnknownAuthor: 'an unknown member ({{id}})',
  kind_fields: 'Profile fields',
  kind_note: 'Note',
  kind_task: 'Task',
  compartment_identity: 'identity',
  compartment_contact: 'contact',
  compartment_logistics: 'logistics',
  compartment_testimony: 'testimony',
  compartment_evidence: 'evidence',
  compartment_support: 'support',
  compartment_legal: 'legal',
};
