/** Telegram Desktop exports ("Machine-readable JSON"): a streaming parser, the zip around it, a generator for tests. */
export { generateTelegramExport, type GenerateOptions } from './generate.js';
export type { MediaCheck } from './message.js';
export {
  readTelegramExport,
  telegramDefaults,
  TelegramExportParser,
  type ExportSummary,
  type TelegramEvent,
  type TelegramParseOptions,
} from './parser.js';
export { isPlaceholder, unsafePathReason, type MediaReference, type NotExportedReason } from './paths.js';
export { kindMatches, sniff, sniffLength, type SniffedKind } from './sniff.js';
export type {
  ChatHeader,
  ChatMessage,
  ChatSection,
  ContactInformation,
  ExportTime,
  FileMedia,
  ImportProblem,
  JsonValue,
  LocationInformation,
  Media,
  MediaFile,
  PhotoMedia,
  Poll,
  PollAnswer,
  Reaction,
  ServiceAction,
  TextEntity,
  UnknownFields,
} from './types.js';
export {
  listZip,
  locateExport,
  readTelegramZip,
  readZipEntry,
  unsafeEntryName,
  zipDefaults,
  zipMediaCheck,
  type LocatedExport,
  type ZipEntry,
  type ZipExportSummary,
  type ZipLimits,
  type ZipSource,
} from './zip.js';
