import { ClearingError } from '../../errors/index.js';

/** A media reference as the export wrote it: a relative path, or Telegram's sentence saying the file was left out. */
export type MediaReference =
  | { readonly exported: true; readonly path: string }
  | { readonly exported: false; readonly reason: NotExportedReason; readonly note: string };

/** Why Telegram left a file out: the person's settings, its size, Telegram's servers, or a sentence not seen before. */
export type NotExportedReason = 'excluded' | 'too-large' | 'unavailable' | 'other';

export const maxPathLength = 4096;

/**
 * Telegram Desktop writes a sentence in parentheses where a file was not
 * exported, e.g. "(File not included. Change data exporting settings to
 * download.)". Real paths always sit in a sub-folder ("photos/…") and never
 * start with a parenthesis.
 */
export function isPlaceholder(value: string): boolean {
  return value.startsWith('(') && value.endsWith(')') && !value.includes('/');
}

function placeholderReason(note: string): NotExportedReason {
  const lower = note.toLowerCase();
  if (lower.includes('not included')) return 'excluded';
  if (lower.includes('exceeds maximum size') || lower.includes('too large') || lower.includes('too big')) return 'too-large';
  if (lower.includes('unavailable')) return 'unavailable';
  return 'other';
}

/**
 * Why a path is refused, or null when it is a safe path inside the export
 * folder: relative, forward slashes only, no empty or all-dots segment (`.`, `..`, `...`), no
 * drive letter or scheme, no NUL or other control character.
 */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0) return 'empty';
  if (path.length > maxPathLength) return 'too long';
  if (path.startsWith('/')) return 'absolute';
  if (path.includes('\\')) return 'backslash';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control character';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return 'drive letter or scheme';
  for (const segment of path.split('/')) {
    if (segment === '') return 'empty segment';
    // "." and "..", and "..." too, which some systems trim to "..".
    if (/^\.+$/.test(segment)) return 'dot segment';
  }
  return null;
}

/** Reads a media field: a placeholder sentence, or a path that must stay inside the export folder. */
export function readMediaReference(value: string, field: string): MediaReference {
  if (isPlaceholder(value)) {
    if (value.length > maxPathLength) throw new ClearingError('TELEGRAM_FIELD_INVALID', { params: { field, reason: 'too long' } });
    return { exported: false, reason: placeholderReason(value), note: value };
  }
  const reason = unsafePathReason(value);
  if (reason !== null) throw new ClearingError('TELEGRAM_MEDIA_PATH_UNSAFE', { params: { field }, detail: reason });
  return { exported: true, path: value };
}
