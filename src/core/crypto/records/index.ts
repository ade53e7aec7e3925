export {
  type RecordReference,
  type SealedRecord,
  maxRecordBytes,
  checkRecordReference,
  sealRecord,
  parseSealedRecord,
  openRecord,
  checkSealedRecordSignature,
} from './record.js';
export { sealJsonRecord, openJsonRecord } from './json.js';
