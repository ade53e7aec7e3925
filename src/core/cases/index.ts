/**
 * Casework as the browser (and the CLI) does it: opening a case, auditing
 * and opening its keys, sealing and opening records, grants and rotations,
 * search. Each function makes the request body the server stores; none
 * does I/O.
 */
export { prepareOpenCase, type CaseKeyrings, type OpenCaseProps } from './open-case.js';
export { openCaseKeys, type CaseKeys, type OpenCaseKeysProps } from './case-keys.js';
export { openStoredRecord, prepareRecord, searchableText, type OpenedRecord, type PrepareRecordProps, type RecordContent } from './records.js';
export { prepareGrant, prepareRotation } from './holders.js';
export { highlightMatches, matchesQuery, prepareSearch, type TextSegment } from './search.js';
