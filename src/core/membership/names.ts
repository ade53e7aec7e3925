import unhomoglyph from 'unhomoglyph';

/**
 * Member names are login handles and the words colleagues recognise each
 * other by. Two forms are derived from a name:
 *
 * - the **key** (NFKC, trimmed, lower-cased): "Anna" and "ａｎｎａ" are one login;
 * - the **skeleton** (Unicode UTS #39 §4, over the key): what a name looks
 *   like, so "anna" and "аnna" (Cyrillic а) have the same skeleton although
 *   their keys differ. A new name whose skeleton equals an existing member's
 *   is refused, on the server and in every client, so nobody can pass as a
 *   colleague by a look-alike name.
 *
 * The confusables table is Unicode's confusables.txt as shipped by the
 * `unhomoglyph` package (see docs/decisions/0011-trust-against-the-server.md).
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/** Invisible format characters (zero-width joiners, bidi marks) never make two names look different. */
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** UTS #39 skeleton: NFD, map each confusable to its prototype, NFD again; of the name key, without invisible characters or repeated spaces. */
export function nameSkeleton(name: string): string {
  const key = nameKey(name).replace(invisible, '').replace(/\s+/gu, ' ');
  return unhomoglyph(key.normalize('NFD')).normalize('NFD');
}

/** Whether the two names would be mistaken for each other on screen (same key, or same skeleton). */
export function namesConfusable(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b) || nameSkeleton(a) === nameSkeleton(b);
}

/** The first existing name that `name` could be mistaken for, or null. */
export function confusableWith(name: string, existing: Iterable<string>): string | null {
  const key = nameKey(name);
  const skeleton = nameSkeleton(name);
  for (const other of existing) if (nameKey(other) === key || nameSkeleton(other) === skeleton) return other;
  return null;
}
