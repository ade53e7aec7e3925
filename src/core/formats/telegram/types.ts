import type { MediaReference } from './paths.js';

/** A JSON value as `JSON.parse` gives it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Fields the parser did not interpret, exactly as parsed, so nothing of the original is dropped. */
export type UnknownFields = Readonly<Record<string, JsonValue>>;

/** Where a chat sits in the export: the one chat of a chat export, or an element of `chats.list` / `left_chats.list`. */
export type ChatSection = 'chat' | 'chats' | 'left_chats';

export interface ChatHeader {
  /**
   * Unique within one export whatever the ids say: `chat` for a one-chat
   * export, `chats.<n>` / `left_chats.<n>` for the n-th chat of a section.
   * A message is identified by (chatKey, id).
   */
  readonly chatKey: string;
  readonly section: ChatSection;
  /** Telegram's numeric chat id; null when the export has none (before its messages). */
  readonly id: number | null;
  /** null for a deleted account or a chat Telegram wrote without a name. */
  readonly name: string | null;
  /** personal_chat, private_group, private_supergroup, public_channel, saved_messages, bot_chat, … */
  readonly type: string | null;
  /** Whether its messages are read (the caller's choice of chats). */
  readonly selected: boolean;
  readonly extra: UnknownFields;
}

/** A point in time as the export gives it. */
export interface ExportTime {
  /** As written: the exporting computer's local time, no zone ("2023-06-14T22:07:51"). Never UTC. */
  readonly local: string | null;
  /** Seconds since the epoch, from the `*_unixtime` field of newer exports. */
  readonly unixtime: number | null;
  /** The UTC instant ("2023-06-14T22:07:51Z"), only when `unixtime` exists. */
  readonly utc: string | null;
  /** local − UTC in minutes, when both exist (the exporting computer's zone at that moment). */
  readonly utcOffsetMinutes: number | null;
}

export interface TextEntity {
  /** plain, bold, italic, link, text_link, mention, mention_name, phone, email, hashtag, code, pre, spoiler, blockquote, custom_emoji, … */
  readonly type: string;
  readonly text: string;
  /** text_link */
  readonly href?: string;
  /** mention_name */
  readonly userId?: number;
  readonly extra?: UnknownFields;
}

/** A file the message refers to: a path inside the export folder, or Telegram's note that it was left out. */
export type MediaFile = MediaReference;

export interface PhotoMedia {
  readonly kind: 'photo';
  readonly file: MediaFile;
  readonly width: number | null;
  readonly height: number | null;
  readonly fileSize: number | null;
}

export interface FileMedia {
  readonly kind: 'file';
  readonly file: MediaFile;
  /** video_file, voice_message, audio_file, video_message, animation, sticker; null for a plain document. */
  readonly mediaType: string | null;
  readonly mimeType: string | null;
  readonly durationSeconds: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly thumbnail: MediaFile | null;
  readonly fileName: string | null;
  readonly stickerEmoji: string | null;
  readonly fileSize: number | null;
}

export type Media = PhotoMedia | FileMedia;

export interface ContactInformation {
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly phoneNumber: string | null;
  readonly vcard: MediaFile | null;
}

export interface LocationInformation {
  readonly latitude: number;
  readonly longitude: number;
}

export interface PollAnswer {
  readonly text: string;
  readonly voters: number | null;
  readonly chosen: boolean;
}

export interface Poll {
  readonly question: string;
  readonly closed: boolean;
  readonly totalVoters: number | null;
  readonly answers: readonly PollAnswer[];
}

export interface Reaction {
  /** emoji, custom_emoji, paid, … */
  readonly type: string;
  readonly count: number | null;
  readonly emoji: string | null;
  readonly extra?: UnknownFields;
}

/** A service message's event: `type` is Telegram's `action`; the fields Telegram writes for it, where it writes them. */
export interface ServiceAction {
  /** phone_call, group_call, invite_members, remove_members, join_group_by_link, pin_message, edit_group_title, create_group, migrate_to_supergroup, … */
  readonly type: string;
  readonly actor: string | null;
  readonly actorId: string | null;
  /** edit_group_title, create_group, create_channel, migrate_*: the title. */
  readonly title: string | null;
  /** invite_members, remove_members, create_group: names (null for a deleted account). */
  readonly members: readonly (string | null)[] | null;
  /** pin_message: the pinned message's id. */
  readonly messageId: number | null;
  /** phone_call, group_call. */
  readonly durationSeconds: number | null;
  /** phone_call: hangup, missed, busy, disconnect. */
  readonly discardReason: string | null;
  /** join_group_by_link. */
  readonly inviter: string | null;
  /** edit_group_photo: the new photo. */
  readonly photo: MediaFile | null;
}

/** A problem found on one message: the message is kept, the problem shown beside it. */
export interface ImportProblem {
  readonly code: 'MEDIA_FILE_MISSING' | 'MEDIA_KIND_MISMATCH';
  readonly path: string;
  /** What the message says the file is (photo, video_file, …) and, for a mismatch, what its first bytes say. */
  readonly expected: string;
  readonly found: string | null;
}

export interface ChatMessage {
  readonly chatKey: string;
  readonly chatId: number | null;
  readonly id: number;
  /** message or service (kept as written if Telegram ever writes another). */
  readonly type: string;
  readonly date: ExportTime;
  /** null when never edited. */
  readonly edited: ExportTime | null;
  /** null for a deleted account (and for service messages, which have an actor instead). */
  readonly from: string | null;
  readonly fromId: string | null;
  readonly replyToMessageId: number | null;
  readonly forwardedFrom: string | null;
  readonly forwardedFromId: string | null;
  readonly savedFrom: string | null;
  /** Channel posts: the signature. */
  readonly author: string | null;
  readonly viaBot: string | null;
  /** The plain text: the concatenation of `text_entities` (or of `text`, in older exports). */
  readonly text: string;
  readonly entities: readonly TextEntity[];
  readonly media: Media | null;
  readonly contact: ContactInformation | null;
  readonly location: LocationInformation | null;
  readonly poll: Poll | null;
  readonly reactions: readonly Reaction[];
  readonly action: ServiceAction | null;
  /** Every field not read above, as parsed. */
  readonly extra: UnknownFields;
  /** The message exactly as it stands in result.json (its JSON source text), for citing. */
  readonly source: string;
  readonly problems: readonly ImportProblem[];
}
