/**
 * What a file's first bytes say it is, for the kinds a Telegram export holds.
 * Enough to tell that a "photo" is an image and a "video" a video; not a full
 * check of the file.
 */
export type SniffedKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'pdf' | 'mp4' | 'ogg' | 'mp3' | 'webm' | 'tgs' | 'unknown';

/** How many leading bytes `sniff` needs. */
export const sniffLength = 16;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

export function sniff(bytes: Uint8Array): SniffedKind {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  // ISO base media (MP4, MOV, M4A, HEIC…): a box size, then "ftyp"; QuickTime files may start with other boxes.
  if (startsWith(bytes, ascii('ftyp'), 4) || startsWith(bytes, ascii('moov'), 4) || startsWith(bytes, ascii('mdat'), 4) || startsWith(bytes, ascii('wide'), 4))
    return 'mp4';
  if (startsWith(bytes, ascii('OggS'))) return 'ogg';
  if (startsWith(bytes, ascii('ID3'))) return 'mp3';
  // An MPEG audio frame without ID3 tag: 11 set sync bits, layer III.
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe6) === 0xe2) return 'mp3';
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'webm';
  // Animated stickers: gzip-compressed Lottie JSON.
  if (startsWith(bytes, [0x1f, 0x8b])) return 'tgs';
  return 'unknown';
}

const imageKinds: readonly SniffedKind[] = ['jpeg', 'png', 'webp', 'gif'];
const videoKinds: readonly SniffedKind[] = ['mp4', 'webm', 'gif'];
const audioKinds: readonly SniffedKind[] = ['ogg', 'mp3', 'mp4'];

/**
 * Whether a file that sniffs as `found` can be what a message calls it
 * (`photo`, a media_type such as `video_file`, a mime type, or `thumbnail`).
 * Only claims with a clear expectation are checked; a plain document can be anything.
 */
export function kindMatches(expected: string, found: SniffedKind): boolean {
  switch (expected) {
    case 'photo':
    case 'thumbnail':
      return imageKinds.includes(found);
    case 'video_file':
    case 'video_message':
    case 'animation':
      return videoKinds.includes(found);
    case 'voice_message':
    case 'audio_file':
      return audioKinds.includes(found);
    case 'sticker':
      return found === 'webp' || found === 'tgs' || found === 'webm' || found === 'png';
  }
  if (expected.startsWith('image/')) return expected === 'image/svg+xml' || imageKinds.includes(found) || found === 'unknown';
  if (expected === 'application/pdf') return found === 'pdf';
  if (expected.startsWith('video/')) return videoKinds.includes(found);
  if (expected.startsWith('audio/')) return audioKinds.includes(found) || found === 'unknown';
  return true;
}
